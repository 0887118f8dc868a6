import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/ids';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { type E2E, screenshot, signInInApp, startE2E, visible } from './support';

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */

/** The queue's rows as a screen reader names them, top to bottom. */
const queueRows = (page: Page) =>
  visible(page.getByRole('link', { name: /, (Open|In progress|Closed), (Low|Medium|High|Urgent), / })).evaluateAll(
    (links) => links.map((link) => link.getAttribute('aria-label') ?? ''),
  );
const subjects = async (page: Page) => (await queueRows(page)).map((label) => label.split(', ')[0]);

describe('the ticket queue', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('puts Urgent first, counts its filters, and moves its rows live', { timeout: 120_000 }, async () => {
    const { t } = e2e;
    const admin = await signUp(t, 'admin');
    await as(t, admin).patch('/settings', { customersMayChooseUrgent: true });
    const alex = await signUp(t, 'agent', { username: 'alex', displayName: 'Alex Agent' });
    const support = await createTeam(t, 'Support', [alex], { category: 'Accounts' });
    const cora = await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer' });

    // Cora opens tickets of different priorities, one after another; Alex already has one.
    const open = async (subject: string, priority: string) => {
      const ticket = await openTicket(t, cora, { subject, priority, teamId: support });
      await new Promise((resolve) => setTimeout(resolve, 20));
      return ticket;
    };
    await open('Typo on my invoice', 'low');
    await open('Export is slow', 'high');
    const down = await open('Site is down', 'urgent');
    await open('Printer jams', 'high');
    const taken = await open('Password question', 'medium');
    await as(t, alex).patch(`/tickets/${taken.id}`, { assigneeId: alex.user.id });
    const write = (body: string) =>
      as(t, cora).post(`/conversations/${down.conversationId}/messages`, { clientMsgId: newId(), body });
    await write('Nothing loads at all');

    // Alex's queue, most urgent first: Urgent, then the two High ones, the older first.
    const agent = await e2e.person();
    const ap = agent.page;
    await signInInApp(ap, 'alex');
    // He starts in Unassigned (4); My teams has his own one too.
    await expect.poll(async () => (await queueRows(ap)).length).toBe(4);
    await visible(ap.getByRole('radiogroup', { name: 'Queue' }).getByRole('radio', { name: /^My teams/ })).click();
    await expect.poll(async () => (await queueRows(ap)).length).toBe(5);
    await visible(ap.getByRole('radiogroup', { name: 'Sort' }).getByRole('radio', { name: 'Priority' })).click();
    await expect
      .poll(() => subjects(ap))
      .toEqual(['Site is down', 'Export is slow', 'Printer jams', 'Password question', 'Typo on my invoice']);
    // The urgent row says who asked, the last word, and that it is unread.
    const urgent = (await queueRows(ap))[0]!;
    expect(urgent).toMatch(
      /^Site is down, Open, Urgent, Cora Customer, just now, Nothing loads at all, 1 unread, Unassigned$/,
    );
    await expect.poll(() => visible(ap.getByText(/^Open · Urgent · Cora Customer · /)).count()).toBe(1);
    await screenshot(ap, 'queue-by-priority');

    // Unassigned: the chip says how many, and that is how many rows it lists.
    const assignee = visible(ap.getByRole('radiogroup', { name: 'Assignee' }));
    const unassigned = assignee.getByRole('radio', { name: /^Unassigned \(\d+\)$/ });
    await expect.poll(() => unassigned.getAttribute('aria-label')).toBe('Unassigned (4)');
    await unassigned.click();
    await expect.poll(() => unassigned.getAttribute('aria-checked')).toBe('true');
    await expect.poll(async () => (await queueRows(ap)).length).toBe(4);
    expect(await subjects(ap)).not.toContain('Password question');
    expect(await assignee.getByRole('radio', { name: 'Assigned to me (1)' }).count()).toBe(1);

    // Cora writes from her own browser; Alex's row follows without a reload.
    const customer = await e2e.person();
    const cp = customer.page;
    await signInInApp(cp, 'cora');
    await visible(cp.getByRole('link', { name: /^Site is down, Open, Urgent/ })).click();
    const composer = visible(cp.getByRole('textbox', { name: /^Write a message/ }));
    await composer.click();
    await composer.pressSequentially('Still nothing, customers are waiting');
    await composer.press('Enter');
    await ap.bringToFront();
    await expect
      .poll(async () => (await queueRows(ap))[0])
      .toMatch(
        /^Site is down, Open, Urgent, Cora Customer, .+, Still nothing, customers are waiting, 2 unread, Unassigned$/,
      );
    await expect.poll(() => visible(ap.getByText('Still nothing, customers are waiting')).count()).toBe(1);
    await screenshot(ap, 'queue-live-reply');
  });

  it('keeps the queue she picked while the app was still asking which one to start in', async () => {
    const { t } = e2e;
    await signUp(t, 'agent', { username: 'nia', displayName: 'Nia Agent' });
    const carl = await signUp(t, 'customer', { username: 'carl', displayName: 'Carl Customer' });
    await openTicket(t, carl, { subject: 'Where is my parcel?' });

    // Nia is in no team: the app would start her in "Mine" (empty). Its question is slow today.
    const { page } = await e2e.person();
    let answer!: () => void;
    const slow = new Promise<void>((resolve) => (answer = resolve));
    await page.route('**/tickets/counts*', async (route) => {
      await slow;
      await route.continue();
    });
    await signInInApp(page, 'nia');
    const queue = visible(page.getByRole('radiogroup', { name: 'Queue' }));
    const unassigned = queue.getByRole('radio', { name: /^Unassigned/ });
    await unassigned.click();
    const suggested = page.waitForResponse((response) => response.url().includes('/tickets/counts'));
    answer();
    await suggested;
    await page.unroute('**/tickets/counts*');
    // The suggestion had its chance to land (it used to switch her to "Mine", list and all).
    await page.waitForTimeout(500);

    // Her pick stands, and lists the unassigned ticket.
    const row = page.getByRole('link', { name: /^Where is my parcel\?, Open, / });
    await expect.poll(() => visible(row).count()).toBe(1);
    expect(await unassigned.getAttribute('aria-checked')).toBe('true');
    expect(await queue.getByRole('radio', { name: /^Mine/ }).getAttribute('aria-checked')).toBe('false');
  });
});
