import { DateTime } from 'luxon';

/**
 * When a desk works: open hours per weekday in one IANA time zone, minus holidays. Pure: SLA
 * clocks count only this time, and automation rules ask `isWithinBusinessHours`.
 *
 * Local times are turned into instants by luxon for each day on its own, so a week with a DST
 * change keeps its 09:00–17:00 (an hour shorter or longer overnight, never during work).
 */
export interface BusinessCalendar {
  /** IANA zone, e.g. `Europe/Berlin`. */
  timeZone: string;
  /** Open intervals; `day` is the ISO weekday (1 Monday … 7 Sunday); `HH:MM`, `to` up to `24:00`. */
  week: readonly { day: number; from: string; to: string }[];
  /** Local dates (`YYYY-MM-DD`) when the desk is closed all day. */
  holidays: readonly string[];
}

/** How far ahead the calendar is searched: a calendar without a single open hour is a mistake. */
const MAX_DAYS = 3 * 366;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
};

/** The calendar's open intervals on one local day, as instants, in order. */
function openIntervals(day: DateTime, calendar: BusinessCalendar): [number, number][] {
  if (calendar.holidays.includes(day.toISODate()!)) return [];
  return calendar.week
    .filter((w) => w.day === day.weekday)
    .map((w): [number, number] => [atMinute(day, minutesOf(w.from)), atMinute(day, minutesOf(w.to))])
    .filter(([from, to]) => to > from)
    .sort((a, b) => a[0] - b[0]);
}

/** The instant of a local wall time on `day` (`24:00` is the next midnight). */
function atMinute(day: DateTime, minute: number): number {
  if (minute >= 24 * 60) return day.plus({ days: 1 }).startOf('day').toMillis();
  return day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
}

function* days(from: number, calendar: BusinessCalendar): Generator<DateTime> {
  let day = DateTime.fromMillis(from, { zone: calendar.timeZone }).startOf('day');
  if (!day.isValid) throw new Error(`Unknown time zone ${calendar.timeZone}`);
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) yield day;
}

/** Whether the zone is one luxon (and so this module) knows. */
export const isKnownTimeZone = (zone: string): boolean => DateTime.now().setZone(zone).isValid;

/**
 * The instant when `ms` of business time have passed from `start` (null calendar: every hour
 * counts). Starting outside business hours, the count begins at the next opening.
 */
export function addBusinessTime(start: number, ms: number, calendar: BusinessCalendar | null): number {
  if (calendar === null || ms <= 0) return start + Math.max(0, ms);
  let left = ms;
  for (const day of days(start, calendar)) {
    for (const [from, to] of openIntervals(day, calendar)) {
      if (to <= start) continue;
      const begin = Math.max(from, start);
      if (left <= to - begin) return begin + left;
      left -= to - begin;
    }
  }
  throw new Error('The business calendar has no open hours');
}

/** How much business time lies between `a` and `b` (0 when `b` is not after `a`). */
export function businessTimeBetween(a: number, b: number, calendar: BusinessCalendar | null): number {
  if (b <= a) return 0;
  if (calendar === null) return b - a;
  let total = 0;
  for (const day of days(a, calendar)) {
    if (day.toMillis() >= b) break;
    for (const [from, to] of openIntervals(day, calendar)) {
      total += Math.max(0, Math.min(to, b) - Math.max(from, a));
    }
  }
  return total;
}

/** Whether the desk is open at `at` (null calendar: always). */
export function isWithinBusinessHours(at: number, calendar: BusinessCalendar | null): boolean {
  if (calendar === null) return true;
  const day = DateTime.fromMillis(at, { zone: calendar.timeZone }).startOf('day');
  return openIntervals(day, calendar).some(([from, to]) => at >= from && at < to);
}
