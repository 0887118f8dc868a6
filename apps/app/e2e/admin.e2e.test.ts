import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as } from '../../server/src/testing/test-desk';
import { count, type E2E, screenshot, signInInApp, startE2E, visible } from './support';

describe('an admin runs the desk from the app', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('changes roles and deactivates people, and the people notice at once', { timeout: 90_000 }, async () => {
    const ada = await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin' });
    const kai = await signUp(e2e.t, 'customer', { username: 'kai', displayName: 'Kai Newhire' });
    await signUp(e2e.t, 'customer', { username: 'lee', displayName: 'Lee Leaver' });

    const admin = (await e2e.person()).page;
    await signInInApp(admin, 'ada');
    const leeTab = (await e2e.person()).page;
    await signInInApp(leeTab, 'lee');

    // Only admins have the way in.
    expect(await leeTab.getByRole('link', { name: 'Admin', exact: true }).count()).toBe(0);
    await visible(admin.getByRole('link', { name: 'Admin', exact: true })).click();
    await expect.poll(() => admin.url()).toMatch(/\/admin$/);

    // Kai becomes an agent.
    await admin.getByLabel('Find people by name', { exact: true }).fill('kai');
    const kaiRow = admin.getByTestId('admin-person-kai');
    await expect.poll(count(kaiRow)).toBe(1);
    await kaiRow.getByRole('radio', { name: 'Agent', exact: true }).click();
    await expect
      .poll(() => kaiRow.getByRole('radio', { name: 'Agent', exact: true }).getAttribute('aria-checked'))
      .toBe('true');
    await expect.poll(async () => (await as(e2e.t, ada).get(`/users/${kai.user.id}`)).json().role).toBe('agent');
    // Kai signs in and gets the agent's queue.
    const kaiTab = (await e2e.person()).page;
    await signInInApp(kaiTab, 'kai');
    await expect.poll(count(kaiTab.getByRole('heading', { name: 'Queue', exact: true }))).toBe(1);

    // Deactivating asks first, then signs Lee out of the app they have open.
    await admin.getByLabel('Find people by name', { exact: true }).fill('lee');
    const leeRow = admin.getByTestId('admin-person-lee');
    await visible(leeRow.getByRole('button', { name: 'Deactivate', exact: true })).click();
    await expect.poll(count(leeRow.getByText(/will be signed out everywhere/))).toBe(1);
    await screenshot(admin, 'admin-people');
    await leeRow.getByRole('button', { name: 'Yes, deactivate', exact: true }).click();
    await expect.poll(count(leeRow.getByText(/· deactivated/))).toBe(1);
    await expect.poll(count(leeTab.getByRole('button', { name: 'Sign in', exact: true }))).toBe(1);
    // And back.
    await leeRow.getByRole('button', { name: 'Reactivate', exact: true }).click();
    await expect.poll(count(leeRow.getByText(/· deactivated/))).toBe(0);
    await signInInApp(leeTab, 'lee');

    // An admin cannot demote or deactivate themselves by accident.
    await admin.getByLabel('Find people by name', { exact: true }).fill('ada');
    const adaRow = admin.getByTestId('admin-person-ada');
    await expect.poll(count(adaRow.getByText(/· you/))).toBe(1);
    expect(await adaRow.getByRole('button', { name: 'Deactivate' }).count()).toBe(0);
  });

  it('creates a team, staffs it, renames it and deletes it', { timeout: 90_000 }, async () => {
    await signUp(e2e.t, 'admin', { username: 'ari', displayName: 'Ari Admin' });
    await signUp(e2e.t, 'agent', { username: 'sam', displayName: 'Sam Agent' });
    const customer = await signUp(e2e.t, 'customer', { username: 'cleo' });
    const admin = (await e2e.person()).page;
    await signInInApp(admin, 'ari');
    await admin.goto('/admin');
    await visible(admin.getByRole('radio', { name: 'Teams', exact: true })).click();

    await admin.getByLabel('Team name', { exact: true }).fill('Billing');
    await admin.getByLabel('Description (optional)', { exact: true }).fill('Invoices and refunds');
    await admin.getByLabel('Category customers pick (optional)', { exact: true }).fill('Payments');
    await admin.getByRole('button', { name: 'Create team', exact: true }).click();
    const card = admin.getByTestId('admin-team-Billing');
    await expect.poll(count(card)).toBe(1);
    await expect.poll(count(card.getByText('Invoices and refunds', { exact: true }))).toBe(1);
    await expect.poll(count(card.getByText('Customers see it as “Payments”', { exact: true }))).toBe(1);
    const categories = (await as(e2e.t, customer).get('/ticket-categories')).json();
    expect(categories.items.map((c: { label: string }) => c.label)).toEqual(['Payments']);

    // A second team with the same name (any case) is refused under the name field.
    await admin.getByLabel('Team name', { exact: true }).fill('billing');
    await admin.getByRole('button', { name: 'Create team', exact: true }).click();
    await expect.poll(count(admin.getByText(/taken|exists/i))).toBe(1);

    // Staff it: find Sam by name, add, then remove.
    await card.getByRole('button', { name: 'Manage Billing', exact: true }).click();
    await expect.poll(count(card.getByText('No members yet.', { exact: true }))).toBe(1);
    await card.getByLabel('Add an agent to Billing', { exact: true }).fill('sam');
    await card.getByRole('button', { name: 'Add Sam Agent to Billing', exact: true }).click();
    await expect.poll(count(card.getByRole('button', { name: 'Remove Sam Agent from Billing', exact: true }))).toBe(1);
    await screenshot(admin, 'admin-teams');
    const teams = await e2e.t.database.db.selectFrom('teams').select('id').where('name', '=', 'Billing').execute();
    const members = await e2e.t.database.db
      .selectFrom('teamMembers')
      .select('userId')
      .where('teamId', '=', teams[0]!.id)
      .execute();
    expect(members).toHaveLength(1);
    await card.getByRole('button', { name: 'Remove Sam Agent from Billing', exact: true }).click();
    await expect.poll(count(card.getByText('No members yet.', { exact: true }))).toBe(1);

    // Rename, then delete (asked first).
    await card.getByLabel('Team name', { exact: true }).fill('Invoices');
    await card.getByRole('button', { name: 'Save', exact: true }).click();
    const renamed = admin.getByTestId('admin-team-Invoices');
    await expect.poll(count(renamed)).toBe(1);
    // Still open for more changes.
    await expect.poll(count(renamed.getByRole('button', { name: 'Close Invoices', exact: true }))).toBe(1);
    await renamed.getByRole('button', { name: 'Delete team', exact: true }).click();
    await expect.poll(count(renamed.getByText('Its tickets stay, without a team.', { exact: true }))).toBe(1);
    await renamed.getByRole('button', { name: 'Yes, delete the team', exact: true }).click();
    await expect.poll(count(renamed)).toBe(0);
    expect(await e2e.t.database.db.selectFrom('teams').select('id').where('name', '=', 'Invoices').execute()).toEqual(
      [],
    );
  });

  it('lets customers mark tickets Urgent once the admin switches it on', { timeout: 60_000 }, async () => {
    await signUp(e2e.t, 'admin', { username: 'aza', displayName: 'Aza Admin' });
    const customer = await signUp(e2e.t, 'customer', { username: 'cyd' });
    const urgent = () =>
      as(e2e.t, customer).post('/tickets', { subject: 'Down', description: 'All down', priority: 'urgent' });
    expect((await urgent()).statusCode).toBe(400);

    const admin = (await e2e.person()).page;
    await signInInApp(admin, 'aza');
    await admin.goto('/admin');
    await visible(admin.getByRole('radio', { name: 'Settings', exact: true })).click();
    const toggle = visible(admin.getByRole('switch', { name: 'Customers may mark tickets Urgent' }));
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect.poll(async () => (await urgent()).statusCode).toBe(201);
    // Saved on the server: still on after a reload.
    await admin.reload();
    await visible(admin.getByRole('radio', { name: 'Settings', exact: true })).click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
  });
});
