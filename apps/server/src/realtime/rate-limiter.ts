/**
 * A token bucket: `burst` frames at once, refilled at `perSecond`. Cheap enough to keep one per
 * socket.
 */
export function createRateLimiter(opts: { perSecond: number; burst: number; now?: () => number }) {
  const now = opts.now ?? Date.now;
  let tokens = opts.burst;
  let last = now();
  return {
    /** True when this frame may pass. */
    take(): boolean {
      const t = now();
      tokens = Math.min(opts.burst, tokens + ((t - last) / 1000) * opts.perSecond);
      last = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
