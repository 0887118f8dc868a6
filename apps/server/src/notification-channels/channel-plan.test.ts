import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type StoredSettings } from '../notification-settings/settings-repository';
import { isQuiet, planChannels, quietEnds } from './channel-plan';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const nights = { from: 22 * 60, to: 7 * 60, timeZone: 'Europe/Berlin' };
const settings = (change: Partial<StoredSettings> = {}): StoredSettings => ({ ...DEFAULT_SETTINGS, ...change });
const offline = (iso: string) => ({ at: at(iso), online: false, emailDelayMs: 5 * MINUTE });

describe('which channels a notification takes', () => {
  it('pushes to someone away from the app and mails what is still unread five minutes later', () => {
    expect(planChannels('direct.message', settings(), offline('2026-12-03T12:00:00Z'))).toEqual({
      push: true,
      emailAt: at('2026-12-03T12:05:00Z'),
    });
  });

  it('does not push to someone active in the app on another device (the app shows it there)', () => {
    expect(planChannels('ticket.message', settings(), { ...offline('2026-12-03T12:00:00Z'), online: true }).push).toBe(
      false,
    );
  });

  it('lets only what is addressed to them through at the mentions level, and nothing at none', () => {
    const mentions = settings({ push: 'mentions', email: 'none' });
    expect(planChannels('message.mention', mentions, offline('2026-12-03T12:00:00Z'))).toEqual({
      push: true,
      emailAt: null,
    });
    expect(planChannels('ticket.assigned', mentions, offline('2026-12-03T12:00:00Z')).push).toBe(true);
    expect(planChannels('direct.message', mentions, offline('2026-12-03T12:00:00Z')).push).toBe(false);
    expect(planChannels('ticket.created', settings({ push: 'none' }), offline('2026-12-03T12:00:00Z')).push).toBe(
      false,
    );
  });

  it('sends no mail of a category they unsubscribed from, others still', () => {
    const noAssignments = settings({ emailOff: ['assignments'] });
    expect(planChannels('ticket.assigned', noAssignments, offline('2026-12-03T12:00:00Z')).emailAt).toBeNull();
    expect(planChannels('ticket.message', noAssignments, offline('2026-12-03T12:00:00Z')).emailAt).not.toBeNull();
  });

  it('is silent in quiet hours across midnight, in their time zone, and mails when they end', () => {
    const sleeper = settings({ quiet: nights });
    // 23:30 in Berlin (UTC+1 in December): quiet, no push; the mail waits for 07:00 Berlin.
    expect(planChannels('message.mention', sleeper, offline('2026-12-03T22:30:00Z'))).toEqual({
      push: false,
      emailAt: at('2026-12-04T06:00:00Z'),
    });
    // 06:58 Berlin: still quiet; its mail would be due 07:03, after they end: as usual.
    expect(planChannels('message.mention', sleeper, offline('2026-12-04T05:58:00Z'))).toEqual({
      push: false,
      emailAt: at('2026-12-04T06:03:00Z'),
    });
    // 12:00 Berlin: not quiet.
    expect(planChannels('message.mention', sleeper, offline('2026-12-04T11:00:00Z')).push).toBe(true);
  });

  it('knows quiet hours inside one day and at their edges', () => {
    const lunch = { from: 12 * 60, to: 13 * 60, timeZone: 'UTC' };
    expect(isQuiet(lunch, at('2026-12-03T11:59:00Z'))).toBe(false);
    expect(isQuiet(lunch, at('2026-12-03T12:00:00Z'))).toBe(true);
    expect(isQuiet(lunch, at('2026-12-03T12:59:59Z'))).toBe(true);
    expect(isQuiet(lunch, at('2026-12-03T13:00:00Z'))).toBe(false);
    expect(quietEnds(lunch, at('2026-12-03T12:20:30Z'))).toBe(at('2026-12-03T13:00:00Z'));
    expect(quietEnds(lunch, at('2026-12-03T14:00:00Z'))).toBe(at('2026-12-03T14:00:00Z'));
    expect(isQuiet(nights, at('2026-07-03T20:30:00Z'))).toBe(true); // 22:30 in Berlin's summer time
  });
});
