import { createHash, timingSafeEqual } from 'node:crypto';
import type { onRequestAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config';
import { AppError } from '../http/app-error';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { addGauges, UNMATCHED_ROUTE, type AppMetrics, type GaugeSources } from './app-metrics';

/**
 * `GET /metrics` for Prometheus, and the request timings behind it. With METRICS_TOKEN set it
 * wants that token; without, it is open in development and test but absent in production, where
 * request rates and routes are nobody else's business.
 */
export function registerMetrics(
  app: ZodApp,
  metrics: AppMetrics,
  deps: { config: Pick<Config, 'env' | 'metricsToken'>; sources: GaugeSources },
): void {
  // Added last, it still times every route: Fastify applies root hooks to all routes at ready.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    metrics.observeRequest({ method: request.method, route, statusCode: reply.statusCode }, reply.elapsedTime / 1000);
    done();
  });
  addGauges(metrics.registry, deps.sources);

  const { metricsToken, env } = deps.config;
  if (!metricsToken && env === 'production') {
    app.log.info('GET /metrics is off: set METRICS_TOKEN to serve it to scrapers that send that bearer token');
    return;
  }
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (wants `Authorization: Bearer <METRICS_TOKEN>` when that is set)',
        security: bearerAuth,
        response: {
          200: { content: { [metrics.registry.contentType]: { schema: z.string() } } },
          ...errorResponses(401),
        },
      },
      ...(metricsToken && { onRequest: requireToken(metricsToken) }),
    },
    async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

function requireToken(expected: string): onRequestAsyncHookHandler {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const expectedDigest = digest(expected);
  return async (request) => {
    const given = request.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
    // Compared as digests: equal lengths for timingSafeEqual, and no hint of the token's length.
    if (!timingSafeEqual(digest(given), expectedDigest)) {
      throw new AppError('unauthorized', 'Send "Authorization: Bearer <METRICS_TOKEN>" to read the metrics');
    }
  };
}
