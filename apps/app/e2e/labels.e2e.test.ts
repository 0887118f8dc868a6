import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { type E2E, PASSWORD, openChatAs, openDirect, screenshot, signInInApp, startE2E, visible } from './support';

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

  it(
    'an agent labels a chat with a colleague, who sees it on their list live; a customer sees no labels',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const boss = await signUp(t, 'admin', { username: 'bea', displayName: 'Bea Boss', password: PASSWORD });
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
      const kim = await signUp(t, 'agent', { username: 'kim', displayName: 'Kim Agent', password: PASSWORD });
      const carl = await signUp(t, 'customer', { username: 'carl', displayName: 'Carl Customer', password: PASSWORD });
      const partner = await as(t, boss).post('/labels', { name: 'Partner', colour: '#0366d6' });
      expect(partner.statusCode, partner.body).toBe(201);
      const withKim = await openDirect(t, sam, kim);
      const withCarl = await openDirect(t, sam, carl);
      await as(t, sam).put(`/conversations/${withCarl.id}/labels`, { labelIds: [partner.json<{ id: string }>().id] });

      // Kim has the Messages list open; Sam opens the chat with Kim and ticks Partner.
      const kims = await openChatAs(e2e, kim, withKim, { viewport: { width: 1440, height: 900 } });
      const kimsRow = visible(kims.getByRole('link', { name: /^Sam Agent, / }));
      await expect.poll(() => kimsRow.getAttribute('aria-label')).not.toContain('Partner');
      const sams = await openChatAs(e2e, sam, withKim, { viewport: { width: 1440, height: 900 } });
      await visible(sams.getByRole('button', { name: 'Labels', exact: true })).click();
      const tick = visible(
        sams.getByRole('group', { name: 'Labels of this chat' }).getByRole('checkbox', { name: 'Label Partner' }),
      );
      await tick.click();
      await expect.poll(() => tick.getAttribute('aria-checked')).toBe('true');
      await expect.poll(() => visible(sams.getByTestId('chat-labels')).textContent()).toContain('Partner');

      // Kim's row shows the label without a reload.
      await expect.poll(() => kimsRow.getAttribute('aria-label')).toContain('Partner');
      await expect.poll(() => kimsRow.getByTestId('label-chips').textContent()).toContain('Partner');
      // And above her open chat with Sam.
      await expect.poll(() => visible(kims.getByTestId('chat-labels')).textContent()).toContain('Partner');

      // Carl's chat with Sam is labelled too, but a customer sees neither the label nor the control.
      const carls = await openChatAs(e2e, carl, withCarl, { viewport: { width: 1440, height: 900 } });
      await expect.poll(() => visible(carls.getByRole('link', { name: /^Sam Agent, / })).count()).toBeGreaterThan(0);
      expect(await visible(carls.getByTestId('label-chips')).count()).toBe(0);
      expect(await carls.getByTestId('chat-labels').count()).toBe(0);
      expect(await carls.getByText('Partner').count()).toBe(0);
    },
  );
});
