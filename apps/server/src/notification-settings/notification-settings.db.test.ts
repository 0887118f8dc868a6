import type { NotificationSettings, Unsubscribed } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';
import { createUnsubscribeTokens } from './unsubscribe-token';

/** How I hear of a workspace outside the app, and the unsubscribe link in its mails. */
describe(`notification settings on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t?.close());

  const settingsOf = async (who = desk.carla) =>
    (await as(t, who).get('/me/notification-settings')).json<NotificationSettings>();

  it('starts with everything on and no quiet hours, and keeps what I change (the rest stays)', async () => {
    expect(await settingsOf()).toEqual({ push: 'all', email: 'all', emailOff: [], quietHours: null });
    const changed = await as(t, desk.carla).patch('/me/notification-settings', {
      push: 'mentions',
      quietHours: { from: '22:00', to: '07:30', timeZone: 'Europe/Berlin' },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const expected = {
      push: 'mentions',
      email: 'all',
      emailOff: [],
      quietHours: { from: '22:00', to: '07:30', timeZone: 'Europe/Berlin' },
    };
    expect(changed.json()).toEqual(expected);
    expect(await settingsOf()).toEqual(expected);
    await as(t, desk.carla).patch('/me/notification-settings', { email: 'none' });
    expect(await settingsOf()).toEqual({ ...expected, email: 'none' });
    await as(t, desk.carla).patch('/me/notification-settings', { quietHours: null, emailOff: ['tickets', 'tickets'] });
    expect(await settingsOf()).toMatchObject({ quietHours: null, emailOff: ['tickets'] });
    // Mine alone: Dan's are untouched.
    expect(await settingsOf(desk.dan)).toEqual({ push: 'all', email: 'all', emailOff: [], quietHours: null });
  });

  it('refuses what it cannot keep, naming the field, and changes nothing', async () => {
    const before = await settingsOf(desk.sam);
    for (const [body, path] of [
      [{ push: 'loud' }, 'push'],
      [{ quietHours: { from: '25:00', to: '07:00', timeZone: 'UTC' } }, 'quietHours.from'],
      [{ quietHours: { from: '22:00', to: '22:00', timeZone: 'UTC' } }, 'quietHours.to'],
      [{ quietHours: { from: '22:00', to: '07:00', timeZone: 'Mars/Olympus' } }, 'quietHours.timeZone'],
      [{ emailOff: ['newsletters'] }, 'emailOff.0'],
      [{ emailedUpTo: 0 }, ''],
    ] as const) {
      const answer = await as(t, desk.sam).patch('/me/notification-settings', body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json().error.code).toBe('validation_failed');
      if (path) expect(JSON.stringify(answer.json().error.details.fields), JSON.stringify(body)).toContain(`"${path}"`);
    }
    expect(await settingsOf(desk.sam)).toEqual(before);
    expect((await t.app.inject({ method: 'GET', url: '/me/notification-settings' })).statusCode).toBe(401);
  });

  it("an unsubscribe link turns that category's mail off without signing in, and a forged one does nothing", async () => {
    const tokens = createUnsubscribeTokens(t.config.jwtSecret);
    const token = tokens.sign({
      workspaceId: desk.sam.user.workspace.id,
      userId: desk.sam.user.id,
      category: 'assignments',
    });
    // What a mail client does for RFC 8058 one-click: a form POST to the link.
    const oneClick = await t.app.inject({
      method: 'POST',
      url: `/unsubscribe?token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode, oneClick.body).toBe(200);
    expect(oneClick.json<Unsubscribed>()).toEqual({ category: 'assignments', workspaceName: expect.any(String) });
    expect((await settingsOf(desk.sam)).emailOff).toEqual(['assignments']);
    // Again (the app's page after the mail client): the same answer, nothing more.
    const again = await t.app.inject({ method: 'POST', url: `/unsubscribe?token=${encodeURIComponent(token)}` });
    expect(again.statusCode).toBe(200);
    expect((await settingsOf(desk.sam)).emailOff).toEqual(['assignments']);

    // Someone else's id in a token signed with another key, or a token cut short: refused.
    const forged = createUnsubscribeTokens('x'.repeat(48)).sign({
      workspaceId: desk.kim.user.workspace.id,
      userId: desk.kim.user.id,
      category: 'messages',
    });
    for (const bad of [forged, token.slice(0, -2), `${token}.x`, 'nonsense']) {
      const answer = await t.app.inject({ method: 'POST', url: `/unsubscribe?token=${encodeURIComponent(bad)}` });
      expect(answer.statusCode, bad).toBe(400);
      expect(answer.json().error.code).toBe('validation_failed');
    }
    expect((await settingsOf(desk.kim)).emailOff).toEqual([]);
  });
});
