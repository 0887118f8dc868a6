import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { createTeam } from '../../server/src/testing/test-desk';
import { type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

/**
 * Triage: an agent opens a ticket for a customer, who has it at once; the agent sets it pending,
 * then snoozes it; the customer's reply brings it back to open, live; taking it moves it from
 * the agent's Unassigned queue to Mine.
 */
describe('triage queues', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
    const sam = await signUp(e2e.t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
    await signUp(e2e.t, 'customer', { username: 'carla', displayName: 'Carla Customer', password: PASSWORD });
    await createTeam(e2e.t, 'Support', [sam], { category: 'Accounts' });
  });
  afterAll(() => e2e?.close());

  it(
    'opens a ticket for a customer, pends and snoozes it, wakes it by her reply, and takes it',
    { timeout: 60_000 },
    async () => {
      const agent = await e2e.person();
      const ap = agent.page;
      await signInInApp(ap, 'sam');
      const queue = visible(ap.getByRole('radiogroup', { name: 'Queue' }));
      const unassigned = queue.getByRole('radio', { name: /^Unassigned/ });
      await expect.poll(() => unassigned.getAttribute('aria-label')).toBe('Unassigned (0)');
      expect(await unassigned.getAttribute('aria-checked')).toBe('true');

      const customer = await e2e.person();
      const cp = customer.page;
      await signInInApp(cp, 'carla');

      // Sam opens one for Carla, found by name.
      await ap.bringToFront();
      await visible(ap.getByRole('button', { name: '+ New ticket' })).click();
      await visible(
        ap.getByRole('radiogroup', { name: 'Opened for' }).getByRole('radio', { name: 'A customer' }),
      ).click();
      await visible(ap.getByLabel('Find a customer by name', { exact: true })).fill('carla');
      await visible(ap.getByRole('radio', { name: 'Carla Customer (@carla)' })).click();
      await visible(ap.getByLabel('Subject', { exact: true })).fill('Phoned in: cannot sign in');
      await visible(ap.getByLabel('What happened?', { exact: true })).fill('Carla called: her password is refused.');
      await visible(ap.getByRole('radiogroup', { name: 'Team' }).getByRole('radio', { name: 'Support' })).click();
      await visible(ap.getByRole('button', { name: 'Open ticket' })).click();
      // The ticket's own status controls (the queue's Status filter is the other group of that name).
      const status = visible(
        ap
          .getByRole('radiogroup', { name: 'Status' })
          .filter({ has: ap.getByRole('radio', { name: 'Snooze', exact: true }) }),
      );
      await expect.poll(() => status.count()).toBe(1);
      await expect.poll(() => unassigned.getAttribute('aria-label')).toBe('Unassigned (1)');

      // Carla has it in her list without a reload.
      await cp.bringToFront();
      const carlasRow = visible(cp.getByRole('link', { name: /^Phoned in: cannot sign in, / }));
      await expect.poll(() => carlasRow.count()).toBe(1);
      expect(await carlasRow.getAttribute('aria-label')).toMatch(/^Phoned in: cannot sign in, Open, /);

      // Sam: pending, then snoozed until tomorrow morning.
      await ap.bringToFront();
      await status.getByRole('radio', { name: 'Pending', exact: true }).click();
      await expect
        .poll(() => status.getByRole('radio', { name: 'Pending', exact: true }).getAttribute('aria-checked'))
        .toBe('true');
      await status.getByRole('radio', { name: 'Snooze', exact: true }).click();
      await visible(ap.getByRole('button', { name: 'Tomorrow 9:00' })).click();
      await expect
        .poll(() => status.getByRole('radio', { name: 'Snooze', exact: true }).getAttribute('aria-checked'))
        .toBe('true');
      await expect.poll(() => visible(ap.getByText(/^Snoozed until /)).count()).toBeGreaterThan(0);
      await screenshot(ap, 'triage-snoozed');

      // Carla replies; Sam sees the ticket open again, live.
      await cp.bringToFront();
      await carlasRow.click();
      const composer = visible(cp.getByRole('textbox', { name: /^Write a message/ }));
      await composer.click();
      await composer.pressSequentially('It works again, thanks!');
      await composer.press('Enter');
      await ap.bringToFront();
      await expect
        .poll(() => status.getByRole('radio', { name: 'Open', exact: true }).getAttribute('aria-checked'))
        .toBe('true');
      await expect
        .poll(() => visible(thread(ap).getByText('Carla Customer reopened the ticket by replying')).count())
        .toBe(1);

      // Sam takes it: out of Unassigned, into Mine.
      await visible(ap.getByRole('button', { name: 'Take it' })).click();
      await expect.poll(() => unassigned.getAttribute('aria-label')).toBe('Unassigned (0)');
      await expect.poll(() => queue.getByRole('radio', { name: /^Mine/ }).getAttribute('aria-label')).toBe('Mine (1)');
      await screenshot(ap, 'triage-taken');
    },
  );
});
