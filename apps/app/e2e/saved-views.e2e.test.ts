import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** The queue's rows' subjects, top to bottom. */
const subjects = (page: Page) =>
  visible(page.getByRole('link', { name: /, (Open|In progress|Closed), (Low|Medium|High|Urgent), / })).evaluateAll(
    (links) => links.map((link) => (link.getAttribute('aria-label') ?? '').split(', ')[0]),
  );

describe('saved views', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'an agent saves urgent open tickets as "Urgent", whose count rises live as one arrives, and changes what it lists',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const admin = await signUp(t, 'admin');
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
      const cora = await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer' });
      const support = await createTeam(t, 'Support', [sam], { category: 'Accounts' });
      // Staff open urgent tickets for customers (customers may not choose urgent).
      const open = (subject: string, priority: string) =>
        openTicket(t, admin, { subject, priority, teamId: support, requesterId: cora.user.id });
      await open('Site is down', 'urgent');
      await open('Checkout fails', 'urgent');
      await open('Typo on the invoice', 'medium');
      const solved = await open('Login loop', 'urgent');
      await as(t, admin).patch(`/tickets/${solved.id}`, { status: 'closed' });

      const page = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
      await signInInApp(page, 'sam');
      const radio = (group: string, name: RegExp) =>
        visible(page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name }));
      await radio('Queue', /^My teams/).click();
      await radio('Status', /^Open/).click();
      await radio('Priority', /^Urgent/).click();
      await expect.poll(() => subjects(page)).toHaveLength(2);

      await visible(page.getByRole('button', { name: 'Save as view', exact: true })).click();
      await page.getByLabel('View name', { exact: true }).fill('Urgent');
      await visible(page.getByRole('button', { name: 'Save view', exact: true })).click();
      await expect.poll(() => radio('Saved views', /^Urgent \(2\)$/).count()).toBe(1);

      // Another filter closes the view; opening it again applies its filter.
      await radio('Priority', /^All/).click();
      await expect.poll(() => subjects(page)).toContain('Typo on the invoice');
      await radio('Saved views', /^Urgent/).click();
      // The list under "All" holds both urgent tickets already: wait for the exact set, not a subset.
      await expect.poll(async () => (await subjects(page)).sort()).toEqual(['Checkout fails', 'Site is down']);

      // A new urgent ticket: the count goes up without a reload, and the list shows it.
      await open('Payments bounce', 'urgent');
      await expect.poll(() => radio('Saved views', /^Urgent \(3\)$/).count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => subjects(page)).toContain('Payments bounce');
      await screenshot(page, 'wide-saved-views-light', { forDocs: true });

      // Sam changes the open view's filter to medium, newest first, and updates the view with it.
      await radio('Priority', /^Medium/).click();
      await radio('Sort', /^Newest/).click();
      await expect.poll(() => subjects(page)).toEqual(['Typo on the invoice']);
      await visible(page.getByRole('button', { name: 'Update “Urgent” with these filters', exact: true })).click();
      await expect.poll(() => radio('Saved views', /^Urgent \(1\)$/).count()).toBe(1);
      expect(await radio('Saved views', /^Urgent/).getAttribute('aria-checked')).toBe('true');
      await radio('Priority', /^All/).click();
      await radio('Saved views', /^Urgent/).click();
      await expect.poll(() => subjects(page)).toEqual(['Typo on the invoice']);
      expect(await radio('Sort', /^Newest/).getAttribute('aria-checked')).toBe('true');

      // Rename, then delete.
      await visible(page.getByRole('button', { name: 'Rename view', exact: true })).click();
      await page.getByLabel('View name', { exact: true }).fill('On fire');
      await visible(page.getByRole('button', { name: 'Save name', exact: true })).click();
      await expect.poll(() => radio('Saved views', /^On fire \(1\)$/).count()).toBe(1);
      await visible(page.getByRole('button', { name: 'Delete view', exact: true })).click();
      await expect.poll(() => radio('Saved views', /^On fire/).count()).toBe(0);
    },
  );

  it(
    'an admin narrows the queue under "More filters" to a team and a root cause, sorts by seats, and keeps it as a view',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const olga = await signUp(t, 'admin', { username: 'olga', displayName: 'Olga Admin', password: PASSWORD });
      const cleo = await signUp(t, 'customer', { username: 'cleo', displayName: 'Cleo Customer' });
      const [billing, platform] = [await createTeam(t, 'Billing', [olga]), await createTeam(t, 'Platform', [olga])];
      const field = (body: Record<string, unknown>) =>
        as(t, olga)
          .post('/custom-fields', { entity: 'ticket', ...body })
          .then((answer) => expect(answer.statusCode, answer.body).toBe(201));
      await field({ key: 'root_cause', name: 'Root cause', type: 'select', options: ['Bug', 'How-to'] });
      await field({ key: 'seats', name: 'Seats', type: 'number' });
      const open = async (subject: string, teamId: string, fields: Record<string, unknown>) => {
        const ticket = await openTicket(t, olga, { subject, teamId, requesterId: cleo.user.id });
        const patched = await as(t, olga).patch(`/tickets/${ticket.id}`, { fields });
        expect(patched.statusCode, patched.body).toBe(200);
      };
      await open('Card declined', billing, { root_cause: 'Bug', seats: 5 });
      await open('Invoice address', billing, { root_cause: 'How-to', seats: 50 });
      await open('Crash on start', platform, { root_cause: 'Bug', seats: 20 });
      await open('Password reset', billing, { seats: 1 });

      const page = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
      await signInInApp(page, 'olga');
      const radio = (group: string, name: RegExp) =>
        visible(page.getByRole('radiogroup', { name: group, exact: true }).getByRole('radio', { name }));
      await radio('Queue', /^All/).click();
      await expect.poll(() => subjects(page)).toContain('Password reset');

      const more = visible(page.getByRole('button', { name: /^More filters/ }));
      expect(await more.getAttribute('aria-expanded')).toBe('false');
      await more.click();
      await radio('Team', /^Billing$/).click();
      await expect
        .poll(async () => (await subjects(page)).sort())
        .toEqual(['Card declined', 'Invoice address', 'Password reset']);
      // A field alone lists the tickets where it has a value; then one value of it.
      await radio('Field', /^Root cause$/).click();
      await expect.poll(async () => (await subjects(page)).sort()).toEqual(['Card declined', 'Invoice address']);
      await radio('Root cause is', /^Bug$/).click();
      await expect.poll(() => subjects(page)).toEqual(['Card declined']);
      await radio('Root cause is', /^Has a value$/).click();
      // Sorted by seats first: ascending, then descending.
      await radio('Sort by a field first', /^Seats$/).click();
      await expect.poll(() => subjects(page)).toEqual(['Card declined', 'Invoice address']);
      await radio('Seats order', /^Descending$/).click();
      await expect.poll(() => subjects(page)).toEqual(['Invoice address', 'Card declined']);
      expect(await page.getByRole('button', { name: 'More filters (3 set)' }).count()).toBe(1);
      await screenshot(page, 'wide-more-filters-light', { forDocs: true });
      // Open, the disclosure's filters are as usable by a screen reader as the others (and rows
      // whose requester has no picture, unlike the demo's, keep their words in their names).
      expect(await seriousViolations(page)).toBe('');
      // A number is typed: the tickets with exactly that many seats.
      await radio('Field', /^Seats$/).click();
      await visible(page.getByLabel('Seats equals', { exact: true })).fill('50');
      await expect.poll(() => subjects(page)).toEqual(['Invoice address']);
      await radio('Field', /^Root cause$/).click();
      await expect.poll(() => subjects(page)).toEqual(['Invoice address', 'Card declined']);

      // Kept as a view, it opens with its team, field and field sort.
      await visible(page.getByRole('button', { name: 'Save as view', exact: true })).click();
      await page.getByLabel('View name', { exact: true }).fill('Billing causes');
      await visible(page.getByRole('button', { name: 'Save view', exact: true })).click();
      await expect.poll(() => radio('Saved views', /^Billing causes \(2\)$/).count()).toBe(1);
      await radio('Team', /^Any team$/).click();
      await expect.poll(() => subjects(page)).toContain('Crash on start');
      await radio('Sort by a field first', /^None$/).click();
      await radio('Saved views', /^Billing causes/).click();
      await expect.poll(() => subjects(page)).toEqual(['Invoice address', 'Card declined']);
      expect(await radio('Team', /^Billing$/).getAttribute('aria-checked')).toBe('true');
      expect(await radio('Root cause is', /^Has a value$/).getAttribute('aria-checked')).toBe('true');
      expect(await radio('Seats order', /^Descending$/).getAttribute('aria-checked')).toBe('true');
    },
  );
});
