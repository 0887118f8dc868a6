import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
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
      await expect.poll(() => subjects(page)).toEqual(expect.arrayContaining(['Site is down', 'Checkout fails']));
      expect(await subjects(page)).not.toContain('Typo on the invoice');

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
});
