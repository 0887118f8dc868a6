import { HealthSchema, ReadinessSchema } from '@parley/protocol';
import type { DatabaseHandle } from '../db/connect';
import { AppError } from '../http/app-error';
import { errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import type { RealtimeInfrastructure } from '../realtime/realtime-infrastructure';

export function registerHealthRoutes(
  app: ZodApp,
  deps: { database: DatabaseHandle; realtime: Pick<RealtimeInfrastructure, 'redis' | 'isHealthy'> },
): void {
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
        summary: 'Ready for traffic: the database answers (503 if not); `degraded` while Redis is down',
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
      if (!deps.realtime.redis) return { status: 'ok' as const, checks: { database: 'ok' as const } };
      const redisUp = deps.realtime.isHealthy();
      return {
        status: redisUp ? ('ok' as const) : ('degraded' as const),
        checks: { database: 'ok' as const, redis: redisUp ? ('ok' as const) : ('down' as const) },
      };
    },
  );
}
