/**
 * How the app says when something happened, in the reader's locale and time zone: relative
 * ("5 min. ago", "yesterday") in lists, a clock time under messages, and the full date and time
 * for hover titles and screen readers. Pure functions of `now`, so one ticker can drive them all.
 */
export interface TimeStyle {
  /** A BCP 47 tag, the app language: `en`, `de`. */
  locale: string;
  /** An IANA zone; the device's when left out. */
  timeZone?: string | undefined;
}

export interface RelativeStyle extends TimeStyle {
  now: number;
  /** What to say for the last minute (Intl only has "now"). */
  justNow: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Up to this many calendar days back, "3 days ago"; before that, the date. */
const DAYS_AS_RELATIVE = 6;

// Intl formatters are costly to make and every row of every list asks; keep one per style.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `d|${locale}|${JSON.stringify(options)}`;
  let format = formatters.get(key) as Intl.DateTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  return format;
}

function relativeFormat(locale: string): Intl.RelativeTimeFormat {
  const key = `r|${locale}`;
  let format = formatters.get(key) as Intl.RelativeTimeFormat | undefined;
  if (!format) formatters.set(key, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style: 'short' })));
  return format;
}

const toMs = (when: string | number) => (typeof when === 'number' ? when : Date.parse(when));

/** The day on the wall calendar of the zone, as a count of days, so "yesterday" means the date before. */
function calendarDay(ms: number, timeZone: string | undefined): number {
  const parts = dateFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day')) / DAY;
}

const yearOf = (ms: number, timeZone: string | undefined) =>
  dateFormat('en-US', { timeZone, year: 'numeric' }).format(ms);

/** The date alone, with the year only when it is not this year's: "2 Dec", "2 Dec 2025". */
function shortDate(ms: number, style: TimeStyle & { now: number }, withTime: boolean): string {
  const { locale, timeZone } = style;
  return dateFormat(locale, {
    timeZone,
    day: 'numeric',
    month: 'short',
    ...(yearOf(ms, timeZone) !== yearOf(style.now, timeZone) && { year: 'numeric' }),
    ...(withTime && { hour: '2-digit', minute: '2-digit' }),
  }).format(ms);
}

/** "just now", "5 min. ago", "3 hr. ago" (the same day), "yesterday", "3 days ago", then the date. */
export function formatRelative(when: string | number, style: RelativeStyle): string {
  const ms = toMs(when);
  const { now, locale, timeZone } = style;
  const elapsed = Math.max(0, now - ms); // a server clock a little ahead is still "just now"
  if (elapsed < MINUTE) return style.justNow;
  const relative = relativeFormat(locale);
  if (elapsed < HOUR) return relative.format(-Math.floor(elapsed / MINUTE), 'minute');
  const days = calendarDay(now, timeZone) - calendarDay(ms, timeZone);
  if (days <= 0) return relative.format(-Math.floor(elapsed / HOUR), 'hour');
  if (days <= DAYS_AS_RELATIVE) return relative.format(-days, 'day');
  return shortDate(ms, style, false);
}

/** Under a message: the time of day for today's, the date and time for older ones. */
export function formatClock(when: string | number, style: TimeStyle & { now: number }): string {
  const ms = toMs(when);
  if (calendarDay(ms, style.timeZone) === calendarDay(style.now, style.timeZone)) {
    return dateFormat(style.locale, { timeZone: style.timeZone, hour: '2-digit', minute: '2-digit' }).format(ms);
  }
  return shortDate(ms, style, true);
}

/** "Wednesday, 2 December 2026 at 14:05": on hover and for screen readers. */
export function formatFull(when: string | number, style: TimeStyle): string {
  return dateFormat(style.locale, { timeZone: style.timeZone, dateStyle: 'full', timeStyle: 'short' }).format(
    toMs(when),
  );
}
