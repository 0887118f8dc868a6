import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

/** An admin writes a rule in the app; a customer's new ticket is triaged by it, live. */
describe('automation rules', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    "routes a new ticket with 'refund' in its subject to Billing, high, with a note",
    { timeout: 60_000 },
    async () => {
      const ada = await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      expect((await as(e2e.t, ada).post('/labels', { name: 'Refund', colour: '#aa3300' })).statusCode).toBe(201);
      const otto = await signUp(e2e.t, 'agent', { username: 'otto', displayName: 'Otto Billing', password: PASSWORD });
      await signUp(e2e.t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });
      await createTeam(e2e.t, 'Billing', [otto], { category: 'Invoices and payments' });

      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await admin.goto('/admin');
      await visible(admin.getByRole('radio', { name: 'Rules', exact: true })).click();
      await admin.getByLabel('Rule name', { exact: true }).fill('Refunds to Billing');
      // When a ticket is opened (the default), if its subject contains "refund"...
      await admin.getByLabel('Text to look for', { exact: true }).fill('refund');
      await admin.getByRole('button', { name: 'Add condition', exact: true }).click();
      // ...then team Billing, priority High, and a note.
      const actions = admin.getByRole('radiogroup', { name: 'Action', exact: true });
      await admin.getByRole('radiogroup', { name: 'Action: Set team' }).getByRole('radio', { name: 'Billing' }).click();
      await admin.getByRole('button', { name: 'Add action', exact: true }).click();
      await actions.getByRole('radio', { name: 'Set priority', exact: true }).click();
      await admin
        .getByRole('radiogroup', { name: 'Action: Set priority' })
        .getByRole('radio', { name: 'High' })
        .click();
      await admin.getByRole('button', { name: 'Add action', exact: true }).click();
      await actions.getByRole('radio', { name: 'Add internal note', exact: true }).click();
      await admin.getByLabel('Text', { exact: true }).fill('Refund: check the invoice first.');
      await admin.getByRole('button', { name: 'Add action', exact: true }).click();
      await actions.getByRole('radio', { name: 'Add label', exact: true }).click();
      await admin.getByRole('radiogroup', { name: 'Action: Add label' }).getByRole('radio', { name: 'Refund' }).click();
      await admin.getByRole('button', { name: 'Add action', exact: true }).click();
      await admin.getByRole('button', { name: 'Create rule', exact: true }).click();
      const card = admin.getByTestId('admin-rule-Refunds to Billing');
      await expect.poll(count(card)).toBe(1);
      await expect.poll(() => visible(card).textContent()).toContain('Set team: Billing; Set priority: High');
      expect(await visible(card).textContent()).toContain('Add label: Refund');
      await expect.poll(() => card.getByRole('switch').isChecked()).toBe(true);
      await screenshot(admin, 'automation-rules');

      // The customer opens a ticket; Parley's changes reach her thread live.
      const customer = (await e2e.person()).page;
      await signInInApp(customer, 'cora');
      await visible(customer.getByRole('button', { name: '+ New ticket' })).click();
      await customer.getByLabel('Subject', { exact: true }).fill('Refund for order 1234');
      await customer.getByLabel('What happened?', { exact: true }).fill('I was charged twice.');
      await visible(customer.getByRole('button', { name: 'Open ticket' })).click();
      await expect.poll(() => customer.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
      const lines = () => visible(thread(customer)).textContent();
      await expect.poll(lines).toContain('Parley changed the priority from Medium to High');
      await expect.poll(lines).toContain('Parley moved the ticket to Invoices and payments');
      expect(await lines()).not.toContain('check the invoice');

      // Staff see Parley's note.
      await admin.goto(new URL(customer.url()).pathname);
      await expect.poll(() => visible(thread(admin)).textContent()).toContain('Refund: check the invoice first.');
      await expect.poll(() => visible(thread(admin)).textContent()).toContain('Parley added the label Refund');
    },
  );

  it('makes a ticket urgent once its root cause (a custom field) is set to Bug', { timeout: 60_000 }, async () => {
    const ada = await signUp(e2e.t, 'admin', { username: 'abe', displayName: 'Abe Admin', password: PASSWORD });
    const field = await as(e2e.t, ada).post('/custom-fields', {
      entity: 'ticket',
      key: 'root_cause',
      name: 'Root cause',
      type: 'select',
      options: ['Billing', 'Bug'],
    });
    expect(field.statusCode, field.body).toBe(201);

    const admin = (await e2e.person()).page;
    await signInInApp(admin, 'abe');
    await admin.goto('/admin');
    await visible(admin.getByRole('radio', { name: 'Rules', exact: true })).click();
    await admin.getByLabel('Rule name', { exact: true }).fill('Bugs are urgent');
    await admin.getByRole('radiogroup', { name: 'When' }).getByRole('radio', { name: 'A ticket changes' }).click();
    await admin
      .getByRole('radiogroup', { name: 'Condition', exact: true })
      .getByRole('radio', { name: 'Field' })
      .click();
    await visible(
      admin.getByRole('radiogroup', { name: 'Condition: Field' }).getByRole('radio', { name: 'Root cause' }),
    ).click();
    await admin.getByRole('radiogroup', { name: 'Root cause: value' }).getByRole('radio', { name: 'Bug' }).click();
    await admin.getByRole('button', { name: 'Add condition', exact: true }).click();
    const actions = admin.getByRole('radiogroup', { name: 'Action', exact: true });
    await actions.getByRole('radio', { name: 'Set priority', exact: true }).click();
    await admin
      .getByRole('radiogroup', { name: 'Action: Set priority' })
      .getByRole('radio', { name: 'Urgent' })
      .click();
    await admin.getByRole('button', { name: 'Add action', exact: true }).click();
    await admin.getByRole('button', { name: 'Create rule', exact: true }).click();
    const card = admin.getByTestId('admin-rule-Bugs are urgent');
    await expect.poll(() => visible(card).textContent()).toContain('Root cause is Bug');

    // A ticket whose root cause becomes Billing stays as it is; one set to Bug turns urgent.
    const ticketWith = async (rootCause: string) => {
      const ticket = (await as(e2e.t, ada).post('/tickets', { subject: `About ${rootCause}`, description: 'x' })).json<{
        id: string;
      }>();
      expect(
        (await as(e2e.t, ada).patch(`/tickets/${ticket.id}`, { fields: { root_cause: rootCause } })).statusCode,
      ).toBe(200);
      return ticket.id;
    };
    const [billing, bug] = [await ticketWith('Billing'), await ticketWith('Bug')];
    const priorityOf = async (id: string) =>
      (await as(e2e.t, ada).get(`/tickets/${id}`)).json<{ priority: string }>().priority;
    await expect.poll(() => priorityOf(bug), { timeout: 15_000 }).toBe('urgent');
    expect(await priorityOf(billing)).toBe('medium');
  });
});
