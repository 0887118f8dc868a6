import { describe, expect, it } from 'vitest';
import { formatClock, formatFull, formatRelative } from './time-format';

const NOW = Date.parse('2026-12-02T15:05:00Z');
const ago = (ms: number) => NOW - ms;
const en = { locale: 'en', timeZone: 'UTC', now: NOW, justNow: 'just now' };
const de = { locale: 'de', timeZone: 'UTC', now: NOW, justNow: 'gerade eben' };
const MIN = 60_000;

describe('relative times', () => {
  it('say "just now" for the last minute, then minutes, in the reader\'s language', () => {
    expect(formatRelative(ago(30_000), en)).toBe('just now');
    expect(formatRelative(ago(30_000), de)).toBe('gerade eben');
    expect(formatRelative(ago(MIN), en)).toBe('1 min. ago');
    expect(formatRelative(ago(5 * MIN + 59_000), en)).toBe('5 min. ago');
    expect(formatRelative(ago(5 * MIN), de)).toBe('vor 5 Min.');
  });

  it('treat a time a little in the future (a server clock ahead) as just now', () => {
    expect(formatRelative(NOW + 5_000, en)).toBe('just now');
  });

  it('count hours within the same day, then calendar days: "yesterday" is the date before', () => {
    expect(formatRelative(ago(3 * 60 * MIN + 10 * MIN), en)).toBe('3 hr. ago');
    expect(formatRelative('2026-12-01T23:59:00Z', en)).toBe('yesterday');
    expect(formatRelative('2026-12-01T08:00:00Z', de)).toBe('gestern');
    expect(formatRelative('2026-11-29T10:00:00Z', en)).toBe('3 days ago');
    expect(formatRelative('2026-11-29T10:00:00Z', de)).toBe('vor 3 Tagen');
  });

  it("follow the reader's time zone for what counts as yesterday", () => {
    const then = '2026-12-01T23:30:00Z';
    const now = Date.parse('2026-12-02T01:00:00Z');
    expect(formatRelative(then, { ...en, now, timeZone: 'UTC' })).toBe('yesterday');
    expect(formatRelative(then, { ...en, now, timeZone: 'Europe/Berlin' })).toBe('1 hr. ago');
    expect(formatRelative(then, { ...en, now, timeZone: 'America/New_York' })).toBe('1 hr. ago');
  });

  it('give the date after a week, with the year only when it is another year', () => {
    expect(formatRelative('2026-11-20T10:00:00Z', en)).toBe('Nov 20');
    expect(formatRelative('2026-11-20T10:00:00Z', de)).toBe('20. Nov.');
    expect(formatRelative('2025-12-20T10:00:00Z', en)).toBe('Dec 20, 2025');
  });
});

describe('clock times under messages', () => {
  it("show the time of day for today's, the date and time for older ones", () => {
    expect(formatClock(ago(10 * MIN), en)).toBe('02:55 PM');
    expect(formatClock(ago(10 * MIN), de)).toBe('14:55');
    expect(formatClock('2026-12-01T23:30:00Z', en)).toBe('Dec 1, 11:30 PM');
    expect(formatClock('2026-12-01T23:30:00Z', de)).toBe('1. Dez., 23:30');
    // Just after midnight in Berlin, 23:30 UTC of the day before is today there.
    expect(formatClock('2026-12-01T23:30:00Z', { ...de, timeZone: 'Europe/Berlin' })).toBe('00:30');
  });
});

describe('full dates', () => {
  it('name the day, date and time in the language and zone of the reader', () => {
    expect(formatFull(NOW, { locale: 'en', timeZone: 'Europe/Berlin' })).toBe('Wednesday, December 2, 2026 at 4:05 PM');
    expect(formatFull(NOW, { locale: 'de', timeZone: 'Europe/Berlin' })).toBe('Mittwoch, 2. Dezember 2026 um 16:05');
    expect(formatFull(NOW, { locale: 'de', timeZone: 'UTC' })).toBe('Mittwoch, 2. Dezember 2026 um 15:05');
  });
});
