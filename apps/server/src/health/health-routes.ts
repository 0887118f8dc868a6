import { HealthSchema, ReadinessSchema } from '@parley/protocol';
import type { DatabaseHandle } from '../db/connect';
import { AppError } from '../http/app-error';
import { errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';

export function registerHealthRoutes(app: ZodApp, deps: { database: DatabaseHandle }): void {
  app.get(
    '/healthz',
    { schema: { tags: ['health'], summary: 'The process is up', response: { 200: HealthSchema } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['health'],
        summary: 'Ready for traffic: the database answers',
        response: { 200: ReadinessSchema, ...errorResponses(503) },
      },
    },
    async (request) => {
      try {
        await deps.database.ping();
      } catch (error) {
        request.log.warn({ err: error }, 'readiness: database is not answering');
        throw new AppError('unavailable', 'Database is not answering', { checks: { database: 'down' } });
      }
      return { status: 'ok' as const, checks: { database: 'ok' as const } };
    },
  );
}
