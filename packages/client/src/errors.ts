import type { ErrorCode, FieldIssue } from '@parley/protocol';

/**
 * Every failure the client reports: the server's `{error:{code,message,details}}` with the HTTP
 * status, or `network` (status 0) when the server could not be reached at all.
 */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network',
    message: string,
    readonly details?: { fields?: FieldIssue[] } & Record<string, unknown>,
  ) {
    super(message);
  }
}
