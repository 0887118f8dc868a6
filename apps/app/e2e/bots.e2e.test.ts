import type { CreatedApiToken, PublicUser, Team } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

const composer = (page: Page) => visible(page.getByRole('textbox', { name: /^Write (a message|an internal note)/ }));

/**
 * An admin's bot works tickets beside the agents. Wherever the app names it, it says it is a
 * bot, to the eye and to a screen reader; a person stays a person.
 */
describe('bots are marked as bots', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'Ada sees her bot as a bot in the People list, in the @-suggestions of a ticket and in search; Sam as Sam',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent' });
      const carla = await signUp(t, 'customer', { username: 'carla', displayName: 'Carla Customer' });
      const created = await as(t, ada).post('/bots', { username: 'ackbot', displayName: 'Ack Bot' });
      expect(created.statusCode, created.body).toBe(201);
      const bot = created.json<PublicUser>();
      // Sam and the bot answer what customers ask about their orders.
      const team = (await as(t, ada).post('/teams', { name: 'Orders', category: 'My order' })).json<Team>();
      for (const member of [sam.user.id, bot.id]) {
        const added = await as(t, ada).put(`/teams/${team.id}/members/${member}`);
        expect(added.statusCode, added.body).toBeLessThan(300);
      }
      const ticket = await openTicket(t, carla, { subject: 'Where is my parcel?', teamId: team.id });
      // The bot acknowledges the ticket through its token, as an integration would.
      const { secret } = (
        await as(t, ada).post(`/bots/${bot.id}/api-tokens`, { name: 'Acknowledger', scopes: ['messages:write'] })
      ).json<CreatedApiToken>();
      const said = await t.app.inject({
        method: 'POST',
        url: `/conversations/${ticket.conversationId}/messages`,
        headers: { authorization: `Bearer ${secret}` },
        payload: { clientMsgId: 'ack-1', body: 'We received your question about the parcel.' },
      });
      expect(said.statusCode, said.body).toBe(201);

      const { page } = await e2e.person();
      await signInInApp(page, 'ada');

      // Admin › People: the bot's row says so, and so does what its controls are called.
      await page.goto('/admin');
      const botRow = visible(page.getByTestId('admin-person-ackbot'));
      await expect.poll(count(botRow.getByText('Ack Bot (bot)', { exact: true }))).toBe(1);
      expect(await botRow.getAttribute('aria-label')).toBe('Ack Bot (bot)');
      expect(await botRow.getByRole('radiogroup', { name: 'Role of Ack Bot (bot)', exact: true }).count()).toBe(1);
      const samRow = visible(page.getByTestId('admin-person-sam'));
      expect(await samRow.getByText('Sam Agent', { exact: true }).count()).toBe(1);
      expect(await samRow.textContent()).not.toContain('(bot)');
      expect(await seriousViolations(page)).toBe('');

      // The ticket: the bot's message is signed as a bot's; typing @ offers it as a bot.
      await page.goto(`/tickets/${ticket.id}`);
      await expect.poll(count(thread(page).getByText('Ack Bot (bot)', { exact: true })), { timeout: 15_000 }).toBe(1);
      await composer(page).click();
      await page.keyboard.type('Thanks @a');
      const picker = visible(page.getByRole('listbox', { name: 'People to mention', exact: true }));
      await expect.poll(count(picker.getByRole('option'))).toBe(2);
      const options = await Promise.all(
        (await picker.getByRole('option').all()).map((option) => option.getAttribute('aria-label')),
      );
      expect(options).toEqual(['Ack Bot (bot) @ackbot', 'Sam Agent @sam']);
      await screenshot(page, 'bot-mention-suggestions');
      await page.keyboard.press('Escape');

      // Search: the bot among people, and as the writer of its message; Sam as himself.
      await visible(page.getByRole('link', { name: 'Search', exact: true }))
        .first()
        .click();
      const field = page.getByLabel('Search tickets, messages and people', { exact: true });
      await field.fill('ack');
      const people = visible(page.getByRole('link', { name: /^Ack Bot \(bot\)/ }));
      await expect.poll(() => people.count(), { timeout: 10_000 }).toBe(1);
      await field.fill('parcel');
      const message = visible(page.getByRole('link', { name: /^Ack Bot \(bot\) · Where is my parcel\?/ }));
      await expect.poll(() => message.count(), { timeout: 10_000 }).toBe(1);
      await field.fill('sam');
      const person = visible(page.getByRole('link', { name: /^Sam Agent/ }));
      await expect.poll(() => person.count(), { timeout: 10_000 }).toBe(1);
      expect(await person.textContent()).not.toContain('(bot)');
      expect(await seriousViolations(page)).toBe('');
    },
  );
});
