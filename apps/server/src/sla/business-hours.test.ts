import { describe, expect, it } from 'vitest';
import { addBusinessTime, businessTimeBetween, isWithinBusinessHours, type BusinessCalendar } from './business-hours';

const HOUR = 3600_000;
const weekdays = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
  timeZone,
  week: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' })),
  holidays,
});
const berlin = weekdays('Europe/Berlin');
const newYork = weekdays('America/New_York');

describe('business hours', () => {
  it('counts every hour without a calendar', () => {
    expect(addBusinessTime(0, 5 * HOUR, null)).toBe(5 * HOUR);
    expect(businessTimeBetween(0, 5 * HOUR, null)).toBe(5 * HOUR);
    expect(isWithinBusinessHours(0, null)).toBe(true);
  });

  it('starts counting at the next opening and skips the night and the weekend', () => {
    // Friday 2026-03-06 16:00 in Berlin (UTC+1) plus 3 business hours: Monday 11:00.
    const friday = Date.parse('2026-03-06T15:00:00Z');
    expect(new Date(addBusinessTime(friday, 3 * HOUR, berlin)).toISOString()).toBe('2026-03-09T10:00:00.000Z');
    // Saturday morning plus 1 hour: Monday 10:00.
    const saturday = Date.parse('2026-03-07T08:00:00Z');
    expect(new Date(addBusinessTime(saturday, HOUR, berlin)).toISOString()).toBe('2026-03-09T09:00:00.000Z');
    expect(businessTimeBetween(friday, Date.parse('2026-03-09T10:00:00Z'), berlin)).toBe(3 * HOUR);
  });

  it('keeps 09:00 to 17:00 local across the spring DST week in Europe/Berlin', () => {
    // DST starts Sunday 2026-03-29: Friday 09:00 is 08:00Z, Monday 09:00 is 07:00Z.
    const friday = Date.parse('2026-03-27T08:00:00Z');
    const monday = Date.parse('2026-03-30T07:00:00Z');
    expect(addBusinessTime(friday, 8 * HOUR, berlin)).toBe(Date.parse('2026-03-27T16:00:00Z'));
    expect(addBusinessTime(friday, 9 * HOUR, berlin)).toBe(Date.parse('2026-03-30T08:00:00Z'));
    expect(businessTimeBetween(friday, monday + HOUR, berlin)).toBe(9 * HOUR);
    // A whole week (Mon 23 to Mon 30) holds 5 × 8 hours however long its Sunday was.
    expect(businessTimeBetween(Date.parse('2026-03-23T00:00:00Z'), Date.parse('2026-03-30T00:00:00Z'), berlin)).toBe(
      40 * HOUR,
    );
    expect(isWithinBusinessHours(Date.parse('2026-03-30T07:30:00Z'), berlin)).toBe(true); // 09:30 CEST
    expect(isWithinBusinessHours(Date.parse('2026-03-27T07:30:00Z'), berlin)).toBe(false); // 08:30 CET
  });

  it('keeps 09:00 to 17:00 local across the autumn DST week in America/New_York', () => {
    // DST ends Sunday 2026-11-01: Friday 09:00 EDT is 13:00Z, Monday 09:00 EST is 14:00Z.
    const friday = Date.parse('2026-10-30T13:00:00Z');
    expect(addBusinessTime(friday, 10 * HOUR, newYork)).toBe(Date.parse('2026-11-02T16:00:00Z'));
    expect(businessTimeBetween(friday, Date.parse('2026-11-02T16:00:00Z'), newYork)).toBe(10 * HOUR);
    expect(isWithinBusinessHours(Date.parse('2026-11-02T13:30:00Z'), newYork)).toBe(false); // 08:30 EST
    expect(isWithinBusinessHours(Date.parse('2026-10-30T13:30:00Z'), newYork)).toBe(true); // 09:30 EDT
  });

  it('skips holidays', () => {
    const withHoliday = weekdays('Europe/Berlin', ['2026-12-24', '2026-12-25']);
    // Wednesday 23 Dec 16:00 CET plus 2 hours: Thursday and Friday are holidays, so Monday 10:00.
    const start = Date.parse('2026-12-23T15:00:00Z');
    expect(addBusinessTime(start, 2 * HOUR, withHoliday)).toBe(Date.parse('2026-12-28T09:00:00Z'));
    expect(isWithinBusinessHours(Date.parse('2026-12-24T10:00:00Z'), withHoliday)).toBe(false);
    expect(businessTimeBetween(start, Date.parse('2026-12-28T09:00:00Z'), withHoliday)).toBe(2 * HOUR);
  });

  it('adds and measures consistently', () => {
    const start = Date.parse('2026-03-26T12:34:00Z');
    for (const ms of [1, HOUR, 7 * HOUR, 30 * HOUR, 100 * HOUR]) {
      expect(businessTimeBetween(start, addBusinessTime(start, ms, berlin), berlin)).toBe(ms);
    }
  });

  it('refuses a calendar without open hours', () => {
    expect(() => addBusinessTime(0, HOUR, { timeZone: 'UTC', week: [], holidays: [] })).toThrow(/no open hours/);
  });
});
