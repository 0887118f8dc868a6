import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, startE2E, visible } from './support';

/** Access tokens live this long here, so a minute of use is dozens of expiries. */
const ACCESS_TTL_S = 2;
/** Eight expiries: two hours of the default 15-minute tokens. */
const ROUNDS = 8;
/** A rotated refresh token repeated later than this is treated as stolen. */
const GRACE_S = 3;

const signInForm = (page: Page) => page.getByRole('button', { name: 'Sign in', exact: true });
const composer = (page: Page) => visible(page.getByRole('textbox', { name: /^Write a message/ }));

async function signInInApp(page: Page, login: string) {
  await page.getByLabel('Email or username', { exact: true }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await signInForm(page).click();
}

const storedRefreshToken = (page: Page) =>
  page.evaluate(
    () =>
      (JSON.parse(localStorage.getItem('parley.session') ?? 'null') as { refreshToken: string } | null)?.refreshToken,
  );

describe('sessions in the app', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({
      ACCESS_TOKEN_TTL_SECONDS: String(ACCESS_TTL_S),
      REFRESH_TOKEN_REUSE_GRACE_SECONDS: String(GRACE_S),
    });
  });
  afterAll(() => e2e?.close());

  it(
    'keeps two tabs signed in through many token expiries, and a stolen token replayed later ends the session',
    { timeout: 100_000 },
    async () => {
      const agentSession = await signUp(e2e.t, 'agent', { username: 'tabby', displayName: 'Tabby Agent' });
      const teamId = await createTeam(e2e.t, 'Support', [agentSession], { category: 'Help' });
      const customer = await signUp(e2e.t, 'customer', { username: 'cust' });
      const ticket = await openTicket(e2e.t, customer, { subject: 'Two tabs open', teamId });

      // The queue in one tab, the ticket in another: one browser, one stored session.
      const { context, page: queueTab } = await e2e.person();
      await queueTab.goto('/');
      await signInInApp(queueTab, 'tabby');
      const row = queueTab.getByRole('link', { name: /^Two tabs open, / });
      await expect.poll(count(row)).toBe(1);
      const ticketTab = await context.newPage();
      await ticketTab.goto(`/tickets/${ticket.id}`);
      await expect.poll(count(composer(ticketTab))).toBe(1);
      const firstRefreshToken = await storedRefreshToken(queueTab);

      // Each tab keeps working with the server through every expiry; neither lands on Sign in.
      for (let round = 1; round <= ROUNDS; round++) {
        await queueTab.waitForTimeout(ACCESS_TTL_S * 1000 + 100);
        // Like a person switching between the two tabs (a background tab does not paint).
        await queueTab.bringToFront();
        await visible(queueTab.getByRole('radio', { name: round % 2 ? /^Open( \(\d+\))?$/ : /^All( \(\d+\))?$/ }))
          .first()
          .click();
        await expect.poll(count(row)).toBe(1);
        await ticketTab.bringToFront();
        await composer(ticketTab).fill(`Still here, round ${round}`);
        await composer(ticketTab).press('Enter');
        await expect.poll(count(ticketTab.getByText(`Still here, round ${round}`, { exact: true }))).toBe(1);
      }
      await expect.poll(count(ticketTab.getByText(/· Sending…$/))).toBe(0);
      expect(await signInForm(queueTab).count()).toBe(0);
      expect(await signInForm(ticketTab).count()).toBe(0);
      const rounds = await e2e.t.database.db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('conversationId', '=', ticket.conversationId)
        .where('body', 'like', 'Still here, round %')
        .executeTakeFirstOrThrow();
      expect(Number(rounds.n)).toBe(ROUNDS);

      // Someone who copied the first refresh token tries it long after it was rotated: the server
      // takes it as stolen and ends the whole session, so both tabs are signed out.
      const replay = await fetch(`${e2e.baseUrl}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken: firstRefreshToken }),
      });
      expect(replay.status).toBe(401);
      await expect.poll(count(signInForm(queueTab)), { timeout: 15_000 }).toBe(1);
      await expect.poll(count(signInForm(ticketTab)), { timeout: 15_000 }).toBe(1);
    },
  );

  it('signs every tab out when one tab signs out, and in again when one signs in', { timeout: 60_000 }, async () => {
    await signUp(e2e.t, 'customer', { username: 'twotabs' });
    const { context, page: first } = await e2e.person();
    await first.goto('/');
    await signInInApp(first, 'twotabs');
    await expect.poll(count(first.getByRole('button', { name: '+ New ticket' }))).toBe(1);
    const second = await context.newPage();
    await second.goto('/profile');
    await visible(second.getByRole('button', { name: 'Sign out', exact: true })).click();
    await expect.poll(count(signInForm(first))).toBe(1);

    await signInInApp(second, 'twotabs');
    await expect.poll(count(first.getByRole('button', { name: '+ New ticket' }))).toBe(1);
  });

  it('opens the link you followed once you have signed in or registered', { timeout: 60_000 }, async () => {
    const carla = await signUp(e2e.t, 'customer', { username: 'carla', displayName: 'Carla' });
    const ticket = await openTicket(e2e.t, carla, { subject: 'The link I was sent' });

    const { page } = await e2e.person();
    await page.goto(`/tickets/${ticket.id}`);
    await expect.poll(count(signInForm(page))).toBe(1);
    await signInInApp(page, 'carla');
    await expect.poll(() => page.url()).toBe(`${e2e.baseUrl}/tickets/${ticket.id}`);
    await expect.poll(count(page.getByText('The link I was sent', { exact: true }))).toBeGreaterThan(0);

    // A newcomer following a link to "new ticket" registers first, then lands on the form.
    const newcomer = await e2e.person();
    await newcomer.page.goto('/tickets/new');
    await expect.poll(count(signInForm(newcomer.page))).toBe(1);
    const np = newcomer.page;
    await np.getByRole('button', { name: /create an account/i }).click();
    await np.getByLabel('Email', { exact: true }).fill('newcomer@example.com');
    await np.getByLabel('Username', { exact: true }).fill('newcomer');
    await np.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await np.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => newcomer.page.url()).toBe(`${e2e.baseUrl}/tickets/new`);
    await expect.poll(count(newcomer.page.getByLabel('Subject', { exact: true }))).toBe(1);
  });
});
