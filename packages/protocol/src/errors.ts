import { z } from 'zod';

/**
 * Every error Parley answers with, REST or WebSocket, carries one of these stable codes.
 * The HTTP status of each code lives here, once; clients switch on `code`, never on text.
 */
export const ERROR_HTTP_STATUS = {
  validation_failed: 400,
  bad_request: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
  /** The server's disk is full: nothing was stored. */
  insufficient_storage: 507,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;

export const ErrorCodeSchema = z.enum(Object.keys(ERROR_HTTP_STATUS) as [ErrorCode, ...ErrorCode[]]);

/**
 * Why a field was refused, for clients that say it in their own words (and language) instead
 * of showing `message`: `required` (missing or blank), `too_short` / `too_long` (text shorter or
 * longer than `limit` characters), `invalid_format` (not an email, a username with other
 * characters...), `taken` (an email or name someone else has), `invalid` (anything else).
 */
export const FieldReasonSchema = z.enum(['required', 'too_short', 'too_long', 'invalid_format', 'taken', 'invalid']);
export type FieldReason = z.infer<typeof FieldReasonSchema>;

/** One invalid field of a request: where it was (`in`), which (`path`), and why. */
export const FieldIssueSchema = z.object({
  in: z.enum(['body', 'querystring', 'params', 'headers']),
  path: z.string().describe('Dotted path of the field, e.g. `email` or `items.0.name`'),
  message: z.string().describe('In English, for developers and logs; apps show their words for `reason`'),
  reason: FieldReasonSchema.optional().describe('Read a missing one as `invalid`'),
  limit: z.number().int().optional().describe('With `too_short` / `too_long`: the least or most characters'),
});
export type FieldIssue = z.infer<typeof FieldIssueSchema>;

export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: ErrorCodeSchema,
      message: z.string(),
      details: z
        .object({ fields: z.array(FieldIssueSchema).optional() })
        .catchall(z.unknown())
        .optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;
