import type { ClientContext, Redis, Result } from 'ioredis';
import type { Clock } from '../clock';

/** A count and how long until it lapses back to zero. */
export interface Count {
  count: number;
  resetInMs: number;
}

/**
 * Counts that lapse: "how many failed sign-ins for this account in the last 15 minutes".
 * One node keeps them in memory; a cluster keeps them in Redis, so an attacker spreading
 * attempts over the nodes behind a load balancer meets the same count everywhere.
 */
export interface Counters {
  /** Adds one to `key`; a fresh count lapses `windowMs` after this first hit. */
  hit(key: string, windowMs: number): Promise<Count>;
  /** Takes back one earlier `hit` of `key` (never below zero; the window is unchanged). */
  unhit(key: string): Promise<void>;
  peek(key: string): Promise<Count>;
  /** Sets `key` to 1 for `windowMs` (a marker, e.g. "this address signed in before"). */
  mark(key: string, windowMs: number): Promise<void>;
  clear(key: string): Promise<void>;
}

const ZERO: Count = { count: 0, resetInMs: 0 };

export function createMemoryCounters(clock: Clock): Counters {
  const entries = new Map<string, { count: number; expiresAt: number }>();
  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  let hitsSinceSweep = 0;
  // An attacker cycling keys must not grow the map without bound: drop lapsed entries now and then.
  const sweep = () => {
    if (++hitsSinceSweep < 10_000) return;
    hitsSinceSweep = 0;
    for (const key of entries.keys()) live(key);
  };
  return {
    async hit(key, windowMs) {
      sweep();
      const entry = live(key) ?? { count: 0, expiresAt: clock.now() + windowMs };
      entry.count += 1;
      entries.set(key, entry);
      return { count: entry.count, resetInMs: entry.expiresAt - clock.now() };
    },
    async unhit(key) {
      const entry = live(key);
      if (entry && entry.count > 0) entry.count -= 1;
    },
    async peek(key) {
      const entry = live(key);
      return entry ? { count: entry.count, resetInMs: entry.expiresAt - clock.now() } : ZERO;
    },
    async mark(key, windowMs) {
      entries.set(key, { count: 1, expiresAt: clock.now() + windowMs });
    },
    async clear(key) {
      entries.delete(key);
    },
  };
}

/** INCR, and start the window on the first hit; one round trip, atomic. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/** DECR an existing, positive count; DECR keeps the key's expiry. */
const UNHIT_SCRIPT = `
local count = tonumber(redis.call('GET', KEYS[1]))
if count and count > 0 then redis.call('DECR', KEYS[1]) end
return 0`;

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    parleyHit(key: string, windowMs: number): Result<[number, number], Context>;
    parleyUnhit(key: string): Result<number, Context>;
  }
}

export function createRedisCounters(redis: Redis, prefix = 'parley:count:'): Counters {
  // Sent once, then run by its hash (EVALSHA): every request is counted, so keep it small.
  redis.defineCommand('parleyHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
  redis.defineCommand('parleyUnhit', { numberOfKeys: 1, lua: UNHIT_SCRIPT });
  return {
    async hit(key, windowMs) {
      const [count, ttl] = await redis.parleyHit(prefix + key, windowMs);
      return { count, resetInMs: Math.max(ttl, 0) };
    },
    async unhit(key) {
      await redis.parleyUnhit(prefix + key);
    },
    async peek(key) {
      const [count, ttl] = await redis
        .multi()
        .get(prefix + key)
        .pttl(prefix + key)
        .exec()
        .then(results);
      return count === null ? ZERO : { count: Number(count), resetInMs: Math.max(Number(ttl), 0) };
    },
    async mark(key, windowMs) {
      await redis.set(prefix + key, 1, 'PX', windowMs);
    },
    async clear(key) {
      await redis.del(prefix + key);
    },
  };
}

function results(replies: [Error | null, unknown][] | null): unknown[] {
  if (!replies) throw new Error('Redis transaction aborted');
  return replies.map(([error, value]) => {
    if (error) throw error;
    return value;
  });
}

/**
 * Redis first; while it is down, this node's own memory. Abuse limits then hold per node
 * instead of cluster-wide, which beats both alternatives: no limits, or no sign-ins at all.
 * An outage is reported once when it starts and once when it ends, not on every count.
 */
export function withFallback(
  primary: Counters,
  fallback: Counters,
  report: { failing(error: unknown): void; recovered(): void },
): Counters {
  let failing = false;
  const attempt =
    <A extends unknown[], R>(op: (c: Counters) => (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      let result: R;
      try {
        result = await op(primary)(...args);
      } catch (error) {
        if (!failing) report.failing(error);
        failing = true;
        return op(fallback)(...args);
      }
      if (failing) report.recovered();
      failing = false;
      return result;
    };
  return {
    hit: attempt((c) => c.hit),
    unhit: attempt((c) => c.unhit),
    peek: attempt((c) => c.peek),
    mark: attempt((c) => c.mark),
    clear: attempt((c) => c.clear),
  };
}
