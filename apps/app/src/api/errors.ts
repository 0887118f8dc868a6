import { ParleyError } from '@parley/client';
import type { ErrorCode, FieldReason } from '@parley/protocol';

/** Why one field was refused (by the server, or by a check before sending). */
export interface FieldProblem {
  reason: FieldReason;
  /** The least or most characters, with `too_short` / `too_long`. */
  limit?: number | undefined;
}

/**
 * A failure as a form shows it: what went wrong (`code`) and why each field was refused, as
 * data. Screens put it into words in the reader's language (`i18n/error-text.ts`); the
 * server's English `message` is deliberately not kept, so it cannot reach the screen.
 */
export interface FormError {
  code: ErrorCode | 'network';
  fields: Record<string, FieldProblem>;
  /** When `rate_limited`: how long to wait, if the server said. */
  retryAfterSeconds?: number | undefined;
}

const isCode = (code: unknown): code is FormError['code'] => typeof code === 'string' && /^[a-z_]+$/.test(code);

/**
 * Any failure as a `FormError`: the client's `ParleyError`, or what Redux Toolkit kept of one
 * (a serialized error keeps its `code`); anything else is `internal`.
 */
export function toFormError(error: unknown): FormError {
  if (error instanceof ParleyError) {
    const fields: Record<string, FieldProblem> = {};
    for (const field of error.details?.fields ?? []) {
      fields[field.path] ??= { reason: field.reason ?? 'invalid', limit: field.limit };
    }
    const retryAfter = error.details?.retryAfterSeconds;
    return { code: error.code, fields, ...(typeof retryAfter === 'number' && { retryAfterSeconds: retryAfter }) };
  }
  const code = (error as { code?: unknown } | null)?.code;
  return { code: isCode(code) ? code : 'internal', fields: {} };
}
