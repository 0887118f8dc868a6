import type { Conversation, Message, Session } from '@parley/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signIn, signUp } from '../../server/src/testing/test-app';
import { seriousViolations } from './axe';
import { count, type E2E, openAppAs, openDirect, PHONE, screenshot, startE2E, thread, visible } from './support';

/** Round trips and live frames take their time on a busy machine. */
const SOON = { timeout: 10_000 };

const button = (page: Page, name: string) => visible(page.getByRole('button', { name, exact: true }));
/** A row of the conversation list, by the name it starts with. */
const listRow = (page: Page, name: string) => visible(page.getByRole('link', { name: new RegExp(`^${name},`) }));
const rowLabel = (page: Page, name: string) => () => listRow(page, name).getAttribute('aria-label');
const messageRow = (page: Page, text: string) => visible(thread(page).getByTestId('message').filter({ hasText: text }));
const divider = (page: Page) => visible(thread(page).getByTestId('unread-divider'));
/** The text of the row right after the divider: the first unread message. */
const afterDivider = (page: Page) => () =>
  divider(page)
    .locator('xpath=following-sibling::*[1]')
    .innerText()
    .catch(() => '');
/** The count on the Messages place (nothing: no badge). */
const messagesBadge = (page: Page) => () =>
  page
    .locator('[id="nav-badge-Conversations"] [role="img"]')
    .getAttribute('aria-label', { timeout: 1_000 })
    .catch(() => null);
/** Whether the element is within the window, not scrolled out of it. */
const onScreen = (locator: Locator) =>
  locator.evaluate((el) => {
    const { top, bottom } = el.getBoundingClientRect();
    return top >= 0 && bottom <= window.innerHeight;
  });

