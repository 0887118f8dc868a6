import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { createTeam } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */
const nav = (page: Page, name: string) =>
  visible(page.getByRole('link', { name, exact: true }))
    .first()
    .click();
/** The bell's badge: how many conversations (and requests) have something unread. */
const badge = (page: Page, n: number) => page.getByLabel(`${n} Notifications`, { exact: true });

const composer = (page: Page) => visible(page.getByRole('textbox', { name: /^Write (a message|an internal note)/ }));

async function say(page: Page, text: string) {
  await composer(page).fill(text);
  await composer(page).press('Enter');
  await expect.poll(count(page.getByText(/· Sending…$/))).toBe(0);
}

describe('notifications that say who, where and what', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'tell an agent of a new ticket and of what the customer wrote, grouped, and never while they look',
    { timeout: 180_000 },
    async () => {
      const alex = await signUp(e2e.t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
      await createTeam(e2e.t, 'Support', [alex], { category: 'Support' });
      await signUp(e2e.t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });

      const agent = await e2e.person();
      const ap = agent.page;
      await signInInApp(ap, 'alex');
      await nav(ap, 'Notifications');
      await expect.poll(count(ap.getByText('Nothing new.', { exact: true }))).toBe(1);

      // The customer opens a ticket for Support: the agent is told at once, by name and subject.
      const customer = await e2e.person();
      const cp = customer.page;
      await signInInApp(cp, 'cora');
      await visible(cp.getByRole('button', { name: '+ New ticket' })).click();
      await cp.getByLabel('Subject', { exact: true }).fill('Printer on fire');
      await cp.getByLabel('What happened?', { exact: true }).fill('Smoke comes out of tray two.');
      await visible(cp.getByRole('radio', { name: 'Support', exact: true })).click();
      await visible(cp.getByRole('button', { name: 'Open ticket' })).click();
      await expect.poll(() => cp.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);

      const opened = ap.getByRole('link', {
        name: /^Cora Customer opened “Printer on fire”, Smoke comes out of tray two\., .*, unread$/,
      });
      await expect.poll(count(opened), { timeout: 10_000 }).toBe(1);
      await expect.poll(count(badge(ap, 1))).toBe(1);
      await screenshot(ap, 'notifications-new-ticket');

      // Opening it from the notification clears it; the agent takes the ticket.
      await visible(opened).click();
      await expect.poll(() => ap.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
      await expect.poll(count(badge(ap, 1))).toBe(0);
      await visible(ap.getByRole('button', { name: 'Take it', exact: true })).click();
      await expect.poll(count(ap.getByRole('button', { name: 'Take it', exact: true }))).toBe(0);

      // While the agent has the ticket open, the customer's messages make no notification.
      await say(cp, 'It smells of toast.');
      await expect.poll(count(thread(ap).getByText('It smells of toast.', { exact: true }))).toBe(1);
      await e2e.t.app.notifications.settled();
      await ap.waitForTimeout(300);
      expect(await visible(badge(ap, 1)).count()).toBe(0);

      // Elsewhere, three messages make one entry with a count and the latest words.
      await nav(ap, 'Notifications');
      for (const words of ['First question', 'Second question', 'Is anyone there?']) await say(cp, words);
      const grouped = ap.getByRole('link', {
        name: /^Cora Customer wrote in “Printer on fire”, Is anyone there\?, .*, 3 new, unread$/,
      });
      await expect.poll(count(grouped), { timeout: 10_000 }).toBe(1);
      await expect.poll(count(badge(ap, 1))).toBe(1);
      await expect.poll(count(ap.getByRole('link', { name: /“Printer on fire”/ }))).toBe(1);
      await screenshot(ap, 'notifications-grouped');

      // Opening the ticket another way (the ticket list) clears it as well.
      await nav(ap, 'Tickets');
      // He has it, so it is in his Mine queue (no longer in Unassigned, where he starts).
      await visible(ap.getByRole('radiogroup', { name: 'Queue' }).getByRole('radio', { name: /^Mine/ })).click();
      await visible(ap.getByRole('link', { name: /^Printer on fire, / })).click();
      await expect.poll(count(thread(ap).getByText('Is anyone there?', { exact: true }))).toBe(1);
      await expect.poll(count(badge(ap, 1))).toBe(0);
      await nav(ap, 'Notifications');
      // Read: no count and no "unread" left in it (the time at its end is a full date, with commas).
      await expect
        .poll(
          count(
            ap.getByRole('link', {
              name: /^Cora Customer wrote in “Printer on fire”, Is anyone there\?, (?!.*(unread|\d+ new)).*$/,
            }),
          ),
        )
        .toBe(1);

      // The customer closes the ticket: the assignee hears of it. (Not in the same instant as the
      // agent leaving the ticket: until their `viewing null` has reached the server they still look.)
      await ap.waitForTimeout(1_000);
      await visible(cp.getByRole('button', { name: 'Close ticket', exact: true })).click();
      const closed = ap.getByRole('link', { name: /^Cora Customer closed “Printer on fire”, .*, unread$/ });
      await expect.poll(count(closed), { timeout: 10_000 }).toBe(1);
      await expect.poll(count(badge(ap, 1))).toBe(1);
      await screenshot(ap, 'notifications-closed');
    },
  );
});
