import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, screenshot, signInInApp, startE2E, visible } from './support';

describe('an admin defines a role of the workspace', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'a billing clerk without "Write internal notes" loses the note switch on the ticket they have open',
    { timeout: 120_000 },
    async () => {
      const ada = await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin' });
      const bo = await signUp(e2e.t, 'agent', { username: 'bob', displayName: 'Bob Billing' });
      const cy = await signUp(e2e.t, 'customer', { username: 'cyd', displayName: 'Cyd Customer' });
      const billing = await createTeam(e2e.t, 'Billing', [bo], { category: 'Payments' });
      const ticket = await openTicket(e2e.t, cy, { teamId: billing, subject: 'Charged twice' });

      // Bob, an agent, has the ticket open: notes are his to write.
      const boTab = (await e2e.person()).page;
      await signInInApp(boTab, 'bob');
      await boTab.goto(`/tickets/${ticket.id}`);
      await expect.poll(count(boTab.getByRole('switch', { name: 'Internal note' }))).toBe(1);

      // Ada defines "Billing clerk": works tickets, changes priority, writes no internal notes.
      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await visible(admin.getByRole('link', { name: 'Admin', exact: true })).click();
      await visible(admin.getByRole('radio', { name: 'Roles', exact: true })).click();
      await visible(admin.getByLabel('Role name', { exact: true })).fill('Billing clerk');
      const newRole = admin.getByRole('list', { name: 'What the new role may do' });
      await newRole.getByRole('checkbox', { name: 'Work tickets', exact: true }).click();
      await newRole.getByRole('checkbox', { name: 'Change priority', exact: true }).click();
      expect(
        await newRole.getByRole('checkbox', { name: 'Write internal notes', exact: true }).getAttribute('aria-checked'),
      ).toBe('false');
      await admin.getByRole('button', { name: 'Create role', exact: true }).click();
      const card = admin.getByTestId('admin-role-Billing clerk');
      await expect.poll(count(card.getByText('0 members', { exact: true }))).toBe(1);
      await screenshot(admin, 'admin-roles');

      // ... and gives it to Bob in the People panel, where every role of the workspace is offered.
      await admin.getByRole('radio', { name: 'People', exact: true }).click();
      await admin.getByLabel('Find people by name', { exact: true }).fill('bob');
      const boRow = admin.getByTestId('admin-person-bob');
      await visible(boRow.getByRole('radio', { name: 'Billing clerk', exact: true })).click();
      await expect
        .poll(() => boRow.getByRole('radio', { name: 'Billing clerk', exact: true }).getAttribute('aria-checked'))
        .toBe('true');
      await expect
        .poll(async () => (await as(e2e.t, ada).get(`/users/${bo.user.id}`)).json().roleName)
        .toBe('Billing clerk');

      // Bob's open ticket screen drops the switch at once; he still works the ticket.
      await expect.poll(count(boTab.getByRole('switch', { name: 'Internal note' }))).toBe(0);
      await expect.poll(count(boTab.getByRole('textbox', { name: 'Write a message' }))).toBe(1);
      // So does a fresh load of it, and his profile names his role.
      await boTab.reload();
      await expect.poll(count(boTab.getByRole('textbox', { name: 'Write a message' }))).toBe(1);
      expect(await boTab.getByRole('switch', { name: 'Internal note' }).count()).toBe(0);
      await boTab.goto('/profile');
      await expect.poll(count(boTab.getByText(/· Billing clerk$/))).toBe(1);
      // No admin area for him: his role manages nothing.
      expect(await boTab.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    },
  );
});
