import { ERROR_HTTP_STATUS, type ErrorBody, type ErrorCode, type FieldIssue } from '@parley/protocol';

type Details = NonNullable<ErrorBody['error']['details']>;

/**
 * A failure the caller should hear about, with a stable code from the protocol's table.
 * Services throw these; the HTTP and WebSocket edges turn them into `{error:{code,...}}`.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Details,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_HTTP_STATUS[code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.details && { details: this.details }) } };
  }
}

export const notFound = (what: string) => new AppError('not_found', `${what} not found`);

/** Something unique (an email, a name) someone else has: each field's reason is `taken`. */
export const fieldConflict = (fields: Omit<FieldIssue, 'reason'>[]) =>
  new AppError('conflict', fields.map((f) => f.message).join('; '), {
    fields: fields.map((f) => ({ ...f, reason: 'taken' as const })),
  });