describe('unread: the divider, mark unread, mentions and mute', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  let pages: Page[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [i, page] of pages.entries()) await screenshot(page, `unread-failure-${i}`);
    pages = [];
  });

  const sayer = (conversation: Conversation) => {
    let n = 0;
    return async (who: Session, body: string) => {
      const sent = await e2e.t.app.inject({
        method: 'POST',
        url: `/conversations/${conversation.id}/messages`,
        headers: bearer(who),
        payload: { clientMsgId: `unread-${conversation.id}-${++n}`, body },
      });
      expect(sent.statusCode, sent.body).toBe(201);
      return sent.json<Message>();
    };
  };

  it(
    '[RT-READ] counts unread and mentions live on two devices, marks unread from a message on one and mutes it for both',
    { timeout: 180_000 },
    async () => {
      const { t } = e2e;
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Staff' });
      const carla = await signUp(t, 'agent', { username: 'carla', displayName: 'Carla Diaz' });
      const carlaPhone = await signIn(t, 'carla', carla.user.workspace.slug);
      const conversation = await openDirect(t, sam, carla);
      const say = sayer(conversation);
      await say(sam, 'Hi Carla');
      await say(carla, 'Hi Sam'); // her own message: read up to here

      // Carla on two devices, both on her conversations.
      const one = await openAppAs(e2e, carla, '/messages');
      const two = await openAppAs(e2e, carlaPhone, '/messages');
      pages = [one, two];
      await expect.poll(count(listRow(two, 'Sam Staff')), SOON).toBe(1);
      expect(await rowLabel(two, 'Sam Staff')()).toMatch(/Hi Sam$/);

      // Sam writes five more, one mentioning her: both devices count them live, the mention marked.
      for (const body of [
        'Morning Carla',
        'The invoice is ready',
        '@carla can you check the totals?',
        'Also the dates',
        'Thanks!',
      ])
        await say(sam, body);
      for (const page of [one, two]) {
        await expect.poll(rowLabel(page, 'Sam Staff'), SOON).toMatch(/, 1 mention of you, 5 unread$/);
        expect(await listRow(page, 'Sam Staff').getByTestId('mention-marker').innerText()).toBe('@1');
        await expect.poll(messagesBadge(page), SOON).toBe('5 unread');
      }
      await screenshot(two, 'unread-list-mention');

      // She opens the chat on the first device: the divider is above the first unread message,
      // and reading it clears the count on the other device live.
      await listRow(one, 'Sam Staff').click();
      await expect.poll(afterDivider(one), SOON).toContain('Morning Carla');
      expect(await onScreen(divider(one))).toBe(true);
      await expect.poll(rowLabel(two, 'Sam Staff'), SOON).not.toMatch(/unread|mention/);
      await expect.poll(messagesBadge(two), SOON).toBe(null);
      // And here: the chat's own answer, if it comes after the read, does not bring the counts back.
      await expect.poll(rowLabel(one, 'Sam Staff'), SOON).not.toMatch(/unread|mention/);
      // Read, the divider stays where it was when she opened the chat.
      expect(await afterDivider(one)()).toContain('Morning Carla');
      expect(await seriousViolations(one)).toBe('');
      await screenshot(one, 'unread-divider');

      // "Mark unread from here" on the invoice: unread again on the other device, live (four
      // messages, the mention among them); here the divider moves above it.
      await messageRow(one, 'The invoice is ready').getByRole('button', { name: 'More actions' }).click();
      const menu = visible(one.getByRole('dialog', { name: 'Message actions', exact: true }));
      await visible(menu.getByRole('button', { name: 'Mark unread from here', exact: true })).click();
      await expect.poll(afterDivider(one), SOON).toContain('The invoice is ready');
      await expect.poll(rowLabel(two, 'Sam Staff'), SOON).toMatch(/, 1 mention of you, 4 unread$/);
      await expect.poll(messagesBadge(two), SOON).toBe('4 unread');
      // It stays unread while the chat stays open here (no read sent right after).
      await one.waitForTimeout(2_000);
      expect(await rowLabel(one, 'Sam Staff')()).toMatch(/, 4 unread$/);
      expect(await rowLabel(two, 'Sam Staff')()).toMatch(/, 4 unread$/);

      // She mutes it on the first device: the other shows it muted live, and its badge counts
      // the mention of her only.
      await button(one, 'Notifications: all messages').click();
      await visible(one.getByRole('radio', { name: 'Only mentions of me', exact: true })).click();
      await expect.poll(count(button(one, 'Notifications: mentions only')), SOON).toBe(1);
      await expect.poll(rowLabel(two, 'Sam Staff'), SOON).toMatch(/, Muted, 1 mention of you, 4 unread$/);
      expect(await visible(listRow(two, 'Sam Staff').getByTestId('muted-marker')).count()).toBe(1);
      await expect.poll(messagesBadge(two), SOON).toBe('1 unread');
      await expect.poll(messagesBadge(one), SOON).toBe('1 unread');
      await screenshot(two, 'unread-list-muted');

      // Scrolling the chat is reading on: read again on both devices, and out of the badge.
      await messageRow(one, 'Thanks!').hover();
      await one.mouse.wheel(0, 400);
      await expect.poll(rowLabel(two, 'Sam Staff'), SOON).not.toMatch(/unread|mention/);
      await expect.poll(messagesBadge(one), SOON).toBe(null);

      // Nothing at all from this chat, set on the phone: not even a mention of her counts now.
      await listRow(two, 'Sam Staff').click();
      await button(two, 'Notifications: mentions only').click();
      await screenshot(two, 'notify-levels');
      await visible(two.getByRole('radio', { name: 'Nothing', exact: true })).click();
      await expect.poll(count(button(one, 'Notifications: off')), SOON).toBe(1);
      // Neither device has the chat open when Sam mentions her again.
      for (const page of [one, two]) await page.goto(`${e2e.baseUrl}/messages`);
      await say(sam, '@carla one more thing');
      for (const page of [one, two]) {
        await expect.poll(rowLabel(page, 'Sam Staff'), SOON).toMatch(/, Muted, 1 mention of you, 1 unread$/);
        expect(await messagesBadge(page)()).toBe(null);
      }
    },
  );

  it(
    'jumps on a phone to the first unread message, far up the history and not loaded yet',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'agent', { username: 'ada', displayName: 'Ada Agent' });
      const bo = await signUp(t, 'agent', { username: 'bobo', displayName: 'Bo Brown' });
      const conversation = await openDirect(t, ada, bo);
      const say = sayer(conversation);
      await say(bo, 'Read long ago');
      for (let i = 1; i <= 70; i++) await say(ada, i === 1 ? 'First news' : `News ${i}`);

      const bp = await openAppAs(e2e, bo, `/messages/${conversation.id}`, PHONE);
      pages = [bp];
      await expect.poll(count(messageRow(bp, 'News 70')), { timeout: 15_000 }).toBe(1);
      // The first unread is not loaded (the newest page holds 50): the jump loads it.
      expect(await divider(bp).count()).toBe(0);
      const jump = button(bp, 'Jump to first unread');
      await expect.poll(count(jump), SOON).toBe(1);
      await screenshot(bp, 'unread-jump-phone');
      await jump.click();
      await expect.poll(afterDivider(bp), { timeout: 15_000 }).toContain('First news');
      await expect.poll(() => onScreen(divider(bp)), SOON).toBe(true);
      const found = thread(bp).locator('[aria-current="true"]');
      await expect.poll(() => found.getAttribute('aria-label'), SOON).toContain('First news');
      await expect.poll(count(jump)).toBe(0);
    },
  );
});
