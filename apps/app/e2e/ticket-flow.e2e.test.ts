import type { Session, Ticket } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, manualClock, signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

const DAY = 24 * 3600_000;

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */

const composer = (page: Page) => visible(page.getByRole('textbox', { name: /^Write (a message|an internal note)/ }));

async function say(page: Page, text: string) {
  await composer(page).click();
  await composer(page).fill(text);
  await composer(page).press('Enter');
}

const TEAM_NAMES = ['Tier 2 Escalations', 'Internal Tooling'];

/**
 * A customer and an agent over a ticket's life: the category the customer picks (never a team
 * name), the description as the thread's first entry, a reply that reopens a closed ticket live,
 * and one that, after the reopen window, opens a follow-up ticket.
 */
describe('a ticket from the customer’s form to a follow-up', () => {
  const clock = manualClock(Date.now());
  let e2e: E2E;
  let admin: Session;
  let alex: Session;
  let cora: Session;

  beforeAll(async () => {
    // The server's clock jumps days ahead below; tokens must outlive it (expiry is auth's concern).
    e2e = await startE2E({ ACCESS_TOKEN_TTL_SECONDS: '31536000' }, { clock });
    admin = await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
    alex = await signUp(e2e.t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
    cora = await signUp(e2e.t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });
    await createTeam(e2e.t, 'Tier 2 Escalations', [alex], { category: 'Sign-in and account' });
    await createTeam(e2e.t, 'Internal Tooling', [alex]);
  });
  afterAll(() => e2e?.close());

  /** Cora's ticket for Sign-in and account, taken by Alex and closed by him, through the API. */
  async function closedTicket(subject: string): Promise<Ticket> {
    const categories = (await as(e2e.t, cora).get('/ticket-categories')).json<{ items: { id: string }[] }>();
    const ticket = await openTicket(e2e.t, cora, { subject, teamId: categories.items[0]!.id });
    await as(e2e.t, alex).patch(`/tickets/${ticket.id}`, { assigneeId: alex.user.id });
    await as(e2e.t, alex).patch(`/tickets/${ticket.id}`, { status: 'closed' });
    return ticket;
  }

  it('offers the customer categories, never team names, and Urgent only once an admin allows it', async () => {
    const { page } = await e2e.person();
    await signInInApp(page, 'cora');
    await page.goto('/tickets/new');
    const topics = visible(page.getByRole('radiogroup', { name: 'What is it about?' }));
    await expect.poll(() => topics.getByRole('radio').allTextContents()).toEqual(['Not sure', 'Sign-in and account']);
    const priorities = visible(page.getByRole('radiogroup', { name: 'Priority' }));
    expect(await priorities.getByRole('radio').allTextContents()).toEqual(['Low', 'Medium', 'High']);
    const text = await page.locator('body').innerText();
    for (const name of TEAM_NAMES) expect(text).not.toContain(name);
    await screenshot(page, 'ticket-flow-new-ticket-customer');

    const allowed = await e2e.t.app.inject({
      method: 'PATCH',
      url: '/settings',
      headers: bearer(admin),
      payload: { customersMayChooseUrgent: true },
    });
    expect(allowed.statusCode).toBe(200);
    await page.reload();
    await expect
      .poll(() =>
        visible(page.getByRole('radiogroup', { name: 'Priority' }))
          .getByRole('radio')
          .allTextContents(),
      )
      .toEqual(['Low', 'Medium', 'High', 'Urgent']);
  });

  it('shows a long description in full as the first entry of the thread, for both sides', async () => {
    const paragraphs = [
      'Since the update this morning the app signs me out every few minutes.',
      'It happens on my phone (Android 14) and on the laptop in Firefox, at home and at work.',
      'I cleared the cache, reinstalled the app and changed my password; nothing helped.',
      'Before the update everything worked for months without a single problem.',
      'The last time it happened was right after I opened an invoice from March.',
      'The very last line: please call me back after 5 pm.',
    ];
    const description = paragraphs.join('\n\n');
    const customer = await e2e.person();
    const cp = customer.page;
    await signInInApp(cp, 'cora');
    await visible(cp.getByRole('button', { name: '+ New ticket' })).click();
    await cp.getByLabel('Subject', { exact: true }).fill('Signed out all the time');
    await cp.getByLabel('What happened?', { exact: true }).fill(description);
    await visible(cp.getByRole('radio', { name: 'Sign-in and account', exact: true })).click();
    await visible(cp.getByRole('button', { name: 'Open ticket' })).click();
    await expect.poll(() => cp.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);

    const entry = visible(cp.getByTestId('ticket-description'));
    await expect.poll(() => entry.innerText()).toContain('The very last line: please call me back after 5 pm.');
    expect((await entry.innerText()).replace(/\s+/g, ' ')).toContain(description.replace(/\s+/g, ' '));
    expect(await cp.getByText('No messages yet. Say hello!').count()).toBe(0);
    // The customer sees the category, not the team it stands for.
    const status = visible(cp.getByTestId('ticket-status'));
    await expect.poll(() => status.textContent()).toContain('Sign-in and account');
    for (const name of TEAM_NAMES) expect(await cp.locator('body').innerText()).not.toContain(name);

    // Nothing of it is cut off: the text is as tall as its lines, not clipped to two or three.
    const clipped = await entry
      .getByText(/The very last line/)
      .evaluate((el) => el.scrollHeight > el.clientHeight + 1 || getComputedStyle(el).webkitLineClamp !== 'none');
    expect(clipped).toBe(false);
    await screenshot(cp, 'ticket-flow-description-customer');

    // A reply comes after it in the timeline.
    await say(cp, 'Forgot to say: I use the beta channel.');
    const reply = visible(cp.getByText('Forgot to say: I use the beta channel.', { exact: true }));
    await expect.poll(() => reply.count()).toBe(1);
    expect((await entry.boundingBox())!.y).toBeLessThan((await reply.boundingBox())!.y);

    // The agent sees it as a message from Cora at the ticket's creation time, in full.
    const agent = await e2e.person();
    const ap = agent.page;
    await signInInApp(ap, 'alex');
    await visible(ap.getByRole('link', { name: /Signed out all the time/ })).click();
    const agentEntry = visible(ap.getByTestId('ticket-description'));
    await expect.poll(() => agentEntry.innerText()).toContain('Cora Customer');
    expect(await agentEntry.innerText()).toContain('The very last line: please call me back after 5 pm.');
    await screenshot(ap, 'ticket-flow-description-agent');
  });

  it('reopens a closed ticket when the customer replies: both see it live and the agent is notified', async () => {
    const ticket = await closedTicket('Export hangs again');
    await as(e2e.t, alex).post('/notifications/read-all');
    const customer = await e2e.person();
    const cp = customer.page;
    const agent = await e2e.person();
    const ap = agent.page;
    await signInInApp(cp, 'cora');
    await signInInApp(ap, 'alex');
    await cp.goto(`/tickets/${ticket.id}`);
    const customerStatus = visible(cp.getByTestId('ticket-status'));
    await expect.poll(() => customerStatus.textContent()).toMatch(/^Closed/);
    // The agent is elsewhere (the notifications), so the reply is news to them.
    await ap.goto('/notifications');
    await expect.poll(count(ap.getByLabel(/^\d+ Notifications$/))).toBe(0);

    await say(cp, 'It hangs again since yesterday.');
    await expect.poll(() => customerStatus.textContent()).toMatch(/^Open/);
    await expect.poll(count(thread(cp).getByText(/^Cora Customer reopened the ticket by replying/))).toBe(1);
    // Live, without a reload: the agent's badge, then the notification, which leads to the ticket.
    await expect.poll(count(ap.getByLabel('1 Notifications', { exact: true }))).toBe(1);
    const entry = visible(ap.getByRole('link', { name: /^Cora Customer reopened “Export hangs again” by replying/ }));
    await expect.poll(() => entry.count()).toBe(1);
    await screenshot(ap, 'ticket-flow-reopened-agent');
    await entry.click();
    await expect.poll(() => ap.url()).toMatch(new RegExp(`/tickets/${ticket.id}$`));
    await expect.poll(() => visible(ap.getByTestId('ticket-status')).textContent()).toMatch(/^Open/);
    await expect.poll(count(thread(ap).getByText('It hangs again since yesterday.', { exact: true }))).toBe(1);
    await expect.poll(count(thread(ap).getByText(/^Cora Customer reopened the ticket by replying/))).toBe(1);
  });

  it('after the reopen window, a reply opens a follow-up the customer lands on, linked to the old ticket', async () => {
    const old = await closedTicket('Invoice PDF is empty');
    clock.advance(8 * DAY);
    const customer = await e2e.person();
    const cp = customer.page;
    await signInInApp(cp, 'cora');
    await cp.goto(`/tickets/${old.id}`);
    await expect.poll(() => visible(cp.getByTestId('ticket-status')).textContent()).toMatch(/^Closed/);

    await say(cp, 'The PDF of this month is empty too.');
    await expect.poll(() => cp.url()).not.toContain(old.id);
    expect(cp.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
    const followUpId = cp.url().split('/').pop()!;
    await expect.poll(count(thread(cp).getByText('The PDF of this month is empty too.', { exact: true }))).toBe(1);
    await expect.poll(() => visible(cp.getByTestId('ticket-status')).textContent()).toMatch(/^Open/);
    const link = visible(cp.getByRole('button', { name: `Follow-up of ticket #${old.id.slice(-6)}: open it` }));
    await expect.poll(() => link.count()).toBe(1);
    expect(await link.textContent()).toBe(`Follow-up of #${old.id.slice(-6)}`);
    await screenshot(cp, 'ticket-flow-follow-up-customer');

    // The old ticket stays closed, without the reply; the link leads back to it.
    await link.click();
    await expect.poll(() => cp.url()).toMatch(new RegExp(`/tickets/${old.id}$`));
    await expect.poll(() => visible(cp.getByTestId('ticket-status')).textContent()).toMatch(/^Closed/);
    expect(await count(cp.getByText('The PDF of this month is empty too.', { exact: true }))()).toBe(0);

    // The agent it was assigned to has it, assigned, and was told.
    const followUp = (await as(e2e.t, alex).get(`/tickets/${followUpId}`)).json<Ticket>();
    expect(followUp).toMatchObject({ followUpOf: old.id, assigneeId: alex.user.id, status: 'open' });
    const kinds = async () =>
      (await as(e2e.t, alex).get('/notifications')).json<{ items: { kind: string }[] }>().items.map((n) => n.kind);
    await expect.poll(kinds).toContain('ticket.follow_up');
  });
});
