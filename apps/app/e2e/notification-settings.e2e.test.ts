import type { NotificationSettings } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUnsubscribeTokens } from '../../server/src/notification-settings/unsubscribe-token';
import { signUp } from '../../server/src/testing/test-app';
import { as } from '../../server/src/testing/test-desk';
import { type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** Carla decides what reaches her outside the app, and a mail's unsubscribe link stops one kind. */
describe('notification settings', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'sets push to mentions, email categories and quiet hours in Profile; an unsubscribe link asks, then stops one kind',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const carla = await signUp(t, 'customer', {
        username: 'carla',
        displayName: 'Carla Customer',
        password: PASSWORD,
      });
      const settings = async () => (await as(t, carla).get('/me/notification-settings')).json<NotificationSettings>();
      const { page } = await e2e.person({ viewport: { width: 1100, height: 900 } });
      await signInInApp(page, 'carla');
      await page.goto('/profile');
      const panel = visible(page.getByTestId('notification-settings'));
      await visible(
        panel.getByRole('radiogroup', { name: 'Push' }).getByRole('radio', { name: 'Mentions only' }),
      ).click();
      await expect.poll(async () => (await settings()).push).toBe('mentions');
      const about = panel.getByRole('group', { name: 'Email me about' });
      await about.getByRole('checkbox', { name: 'Work for me or my team' }).click();
      await expect.poll(async () => (await settings()).emailOff).toEqual(['assignments']);
      await panel.getByLabel('From', { exact: true }).fill('21:30');
      await panel.getByLabel('To', { exact: true }).fill('06:45');
      await panel.getByRole('button', { name: 'Set quiet hours' }).click();
      await expect
        .poll(async () => (await settings()).quietHours)
        .toEqual({ from: '21:30', to: '06:45', timeZone: expect.any(String) });
      await expect
        .poll(() => panel.getByTestId('quiet-hours-state').textContent())
        .toContain('Quiet from 21:30 to 06:45');
      // A time that is none is refused and said so; nothing changes.
      await panel.getByLabel('From', { exact: true }).fill('25:00');
      await panel.getByRole('button', { name: 'Update quiet hours' }).click();
      await expect.poll(() => panel.getByRole('alert').count()).toBeGreaterThan(0);
      expect((await settings()).quietHours).toMatchObject({ from: '21:30' });
      await screenshot(page, 'wide-notification-settings-light', { forDocs: true });

      // The link in a mail about her tickets: the page asks first (mail scanners open links too).
      const token = createUnsubscribeTokens(t.config.jwtSecret).sign({
        workspaceId: carla.user.workspace.id,
        userId: carla.user.id,
        category: 'tickets',
      });
      await page.goto(`/unsubscribe?token=${encodeURIComponent(token)}`);
      await expect.poll(() => visible(page.getByText('Stop the emails about My tickets?')).count()).toBe(1);
      expect((await settings()).emailOff).toEqual(['assignments']);
      await visible(page.getByRole('button', { name: 'Unsubscribe', exact: true })).click();
      await expect.poll(() => visible(page.getByText(/^Done: no more emails about My tickets from /)).count()).toBe(1);
      expect((await settings()).emailOff.sort()).toEqual(['assignments', 'tickets']);
      await visible(page.getByRole('button', { name: 'All notification settings' })).click();
      await expect
        .poll(() => visible(page.getByRole('checkbox', { name: 'My tickets' })).getAttribute('aria-checked'))
        .toBe('false');
    },
  );
});
