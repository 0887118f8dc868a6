import type { ApiTokenList, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/**
 * A customer makes a personal API token in her profile and a script (plain `fetch`, as `curl`
 * would) uses it against the real server: it acts as her, within its scope, until she revokes it.
 */
describe('API tokens in the app', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'a customer creates a token, sees its secret once, a script reads her tickets with it but not her sessions, and revoking it stops it',
    { timeout: 90_000 },
    async () => {
      const { t } = e2e;
      const carla = await signUp(t, 'customer', { username: 'carla', displayName: 'Carla', password: PASSWORD });
      const dan = await signUp(t, 'customer', { username: 'dan', displayName: 'Dan', password: PASSWORD });
      const hers = await openTicket(t, carla, { subject: 'Export my invoices' });
      await openTicket(t, dan, { subject: 'Not for Carla' });

      const { page } = await e2e.person();
      await signInInApp(page, 'carla');
      await visible(page.getByRole('link', { name: 'Profile', exact: true }))
        .first()
        .click();
      await expect.poll(count(page.getByText('No tokens yet.', { exact: true }))).toBe(1);

      // Creating waits for a name and at least one scope; 90 days unless told.
      const create = visible(page.getByRole('button', { name: 'Create token', exact: true }));
      expect(await create.getAttribute('aria-disabled')).toBe('true');
      await visible(page.getByLabel('Token name', { exact: true })).fill('My export');
      expect(await create.getAttribute('aria-disabled')).toBe('true');
      const expiry = visible(page.getByRole('radiogroup', { name: 'Expires in', exact: true }));
      expect(await expiry.getByRole('radio', { name: '90 days', exact: true }).getAttribute('aria-checked')).toBe(
        'true',
      );
      const scopes = visible(page.getByRole('group', { name: 'What it may do', exact: true }));
      // A write scope says it includes reading.
      expect(await scopes.getByRole('checkbox', { name: 'Change tickets (includes reading)' }).count()).toBe(1);
      const readTickets = scopes.getByRole('checkbox', { name: 'Read tickets', exact: true });
      await readTickets.click();
      await expect.poll(() => readTickets.getAttribute('aria-checked')).toBe('true');
      expect(await create.getAttribute('aria-disabled')).toBeNull();
      await create.click();

      // The secret, this once.
      const secretBox = visible(page.getByTestId('api-token-secret'));
      await expect.poll(count(secretBox)).toBe(1);
      const secret = (await secretBox.textContent())!;
      expect(secret).toMatch(/^pat_[\w-]{20,}$/);
      expect(await visible(page.getByText('Copy it now: it will not be shown again.')).count()).toBe(1);
      const list = visible(page.getByRole('list', { name: 'API tokens', exact: true }));
      const row = list.getByRole('listitem').filter({ hasText: 'My export' });
      await expect.poll(count(row)).toBe(1);
      expect(await row.textContent()).toContain('Read tickets');
      expect(await row.textContent()).toContain('Never used');
      expect(await row.textContent()).toContain(secret.slice(0, 10)); // its prefix, to tell it apart
      expect(await seriousViolations(page)).toBe('');
      await screenshot(page, 'profile-api-token-created');

      // A script with it: her tickets (only hers), but not her sessions (no token reaches those).
      const call = (path: string) => fetch(`${e2e.baseUrl}${path}`, { headers: { authorization: `Bearer ${secret}` } });
      const tickets = await call('/tickets');
      expect(tickets.status).toBe(200);
      expect(((await tickets.json()) as { items: Ticket[] }).items.map((x) => [x.id, x.subject])).toEqual([
        [hers.id, 'Export my invoices'],
      ]);
      expect((await call('/me/sessions')).status).toBe(403);

      // Done: the secret is gone from the page, and is nowhere in it any more.
      await visible(page.getByRole('button', { name: 'Done', exact: true })).click();
      await expect.poll(count(page.getByTestId('api-token-secret'))).toBe(0);
      expect(await page.content()).not.toContain(secret);
      // The list shows the token, used now.
      await expect
        .poll(async () => (await as(t, carla).get('/me/api-tokens')).json<ApiTokenList>().items[0]?.lastUsedAt)
        .not.toBeNull();
      await page.reload();
      await expect.poll(count(row)).toBe(1);
      await expect.poll(() => row.textContent()).toContain('Last used');
      expect(await page.content()).not.toContain(secret);

      // Revoking asks first; then the token stops at once.
      await row.getByRole('button', { name: 'Revoke My export', exact: true }).click();
      await visible(page.getByRole('button', { name: 'Yes, revoke My export', exact: true })).click();
      await expect.poll(count(row)).toBe(0);
      await expect.poll(count(page.getByText('No tokens yet.', { exact: true }))).toBe(1);
      expect((await call('/tickets')).status).toBe(401);
    },
  );
});
