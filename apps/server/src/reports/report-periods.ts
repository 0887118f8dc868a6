import { DateTime } from 'luxon';

/**
 * The days of a report's range in its time zone: `starts[i]` is when day `keys[i]` begins
 * (epoch ms), `starts[n]` when the range ends. Days are the zone's own, so one across a DST
 * change has 23 or 25 hours.
 */
export interface ReportDays {
  keys: string[];
  starts: number[];
  start: number;
  end: number;
}

export function daysOf(from: string, to: string, timeZone: string): ReportDays {
  const keys: string[] = [];
  const starts: number[] = [];
  let day = DateTime.fromISO(from, { zone: timeZone }).startOf('day');
  const last = DateTime.fromISO(to, { zone: timeZone }).startOf('day');
  while (day <= last) {
    keys.push(day.toISODate()!);
    starts.push(day.toMillis());
    day = day.plus({ days: 1 }).startOf('day');
  }
  starts.push(day.toMillis());
  return { keys, starts, start: starts[0]!, end: starts[starts.length - 1]! };
}
