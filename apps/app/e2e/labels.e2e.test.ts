import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** The queue's rows as a screen reader names them, top to bottom. */
const queueRows = (page: Page) =>
  visible(page.getByRole('link', { name: /, (Open|In progress|Closed), (Low|Medium|High|Urgent), / })).evaluateAll(
    (links) => links.map((link) => link.getAttribute('aria-label') ?? ''),
  );
const subjects = async (page: Page) => (await queueRows(page)).map((label) => label.split(', ')[0]);

/** An admin makes a label; an agent puts it on a ticket and filters the queue by it. */
describe('labels', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'an admin makes a label, an agent labels a ticket and filters the queue down to it',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      const alex = await signUp(t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
      const support = await createTeam(t, 'Support', [alex], { category: 'Accounts' });
      const cora = await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });
      const invoice = await openTicket(t, cora, { subject: 'Invoice is wrong', teamId: support });
      await new Promise((resolve) => setTimeout(resolve, 20));
      await openTicket(t, cora, { subject: 'Printer jams', teamId: support });

      // The admin adds the label "VIP" in red.
      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await admin.goto('/admin');
      await visible(admin.getByRole('radio', { name: 'Labels', exact: true })).click();
      await admin.getByLabel('Name', { exact: true }).fill('VIP');
      await admin.getByRole('radiogroup', { name: 'Colour' }).getByRole('radio', { name: 'Colour #d73a4a' }).click();
      await visible(admin.getByRole('button', { name: 'Add label', exact: true })).click();
      await expect.poll(() => visible(admin.getByRole('button', { name: 'Delete label VIP' })).count()).toBe(1);
      // And "Refund", on the invoice ticket (by REST).
      const refund = await as(t, ada).post('/labels', { name: 'Refund', colour: '#0366d6' });
      expect(refund.statusCode, refund.body).toBe(201);
      const labelled = await as(t, ada).put(`/tickets/${invoice.id}/labels`, {
        labelIds: [refund.json<{ id: string }>().id],
      });
      expect(labelled.statusCode, labelled.body).toBe(200);

      // The agent opens "Printer jams" and ticks VIP.
      const agent = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
      await signInInApp(agent, 'alex');
      await expect.poll(() => subjects(agent)).toEqual(['Printer jams', 'Invoice is wrong']);
      await visible(agent.getByRole('link', { name: /^Printer jams, / })).click();
      const vip = visible(agent.getByRole('checkbox', { name: 'Label VIP' }));
      await vip.click();
      await expect.poll(() => vip.getAttribute('aria-checked')).toBe('true');
      // The row says so, and the thread has the (internal) line.
      await expect
        .poll(async () => (await queueRows(agent)).find((r) => r.startsWith('Printer jams')))
        .toContain('VIP');
      await expect
        .poll(() => visible(agent.getByRole('log')).textContent())
        .toContain('Alex Agent added the label VIP');

      // Filtering by VIP leaves that ticket alone in the queue.
      const labelFilter = visible(agent.getByRole('group', { name: 'Label', exact: true }));
      await expect
        .poll(() => labelFilter.getByRole('checkbox', { name: /^VIP/ }).getAttribute('aria-label'))
        .toBe('VIP (1)');
      await labelFilter.getByRole('checkbox', { name: /^VIP/ }).click();
      await expect.poll(() => subjects(agent)).toEqual(['Printer jams']);
      await screenshot(agent, 'wide-labels-light', { forDocs: true });

      // Ticking a second label lists the tickets with both: none has VIP and Refund.
      await labelFilter.getByRole('checkbox', { name: /^Refund/ }).click();
      await expect.poll(() => subjects(agent)).toEqual([]);
      expect(await labelFilter.getByRole('checkbox', { name: /^VIP/ }).getAttribute('aria-checked')).toBe('true');
      await labelFilter.getByRole('checkbox', { name: /^VIP/ }).click();
      await expect.poll(() => subjects(agent)).toEqual(['Invoice is wrong']);

      // Back to any label: both again.
      await labelFilter.getByRole('checkbox', { name: 'Any', exact: true }).click();
      await expect.poll(() => subjects(agent)).toEqual(['Printer jams', 'Invoice is wrong']);
    },
  );
});
