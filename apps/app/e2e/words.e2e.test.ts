import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { createTeam } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, registerInApp, screenshot, startE2E, visible } from './support';

/** What a validator says; none of it may reach the screen. */
const VALIDATOR_TEXT = /Invalid|String must|expected|Too small|Too big|Required/;

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */

/** The text under a field: the field's own box (label, input, message). */
const fieldBox = (page: Page, label: string) => visible(page.getByLabel(label, { exact: true })).locator('xpath=..');
const alerts = (page: Page) => visible(page.getByRole('alert')).allTextContents();
const screenText = (page: Page) => page.locator('body').innerText();
/** Round trips to the server take their time on a busy machine. */
const SOON = { timeout: 10_000 };

describe('the app in plain words: form errors, system lines and times in the reader’s language', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  let pages: Page[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [i, page] of pages.entries()) await screenshot(page, `words-failure-${i}`);
    pages = [];
  });

  it('says what is wrong with a form under each field, in English and in German', { timeout: 120_000 }, async () => {
    await signUp(e2e.t, 'admin'); // the first account would become admin; people here are customers
    await signUp(e2e.t, 'customer', { email: 'taken@example.com', username: 'taken' });
    const { page } = await e2e.person();
    pages = [page];
    await page.goto('/');
    await visible(page.getByRole('button', { name: /create an account/i })).click();
    const create = visible(page.getByRole('button', { name: 'Create account', exact: true }));

    // Empty: each field says what it needs, under itself.
    await create.click();
    await expect.poll(() => fieldBox(page, 'Email').innerText(), SOON).toContain('Enter your email');
    expect(await fieldBox(page, 'Username').innerText()).toContain('Choose a username');
    expect(await fieldBox(page, 'Password').innerText()).toContain('Enter your password');
    expect(await fieldBox(page, 'Email').innerText()).not.toContain('username');
    expect(await visible(page.getByLabel('Email', { exact: true })).getAttribute('aria-invalid')).toBe('true');
    expect(await screenText(page)).not.toMatch(VALIDATOR_TEXT);
    await screenshot(page, 'words-register-empty');

    // An address the server refuses, a short password, an email someone has: the server's
    // answers, in the same plain words.
    await visible(page.getByLabel('Email', { exact: true })).fill('ann..lee@example.com');
    await visible(page.getByLabel('Username', { exact: true })).fill('ann');
    await visible(page.getByLabel('Password', { exact: true })).fill('short');
    await create.click();
    await expect
      .poll(() => fieldBox(page, 'Password').innerText(), SOON)
      .toContain('Password must be at least 8 characters');
    await visible(page.getByLabel('Password', { exact: true })).fill(PASSWORD);
    await create.click();
    await expect
      .poll(() => fieldBox(page, 'Email').innerText(), SOON)
      .toContain('Enter an email address like name@example.com');
    expect(await alerts(page)).toEqual(['Enter an email address like name@example.com']);
    await visible(page.getByLabel('Email', { exact: true })).fill('taken@example.com');
    await visible(page.getByLabel('Username', { exact: true })).fill('taken');
    await create.click();
    await expect
      .poll(() => alerts(page), SOON)
      .toEqual([
        'There is an account with this email already. Sign in instead?',
        'This username is taken. Try another one.',
      ]);
    expect(await screenText(page)).not.toMatch(VALIDATOR_TEXT);

    // Registered, the person switches to German and signs out: the form speaks German.
    await visible(page.getByLabel('Email', { exact: true })).fill('ann@example.com');
    await visible(page.getByLabel('Username', { exact: true })).fill('ann');
    await create.click();
    await visible(page.getByRole('link', { name: 'Profile', exact: true }))
      .first()
      .click();
    await visible(page.getByRole('radio', { name: 'Deutsch', exact: true })).click();
    await visible(page.getByRole('button', { name: 'Abmelden', exact: true })).click();
    await expect.poll(count(page.getByRole('heading', { name: 'Anmelden', exact: true })), SOON).toBe(1);

    const signIn = visible(page.getByRole('button', { name: 'Anmelden', exact: true }));
    await signIn.click();
    await expect
      .poll(() => fieldBox(page, 'E-Mail oder Benutzername').innerText(), SOON)
      .toContain('Gib deine E-Mail-Adresse oder deinen Benutzernamen ein');
    expect(await fieldBox(page, 'Passwort').innerText()).toContain('Gib dein Passwort ein');
    await visible(page.getByLabel('E-Mail oder Benutzername', { exact: true })).fill('ann');
    await visible(page.getByLabel('Passwort', { exact: true })).fill('wrong password');
    await signIn.click();
    await expect
      .poll(() => alerts(page), SOON)
      .toEqual(['E-Mail bzw. Benutzername und Passwort passen nicht zusammen.']);

    await visible(page.getByRole('button', { name: 'Neu hier? Konto erstellen' })).click();
    await visible(page.getByLabel('E-Mail', { exact: true })).fill('ann@example');
    await visible(page.getByRole('button', { name: 'Konto erstellen', exact: true })).click();
    await expect
      .poll(() => fieldBox(page, 'E-Mail').innerText(), SOON)
      .toContain('Gib eine E-Mail-Adresse wie name@example.com ein');
    expect(await fieldBox(page, 'Benutzername').innerText()).toContain('Wähle einen Benutzernamen');
    expect(await fieldBox(page, 'Passwort').innerText()).toContain('Gib dein Passwort ein');
    expect(await screenText(page)).not.toMatch(VALIDATOR_TEXT);
    await screenshot(page, 'words-register-de');
  });

  it(
    'shows a ticket change in each reader’s language, with times that say how long ago',
    { timeout: 150_000 },
    async () => {
      const agentSession = await signUp(e2e.t, 'agent', { username: 'alex', displayName: 'Alex Agent' });
      await createTeam(e2e.t, 'Support', [agentSession], { category: 'Anmeldung' });

      // A German customer, in Berlin, opens a ticket.
      const customer = await e2e.browser.newContext({ baseURL: e2e.baseUrl, timezoneId: 'Europe/Berlin' });
      const cp = await customer.newPage();
      pages = [cp];
      await registerInApp(cp, { email: 'cora@example.com', username: 'cora', displayName: 'Cora', password: PASSWORD });
      await visible(cp.getByRole('link', { name: 'Profile', exact: true }))
        .first()
        .click();
      await visible(cp.getByRole('radio', { name: 'Deutsch', exact: true })).click();
      await visible(cp.getByRole('link', { name: 'Tickets', exact: true }))
        .first()
        .click();
      await visible(cp.getByRole('button', { name: '+ Neues Ticket' })).click();
      await cp.getByLabel('Betreff', { exact: true }).fill('Drucker brennt');
      await cp.getByLabel('Was ist passiert?', { exact: true }).fill('Überall Rauch');
      await visible(cp.getByRole('radio', { name: 'Anmeldung', exact: true })).click();
      await visible(cp.getByRole('button', { name: 'Ticket eröffnen' })).click();
      await expect.poll(() => cp.url(), SOON).toMatch(/\/tickets\/[0-9A-Z]{26}$/);

      // The English agent's browser runs a clock the test can move.
      const agent = await e2e.person();
      const ap = agent.page;
      pages = [cp, ap];
      await ap.clock.install();
      await ap.goto('/');
      await ap.getByLabel('Email or username', { exact: true }).fill('alex');
      await ap.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await ap.getByRole('button', { name: 'Sign in', exact: true }).click();

      // The queue says when the ticket last changed: just now, the full date on hover.
      const row = visible(ap.getByRole('link', { name: /Drucker brennt, Open, Medium/ }));
      await expect.poll(() => row.count(), SOON).toBe(1);
      const when = row.locator('time');
      await expect.poll(() => when.innerText(), SOON).toBe('just now');
      expect(await when.getAttribute('title')).toMatch(/^[A-Z][a-z]+day, [A-Z][a-z]+ \d+, \d{4} at \d+:\d\d [AP]M$/);
      await ap.clock.fastForward('01:05');
      await expect.poll(() => when.innerText(), SOON).toMatch(/^1 min\.? ago$/);
      await screenshot(ap, 'words-queue-relative');

      // The agent takes it: one event, said in each reader's language.
      await row.click();
      await visible(ap.getByRole('button', { name: 'Take it', exact: true })).click();
      await expect.poll(count(ap.getByText(/^Alex Agent took the ticket · /)), SOON).toBe(1);
      await expect.poll(count(cp.getByText(/^Alex Agent hat das Ticket übernommen · /)), SOON).toBe(1);
      expect(await cp.getByText(/took the ticket/).count()).toBe(0);
      await visible(
        ap.getByRole('complementary', { name: 'Details' }).getByRole('radio', { name: 'High', exact: true }),
      ).click();
      await expect
        .poll(count(cp.getByText(/^Alex Agent hat die Priorität von Mittel auf Hoch geändert · /)), SOON)
        .toBe(1);
      await expect.poll(count(ap.getByText(/^Alex Agent changed the priority from Medium to High · /)), SOON).toBe(1);

      // Under it, the time of day in the reader's zone, with the full date in German on hover.
      const line = visible(cp.getByText(/^Alex Agent hat das Ticket übernommen · /));
      const title = await line.locator('time').getAttribute('title');
      expect(title).toMatch(/^[A-Z][a-z]+, \d+\. [A-Za-zä]+ \d{4} um \d{2}:\d{2}$/);
      const berlin = new Intl.DateTimeFormat('de', { timeZone: 'Europe/Berlin', hour: '2-digit', minute: '2-digit' });
      // Berlin's wall clock, not the server's or the test's zone (a minute may have turned since).
      expect([berlin.format(Date.now()), berlin.format(Date.now() - 60_000)]).toContain(title!.slice(-5));
      await screenshot(cp, 'words-system-line-de');
      await screenshot(ap, 'words-system-line-en');

      // Back in the German list of tickets: changed just now, in German.
      await visible(cp.getByRole('link', { name: 'Tickets', exact: true }))
        .first()
        .click();
      const mine = visible(cp.getByRole('link', { name: /^Drucker brennt, Offen, Hoch/ }));
      await expect.poll(() => mine.locator('time').innerText(), SOON).toBe('gerade eben');
      expect(await mine.locator('time').getAttribute('title')).toMatch(/ um \d{2}:\d{2}$/);
      await customer.close();
    },
  );
});
