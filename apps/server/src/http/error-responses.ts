import { ErrorBodySchema, type ErrorBody } from '@parley/protocol';

/** A typical body per status, shown in /docs next to each route's possible errors. */
const EXAMPLES = {
  400: {
    error: {
      code: 'validation_failed',
      message: 'Invalid body: subject: Too small: expected string to have >=1 characters',
      details: {
        fields: [
          {
            in: 'body',
            path: 'subject',
            message: 'Too small: expected string to have >=1 characters',
            reason: 'required',
          },
        ],
      },
    },
  },
  401: { error: { code: 'unauthorized', message: 'Access token expired' } },
  403: { error: { code: 'forbidden', message: 'Requires role admin' } },
  404: { error: { code: 'not_found', message: 'Ticket not found' } },
  409: { error: { code: 'conflict', message: 'Email is already registered' } },
  413: { error: { code: 'payload_too_large', message: 'Request body is too large' } },
  415: { error: { code: 'unsupported_media_type', message: 'Only PNG, JPEG, WebP and GIF images are accepted' } },
  429: { error: { code: 'rate_limited', message: 'Too many requests, retry in 30 seconds' } },
  503: { error: { code: 'unavailable', message: 'Database is not answering' } },
  507: {
    error: { code: 'insufficient_storage', message: 'The server has no room to store this file; nothing was stored' },
  },
} satisfies Record<number, ErrorBody>;

export type ErrorStatus = keyof typeof EXAMPLES;

/** The one error shape, registered once per status (`Error404`...) with its example. */
const ERROR_SCHEMAS = Object.fromEntries(
  Object.entries(EXAMPLES).map(([status, example]) => [
    status,
    ErrorBodySchema.meta({ id: `Error${status}`, examples: [example] }),
  ]),
) as Record<ErrorStatus, typeof ErrorBodySchema>;

/** Documents which error statuses a route can answer with, all in the one error shape. */
export function errorResponses<S extends ErrorStatus>(...statuses: S[]): Record<S, typeof ErrorBodySchema> {
  return Object.fromEntries(statuses.map((s) => [s, ERROR_SCHEMAS[s]])) as Record<S, typeof ErrorBodySchema>;
}

export const bearerAuth = [{ bearerAuth: [] }];
