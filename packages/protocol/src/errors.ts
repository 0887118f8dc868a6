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

/** One invalid field of a request: where it was (`in`), which (`path`), and why. */
export const FieldIssueSchema = z.object({
  in: z.enum(['body', 'querystring', 'params', 'headers']),
  path: z.string().describe('Dotted path of the field, e.g. `email` or `items.0.name`'),
  message: z.string(),
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
