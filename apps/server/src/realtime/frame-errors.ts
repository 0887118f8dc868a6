import type { ErrorCode } from '@parley/protocol';
import type { FastifyBaseLogger } from 'fastify';
import { isDatabaseUnavailable } from '../db/unavailable';
import { AppError } from '../http/app-error';

/** What a client is told about a frame handler's failure (and what the log keeps of it). */
export function errorOfFrame(
  error: unknown,
  log: FastifyBaseLogger,
  frameType: string,
): { code: ErrorCode; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error, frame: frameType }, 'database unavailable');
    return { code: 'unavailable', message: 'The database is not answering; retry shortly' };
  }
  log.error({ err: error, frame: frameType }, 'frame handler failed');
  return { code: 'internal', message: 'Internal server error' };
}
