import type { Redis } from 'ioredis';

export interface OutageReport {
  /** The connection failed; further failures go unreported until it is back. */
  lost(error: unknown, name: string): void;
  back(name: string, downForMs: number): void;
}

/**
 * Reports a Redis connection's outage once, and its end. While Redis is away ioredis tries
 * again every few hundred milliseconds and emits an `error` for each try: logged one by one,
 * a minute's outage would bury everything else in the log.
 */
export function reportOutages(client: Redis, name: string, report: OutageReport): void {
  let downSince: number | undefined;
  client.on('error', (error) => {
    if (downSince !== undefined) return;
    downSince = Date.now();
    report.lost(error, name);
  });
  client.on('ready', () => {
    if (downSince === undefined) return;
    report.back(name, Date.now() - downSince);
    downSince = undefined;
  });
}
