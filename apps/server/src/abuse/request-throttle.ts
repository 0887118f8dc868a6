import { AppError } from '../http/app-error';
import type { Counters } from './counters';

/**
 * Counts one request against each key and refuses it with `429 rate_limited` (with when to retry)
 * once any key is over `limit` in its window. Counted first, so concurrent requests cannot all
 * slip under the limit; a refused request takes its counts back, so waiting out the window works.
 */
export async function countOrRefuse(
  counters: Counters,
  keys: string[],
  limit: number,
  windowMs: number,
  what: string,
): Promise<void> {
  const counts = await Promise.all(keys.map((key) => counters.hit(key, windowMs)));
  const over = counts.filter((c) => c.count > limit);
  if (over.length === 0) return;
  await Promise.all(keys.map((key) => counters.unhit(key)));
  const retryAfterSeconds = Math.max(1, Math.ceil(Math.max(...over.map((c) => c.resetInMs)) / 1000));
  throw new AppError('rate_limited', `Too many ${what}, retry in ${retryAfterSeconds} seconds`, { retryAfterSeconds });
}
