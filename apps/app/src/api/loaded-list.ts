import { useCallback, useEffect, useRef, useState } from 'react';
import { toFormError, type FormError } from './errors';

/**
 * A list a screen shows: loaded when it mounts, and again on `reload` (after a change it made).
 * `items` is null until the first answer; `loadError` says why the last load failed.
 */
export function useLoadedList<T>(load: () => Promise<{ items: T[] }>): {
  items: T[] | null;
  loadError: FormError | null;
  reload: () => Promise<void>;
} {
  const [items, setItems] = useState<T[] | null>(null);
  const [loadError, setLoadError] = useState<FormError | null>(null);
  // The latest `load` (callers pass a new arrow each render): reload itself stays the same.
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(async () => {
    try {
      setItems((await latest.current()).items);
      setLoadError(null);
    } catch (error) {
      setLoadError(toFormError(error));
    }
  }, []);
  useEffect(() => void reload(), [reload]);
  return { items, loadError, reload };
}
