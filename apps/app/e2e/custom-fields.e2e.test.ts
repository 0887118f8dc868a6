import type { Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

/**
 * An admin defines "Root cause" (a select) required to close; an agent who closes a ticket is
 * asked for it, picks one in the prompt, and the ticket closes with it in one go.
 */
describe('custom fields', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('a root cause required to close is asked for when an agent closes the ticket', { timeout: 90_000 }, async () => {
    await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
    const sam = await signUp(e2e.t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
    const cora = await signUp(e2e.t, 'customer', { username: 'cora', displayName: 'Cora Customer' });

    // The admin defines the field in Admin → Fields.
    const admin = (await e2e.person()).page;
    await signInInApp(admin, 'ada');
    await admin.goto('/admin');
    await visible(admin.getByRole('radio', { name: 'Fields', exact: true })).click();
    await admin.getByLabel('Name', { exact: true }).fill('Root cause');
    await admin.getByRole('radiogroup', { name: 'Type' }).getByRole('radio', { name: 'Select', exact: true }).click();
    await admin.getByLabel('Options (one per line)', { exact: true }).fill('Billing\nBug\nHow-to');
    await admin
      .getByRole('group', { name: 'Required to set the status' })
      .getByRole('radio', { name: 'Closed', exact: true })
      .click();
    await admin.getByRole('button', { name: 'Add field', exact: true }).click();
    const fields = admin.getByRole('list', { name: 'Ticket fields' });
    await expect.poll(() => visible(fields).textContent()).toContain('Root cause (root_cause)');
    await expect.poll(() => fields.textContent()).toContain('required for: Closed');

    // A customer's ticket; the agent opens it and tries to close it.
    const ticket: Ticket = await openTicket(e2e.t, cora, { subject: 'Charged twice' });
    await as(e2e.t, sam).get('/tickets'); // (Sam sees teamless tickets)
    const agent = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
    await signInInApp(agent, 'sam');
    await agent.goto(`/tickets/${ticket.id}`);
    await visible(thread(agent));
    const details = agent.getByRole('complementary', { name: 'Details' });
    await visible(details.getByRole('radiogroup', { name: 'Status' }).getByRole('radio', { name: 'Closed' })).click();

    // It is not closed: a prompt asks for the root cause.
    const prompt = agent.getByRole('dialog', { name: 'Fill in before setting Closed' });
    await visible(prompt);
    expect(
      await details
        .getByRole('radiogroup', { name: 'Status' })
        .getByRole('radio', { name: 'Closed' })
        .getAttribute('aria-checked'),
    ).toBe('false');
    await prompt.getByRole('radiogroup', { name: 'Root cause' }).getByRole('radio', { name: 'Billing' }).click();
    await screenshot(agent, 'wide-custom-fields-light', { forDocs: true });
    await prompt.getByRole('button', { name: 'Save and set Closed' }).click();

    // Closed, with the root cause, in one go; the prompt is gone.
    await expect.poll(count(prompt)).toBe(0);
    await expect
      .poll(() =>
        details
          .getByRole('radiogroup', { name: 'Status' })
          .getByRole('radio', { name: 'Closed' })
          .getAttribute('aria-checked'),
      )
      .toBe('true');
    await expect
      .poll(() =>
        details
          .getByRole('group', { name: 'Fields' })
          .getByRole('radiogroup', { name: 'Root cause' })
          .getByRole('radio', { name: 'Billing' })
          .getAttribute('aria-checked'),
      )
      .toBe('true');
    await expect.poll(() => visible(thread(agent)).textContent()).toContain('Sam Agent set Root cause to Billing');
    const saved = (await as(e2e.t, sam).get(`/tickets/${ticket.id}`)).json<Ticket>();
    expect(saved).toMatchObject({ status: 'closed', fields: { root_cause: 'Billing' } });
  });
});
