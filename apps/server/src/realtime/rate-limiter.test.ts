import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter';

describe('the per-socket rate limiter', () => {
  it('lets a burst through, then refills at the steady rate', () => {
    let now = 0;
    const limiter = createRateLimiter({ perSecond: 10, burst: 5, now: () => now });
    expect(Array.from({ length: 7 }, () => limiter.take())).toEqual([true, true, true, true, true, false, false]);
    now += 250; // 2.5 tokens back
    expect(Array.from({ length: 3 }, () => limiter.take())).toEqual([true, true, false]);
    now += 60_000; // never more than the burst
    expect(Array.from({ length: 6 }, () => limiter.take()).filter(Boolean)).toHaveLength(5);
  });
});
