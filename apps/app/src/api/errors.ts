import { ParleyError } from '@parley/client';

/** A failure as a form shows it: a summary, and messages per field from `details.fields`. */
export interface FormError {
  code: string;
  message: string;
  fields: Record<string, string>;
}

export function toFormError(error: unknown): FormError {
  if (error instanceof ParleyError) {
    const fields: Record<string, string> = {};
    for (const field of error.details?.fields ?? []) fields[field.path] ??= field.message;
    const message = error.code === 'network' ? 'Cannot reach the server. Check your connection.' : error.message;
    return { code: error.code, message, fields };
  }
  return { code: 'internal', message: error instanceof Error ? error.message : String(error), fields: {} };
}
