import type { Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../server/src/testing/test-app';
import { createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** The agent's desk: who the customer is, who else is looking, and changing many tickets at once. */
describe('agent desk', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    "shows the customer's other ticket and notes, who else is viewing, and changes two tickets at once",
    { timeout: 90_000 },
    async () => {
      await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      const sam = await signUp(e2e.t, 'agent', { username: 'sam', displayName: 'Sam', password: PASSWORD });
      const kim = await signUp(e2e.t, 'agent', { username: 'kim', displayName: 'Kim', password: PASSWORD });
      const carla = await signUp(e2e.t, 'customer', { username: 'carla', displayName: 'Carla', password: PASSWORD });
      const support = await createTeam(e2e.t, 'Support', [sam, kim], { category: 'Sign-in and account' });
      const first = await openTicket(e2e.t, carla, { subject: 'Printer on fire', teamId: support });
      const second = await openTicket(e2e.t, carla, { subject: 'Printer still smoking', teamId: support });

      // Sam opens the second ticket: beside the thread, Carla and her other ticket.
      const samPage = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
      await signInInApp(samPage, 'sam');
      await samPage.goto(`/tickets/${second.id}`);
      const customer = visible(samPage.getByRole('region', { name: 'Customer', exact: true }));
      await expect.poll(() => customer.count()).toBe(1);
      await expect.poll(count(customer.getByRole('button', { name: 'Open ticket Printer on fire' }))).toBe(1);
      expect(await customer.textContent()).toContain('Carla');

      // A note about the customer, for every agent.
      await customer.getByLabel('Note about the customer', { exact: true }).fill('Prefers a call back in the morning');
      await customer.getByRole('button', { name: 'Add note', exact: true }).click();
      const notes = customer.getByRole('group', { name: 'Notes about this customer' });
      await expect.poll(() => notes.textContent()).toContain('Prefers a call back in the morning');

      // Kim opens the same ticket: she sees that Sam is viewing it, and Sam sees her.
      const kimPage = (await e2e.person()).page;
      await signInInApp(kimPage, 'kim');
      await kimPage.goto(`/tickets/${second.id}`);
      await expect.poll(count(kimPage.getByRole('status').filter({ hasText: 'Sam is viewing' }))).toBe(1);
      await expect.poll(count(samPage.getByRole('status').filter({ hasText: 'Kim is viewing' }))).toBe(1);
      const kimCustomer = visible(kimPage.getByRole('region', { name: 'Customer', exact: true }));
      await expect.poll(() => kimCustomer.textContent()).toContain('Prefers a call back in the morning');
      await screenshot(samPage, 'wide-customer-context-light', { forDocs: true });

      // Kim leaves for the queue: Sam no longer sees her.
      await kimPage.goto('/');
      await expect.poll(count(samPage.getByRole('status').filter({ hasText: 'Kim is viewing' }))).toBe(0);

      // Kim chooses both of Carla's tickets in her queue and marks them pending at once.
      await visible(kimPage.getByRole('checkbox', { name: 'Select Printer on fire' })).click();
      await visible(kimPage.getByRole('checkbox', { name: 'Select Printer still smoking' })).click();
      const bar = visible(kimPage.getByRole('toolbar', { name: 'Bulk actions' }));
      await expect.poll(() => bar.textContent()).toContain('2 selected');
      await bar
        .getByRole('group', { name: 'Set status' })
        .getByRole('button', { name: 'Pending', exact: true })
        .click();
      await expect.poll(count(kimPage.getByRole('status').filter({ hasText: '2 changed, 0 not allowed' }))).toBe(1);
      for (const ticket of [first, second]) {
        const response = await e2e.t.app.inject({ method: 'GET', url: `/tickets/${ticket.id}`, headers: bearer(kim) });
        expect(response.json<Ticket>().status).toBe('pending');
      }
    },
  );
});
