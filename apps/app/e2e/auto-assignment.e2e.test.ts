import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, screenshot, signInInApp, startE2E, visible } from './support';

/** Shows the agent's teams' queue (they start in Unassigned, which an assigned ticket leaves). */
async function showMyTeams(page: Page) {
  await visible(page.getByRole('radiogroup', { name: 'Queue' }).getByRole('radio', { name: /^My teams/ })).click();
}

/** The queue row of the ticket, as a screen reader names it (it ends with who has it). */
const row = (page: Page, subject: string) => visible(page.getByRole('link', { name: new RegExp(`^${subject}, `) }));

describe('auto-assignment', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ JOB_POLL_INTERVAL_MS: '200' });
  });
  afterAll(() => e2e?.close());

  // Three people's browsers at once: 16 s alone, once over 60 s early in a busy full suite.
  it(
    'gives a new ticket to the online agent, live, and passes over one who is away',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin' });
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent' });
      const kim = await signUp(t, 'agent', { username: 'kim', displayName: 'Kim Agent' });
      const support = await createTeam(t, 'Support', [sam, kim], { category: 'Accounts' });
      const carla = await signUp(t, 'customer', { username: 'carla', displayName: 'Carla Customer' });

      // Ada turns round-robin on for Support.
      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await admin.goto('/admin');
      await visible(admin.getByRole('radio', { name: 'Teams', exact: true })).click();
      const card = admin.getByTestId('admin-team-Support');
      await visible(card.getByRole('button', { name: 'Manage Support' })).click();
      await card.getByRole('radio', { name: 'Round-robin', exact: true }).click();
      await card.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(count(card.getByText('Auto-assignment: Round-robin', { exact: true }))).toBe(1);
      await screenshot(admin, 'auto-assignment-team');

      // Sam is the one online: Carla's ticket shows in his queue as his, without a reload.
      const samPage = (await e2e.person()).page;
      await signInInApp(samPage, 'sam');
      await showMyTeams(samPage);
      const samSwitch = visible(samPage.getByRole('switch', { name: 'Available for new tickets' }));
      await expect.poll(() => samSwitch.isChecked()).toBe(true);
      await openTicket(t, carla, { subject: 'Locked out', teamId: support });
      await expect.poll(() => row(samPage, 'Locked out').getAttribute('aria-label')).toMatch(/assigned to Sam Agent$/);

      // Kim comes online; Sam goes away: the next tickets go to Kim.
      const kimPage = (await e2e.person()).page;
      await signInInApp(kimPage, 'kim');
      await showMyTeams(kimPage);
      await samSwitch.click();
      await expect.poll(() => samSwitch.isChecked()).toBe(false);
      await expect.poll(async () => (await as(t, sam).get('/me')).json().awaySince).toEqual(expect.any(String));
      await screenshot(samPage, 'auto-assignment-away');
      await openTicket(t, carla, { subject: 'Reset my password', teamId: support });
      await openTicket(t, carla, { subject: 'Two factor lost', teamId: support });
      for (const subject of ['Reset my password', 'Two factor lost']) {
        await expect.poll(() => row(kimPage, subject).getAttribute('aria-label')).toMatch(/assigned to Kim Agent$/);
      }
    },
  );
});
