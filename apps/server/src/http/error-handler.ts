import type { ErrorBody, ErrorCode, FieldIssue } from '@parley/protocol';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable';
import { AppError } from './app-error';
import { fieldIssuesOf } from './field-issues';

/** Long enough for a pool to reconnect after a database restart, short enough to feel live. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/** Fastify's own 4xx errors (bad JSON, too large, wrong media type...) by status. */
const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** What was sent in each part of a request, to tell a blank field from a wrong one. */
const INPUT_OF: Record<FieldIssue['in'], (request: FastifyRequest) => unknown> = {
  body: (request) => request.body,
  querystring: (request) => request.query,
  params: (request) => request.params,
  headers: (request) => request.headers,
};

/**
 * One error shape for every failure: `{error:{code,message,details?}}`. Client mistakes are
 * explained; server faults are logged with the request id and answered without internals.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    reply.code(404).send(errorBody('not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`));
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const retryAfter = error.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') reply.header('retry-after', retryAfter);
      return reply.code(error.status).send(error.toBody());
    }

    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = (error.validationContext ?? 'body') as FieldIssue['in'];
      const fields = fieldIssuesOf(error.validation, where, INPUT_OF[where](request));
      const list = fields.map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
      return reply.code(400).send(errorBody('validation_failed', `Invalid ${where}: ${list}`, { fields }));
    }

    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', DATABASE_RETRY_AFTER_SECONDS);
      return reply.code(503).send(errorBody('unavailable', 'The database is not answering; retry shortly'));
    }

    const status = error.statusCode ?? 500;
    const code = status < 500 ? CODE_BY_STATUS[status] : undefined;
    if (code) return reply.code(status).send(errorBody(code, error.message));

    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send(errorBody('internal', 'Internal server error'));
  });
}

const errorBody = (code: ErrorCode, message: string, details?: ErrorBody['error']['details']): ErrorBody => ({
  error: { code, message, ...(details && { details }) },
});
