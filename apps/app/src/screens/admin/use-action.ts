import { useState } from 'react';
import { toFormError, type FormError } from '../../api/errors';

/** Runs an admin action, keeping its error (per field, for forms) until the next success. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<FormError | null>(null);
  const run = async (action: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    try {
      await action();
      setError(null);
      return true;
    } catch (e) {
      setError(toFormError(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
