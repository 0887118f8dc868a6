import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../http/app-error';
import type { ZodApp } from '../http/zod-app';
import type { Counters } from './counters';

export interface RateLimits {
  /** Per address, on /auth/* (nobody is signed in there yet). */
  authPerMinute: number;
  /** Per signed-in user, on POST/PUT/PATCH/DELETE. */
  writesPerMinute: number;
  /** Per signed-in user, on GET. */
  readsPerMinute: number;
  /** Per signed-in user, on `call.signal` frames: a budget of their own, apart from writes. */
  signalsPerMinute: number;
}

const MINUTE = 60_000;
const READS = new Set(['GET', 'HEAD']);

/**
 * Request rates, counted in `counters`: in Redis when clustered (so a cluster counts as one),
 * and in this node's memory on a single node or while Redis is away. Signed-in routes count
 * per user, after the route's auth guard has said who that is: keying on a token's unverified
 * claims would let anyone spend someone else's quota. Over the limit: `429 rate_limited` with
 * `Retry-After`. Register before any route.
 */
export async function registerRateLimits(app: ZodApp, limits: RateLimits, counters: Counters): Promise<void> {
  await app.register(rateLimit, {
    global: false,
    store: storeOn(counters),
    // Counters fall back to memory on their own; should even that fail, serve rather than refuse.
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
    if (
      ['/auth/', '/invites/preview/', '/unsubscribe', '/widget/challenge', '/widget/sessions'].some((prefix) =>
        route.url.startsWith(prefix),
      )
    ) {
      // On arrival, so malformed attempts count too. Invite previews and unsubscribe links are
      // public guesses at tokens; a chat widget's new visitors are counted per address.
      route.onRequest = [...[route.onRequest ?? []].flat(), auth];
    } else if (route.preHandler) {
      // Public routes (health, docs, avatars, the web app) carry no guard and no limit. The
      // limiter goes after the guard, so `request.actor` is known when the key is made.
      const limiter = [route.method].flat().every((m) => READS.has(m)) ? reads : writes;
      route.preHandler = [...[route.preHandler].flat(), limiter];
    }
  });
}

/**
 * The plugin's store interface over our counters, so request limits and the sign-in throttle
 * share one way of counting, and one fallback when Redis goes away (the plugin's own Redis
 * store can only fail open). Keys already name their limit (`auth:`, `write:`, `read:`).
 */
function storeOn(counters: Counters): FastifyRateLimitStoreCtor {
  return class CountersStore implements FastifyRateLimitStore {
    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      windowMs: number,
    ) {
      counters.hit(`rate:${key}`, windowMs).then(
        ({ count, resetInMs }) => callback(null, { current: count, ttl: resetInMs }),
        (error: Error) => callback(error),
      );
    }
    child() {
      return this;
    }
  };
}

/** Spends one of a user's per-minute budget (writes, or call signals); false when it is spent already. */
export type UserBudget = (userId: string) => Promise<boolean>;

/**
 * The REST write limit for writes that come over a socket: the same counter (the key the
 * route limiter makes for `write:` plus the store's `rate:`), so all of a user's sockets, on
 * every node, and their REST calls share one budget. One counter hit: memory, or one Redis
 * round trip when clustered; never the database.
 */
export function createUserWriteLimit(counters: Counters, limits: Pick<RateLimits, 'writesPerMinute'>): UserBudget {
  return perUserPerMinute(counters, 'write', limits.writesPerMinute);
}

/**
 * Call signals (offers, answers, ICE candidates) come in bursts while a call connects, many more
 * than a person writes: they get a budget of their own, counted the same way, so a call neither
 * spends the user's writes nor relays without bound.
 */
export function createUserSignalLimit(counters: Counters, limits: Pick<RateLimits, 'signalsPerMinute'>): UserBudget {
  return perUserPerMinute(counters, 'signal', limits.signalsPerMinute);
}

function perUserPerMinute(counters: Counters, kind: string, max: number): UserBudget {
  return async (userId) => {
    try {
      const { count } = await counters.hit(`rate:${kind}:${userId}`, MINUTE);
      return count <= max;
    } catch {
      return true; // as for REST (skipOnError): counters that fail serve rather than refuse
    }
  };
}
