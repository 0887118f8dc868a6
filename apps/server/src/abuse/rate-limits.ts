import rateLimit from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import type { Redis } from 'ioredis';
import { AppError } from '../http/app-error';
import type { ZodApp } from '../http/zod-app';

export interface RateLimits {
  /** Per address, on /auth/* (nobody is signed in there yet). */
  authPerMinute: number;
  /** Per signed-in user, on POST/PUT/PATCH/DELETE. */
  writesPerMinute: number;
  /** Per signed-in user, on GET. */
  readsPerMinute: number;
}

const MINUTE = 60_000;
const READS = new Set(['GET', 'HEAD']);

/**
 * Request rates, counted in Redis when there is one (so a cluster counts as one) and in memory
 * otherwise. Signed-in routes count per user, after the route's auth guard has said who that
 * is: keying on a token's unverified claims would let anyone spend someone else's quota. Over
 * the limit: `429 rate_limited` with `Retry-After`. Register before any route.
 */
export async function registerRateLimits(app: ZodApp, limits: RateLimits, redis: Redis | undefined): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    ...(redis && { redis, nameSpace: 'parley:rate:' }),
    // A Redis outage must not take the API down with it: let requests through meanwhile.
    skipOnError: true,
    errorResponseBuilder: (_request, context) =>
      new AppError('rate_limited', `Too many requests, retry in ${Math.ceil(context.ttl / 1000)} seconds`),
  });
  const byUser = (prefix: string) => (request: FastifyRequest) => `${prefix}:${request.actor?.id ?? request.ip}`;
  const auth = app.rateLimit({
    max: limits.authPerMinute,
    timeWindow: MINUTE,
    keyGenerator: (request) => `auth:${request.ip}`,
  });
  const writes = app.rateLimit({ max: limits.writesPerMinute, timeWindow: MINUTE, keyGenerator: byUser('write') });
  const reads = app.rateLimit({ max: limits.readsPerMinute, timeWindow: MINUTE, keyGenerator: byUser('read') });

  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.url.startsWith('/auth/')) {
      // On arrival, so malformed attempts count too.
      route.onRequest = [...[route.onRequest ?? []].flat(), auth];
    } else if (route.preHandler) {
      // Public routes (health, docs, avatars, the web app) carry no guard and no limit. The
      // limiter goes after the guard, so `request.actor` is known when the key is made.
      const limiter = [route.method].flat().every((m) => READS.has(m)) ? reads : writes;
      route.preHandler = [...[route.preHandler].flat(), limiter];
    }
  });
}
