import type { Conversation, Message, PinList, Session } from '@parley/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../server/src/testing/test-app';
import { seriousViolations } from './axe';
import { type E2E, openAppAs, openDirect, PHONE, screenshot, startE2E, thread, visible } from './support';

const body = (n: number) => `Message number ${n}.`;
const row = (page: Page, n: number) =>
  thread(page)
    .getByTestId('message')
    .filter({ hasText: body(n) });
const button = (page: Page, name: string) => visible(page.getByRole('button', { name, exact: true }));
const found = (page: Page) => thread(page).locator('[aria-current="true"]');
/** Whether the element is within the window, not scrolled out of it. */
const onScreen = (locator: Locator) =>
  locator.evaluate((el) => {
    const { top, bottom } = el.getBoundingClientRect();
    return top >= 0 && bottom <= window.innerHeight;
  });

/** Opens a message's row menu and picks an action in it. */
async function fromMenu(page: Page, n: number, action: string) {
  await visible(row(page, n)).getByRole('button', { name: 'More actions', exact: true }).click();
  const menu = visible(page.getByRole('dialog', { name: 'Message actions', exact: true }));
  await expect.poll(() => menu.count()).toBe(1);
  await menu.getByRole('button', { name: action, exact: true }).click();
  await expect.poll(() => menu.count()).toBe(0);
}

describe('message links far back, pinned and saved messages', () => {
  let e2e: E2E;
  let sam: Session;
  let carla: Session;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  // Sam and Carla anew for each test: one direct chat of theirs each.
  let round = 0;
  beforeEach(async () => {
    round += 1;
    sam = await signUp(e2e.t, 'agent', { username: `sam${round}`, displayName: 'Sam Agent' });
    carla = await signUp(e2e.t, 'agent', { username: `carla${round}`, displayName: 'Carla Cruz' });
  });
  afterAll(() => e2e?.close());

  let pages: Page[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      for (const [i, page] of pages.entries()) await screenshot(page, `pins-and-saved-failure-${i}`);
    }
    pages = [];
  });

  /** A direct chat of Sam's and Carla's with 120 messages, by REST: each one's seq by its number. */
  async function longChat(): Promise<{ conversation: Conversation; seq: (n: number) => number }> {
    const conversation = await openDirect(e2e.t, sam, carla);
    const seqs = new Map<number, number>();
    for (let n = 1; n <= 120; n++) {
      const sent = await e2e.t.app.inject({
        method: 'POST',
        url: `/conversations/${conversation.id}/messages`,
        headers: bearer(n % 2 ? sam : carla),
        payload: { clientMsgId: `seed-${conversation.id}-${n}`, body: body(n) },
      });
      expect(sent.statusCode, sent.body).toBe(201);
      seqs.set(n, sent.json<Message>().seq);
    }
    return { conversation, seq: (n) => seqs.get(n)! };
  }

  it(
    'opens a link to a message far back with the history around it, not every page between, and joins the newest as it scrolls',
    { timeout: 150_000 },
    async () => {
      const { conversation, seq } = await longChat();
      const page = await openAppAs(e2e, carla, `/messages/${conversation.id}?seq=${seq(5)}`);
      pages = [page];

      // Message 5, marked and focused, its neighbours around it; nothing from the middle was read.
      await expect.poll(() => found(page).count(), { timeout: 15_000 }).toBe(1);
      expect(await found(page).getAttribute('aria-label')).toContain(body(5));
      await expect.poll(() => found(page).evaluate((el) => el === document.activeElement)).toBe(true);
      await expect.poll(() => onScreen(found(page))).toBe(true);
      expect(await row(page, 4).count()).toBe(1);
      expect(await row(page, 6).count()).toBe(1);
      expect(await row(page, 60).count()).toBe(0);
      expect(await row(page, 120).count()).toBe(0);
      const latest = button(page, 'Jump to latest');
      await expect.poll(() => latest.count()).toBe(1);
      await screenshot(page, 'pins-and-saved-link-far-back');

      // Scrolling down reads the newer pages as it goes, until they meet the newest.
      await thread(page).hover();
      const newest = visible(row(page, 120));
      await expect
        .poll(
          async () => {
            await page.mouse.wheel(0, 4000);
            return (await newest.count()) === 1 && (await onScreen(newest));
          },
          { timeout: 20_000, interval: 300 },
        )
        .toBe(true);
      expect(await row(page, 60).count()).toBe(1);
      await expect.poll(() => latest.count()).toBe(0);

      // Far back again: "Jump to latest" goes to the newest messages, at the end.
      await page.goto(`/messages/${conversation.id}?seq=${seq(3)}`);
      await expect.poll(() => found(page).getAttribute('aria-label'), { timeout: 15_000 }).toContain(body(3));
      await latest.click();
      await expect.poll(() => newest.count()).toBe(1);
      await expect.poll(() => onScreen(newest)).toBe(true);
      await expect.poll(() => latest.count()).toBe(0);
      expect(await row(page, 3).count()).toBe(0);

      // Back far again (a link, another way in), then a message sent: the chat returns to the newest.
      await page.goto(`/messages/${conversation.id}?seq=${seq(3)}`);
      await expect.poll(() => found(page).getAttribute('aria-label'), { timeout: 15_000 }).toContain(body(3));
      await expect.poll(() => latest.count()).toBe(1);
      await visible(page.getByRole('textbox', { name: 'Write a message', exact: true })).fill('Back to now');
      await page.keyboard.press('Enter');
      const sent = visible(thread(page).getByTestId('message').filter({ hasText: 'Back to now' }));
      await expect.poll(() => sent.count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => onScreen(sent)).toBe(true);
      await expect.poll(() => latest.count()).toBe(0);
      expect(await row(page, 3).count()).toBe(0);
    },
  );

  it(
    '[RT-READ] Sam pins messages; Carla sees the lines and the board live, jumps from the board far back, and unpins',
    { timeout: 150_000 },
    async () => {
      const { conversation, seq } = await longChat();
      const cp = await openAppAs(e2e, carla, `/messages/${conversation.id}`);
      const sp = await openAppAs(e2e, sam, `/messages/${conversation.id}`);
      pages = [cp, sp];
      await expect.poll(() => visible(row(sp, 118)).count(), { timeout: 15_000 }).toBe(1);
      await expect.poll(() => visible(row(cp, 118)).count(), { timeout: 15_000 }).toBe(1);
      expect(await button(cp, 'Pinned (1)').count()).toBe(0);

      // Sam pins one from its menu: both see the line, and the board's button with its count.
      await fromMenu(sp, 118, 'Pin');
      const line = `Sam Agent pinned a message: "${body(118)}"`;
      await expect.poll(() => visible(thread(cp).getByText(line, { exact: false })).count()).toBe(1);
      await expect.poll(() => button(cp, 'Pinned (1)').count()).toBe(1);
      await expect.poll(() => button(sp, 'Pinned (1)').count()).toBe(1);
      // His menu now offers to unpin it.
      await visible(row(sp, 118)).getByRole('button', { name: 'More actions', exact: true }).click();
      const menu = visible(sp.getByRole('dialog', { name: 'Message actions', exact: true }));
      await expect.poll(() => menu.getByRole('button', { name: 'Unpin', exact: true }).count()).toBe(1);
      await sp.keyboard.press('Escape');
      await expect.poll(() => menu.count()).toBe(0);

      // Another, far back, pinned from another device of his (the API): Carla's board follows.
      const pinned = await e2e.t.app.inject({
        method: 'GET',
        url: `/conversations/${conversation.id}/messages?beforeSeq=${seq(10) + 1}&limit=1`,
        headers: bearer(sam),
      });
      const ten = pinned.json<{ items: Message[] }>().items[0]!;
      const pin = await e2e.t.app.inject({
        method: 'PUT',
        url: `/conversations/${conversation.id}/pins/${ten.id}`,
        headers: bearer(sam),
      });
      expect(pin.json<PinList>().items.map((p) => p.message.id)[0]).toBe(ten.id);
      const toggle = button(cp, 'Pinned (2)');
      await expect.poll(() => toggle.count(), { timeout: 10_000 }).toBe(1);

      // The board: newest pin first, who pinned each; a pin opens the thread there, marked.
      await toggle.click();
      const board = visible(cp.getByTestId('pin-board'));
      await expect.poll(() => board.getByText('Pinned by Sam Agent', { exact: true }).count()).toBe(2);
      const entries = board.getByRole('button').filter({ hasText: 'Message number' });
      expect(await entries.allTextContents()).toEqual([
        expect.stringContaining(body(10)),
        expect.stringContaining(body(118)),
      ]);
      await screenshot(cp, 'pins-and-saved-board');
      expect(await seriousViolations(cp)).toBe('');
      await entries.first().click();
      await expect.poll(() => board.count()).toBe(0);
      await expect.poll(() => found(cp).getAttribute('aria-label'), { timeout: 15_000 }).toContain(body(10));
      await expect.poll(() => found(cp).evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await row(cp, 100).count()).toBe(0);

      // Carla unpins the newer one from the board: Sam's count follows.
      await toggle.click();
      await button(cp, `Unpin: ${body(118)}`).click();
      await expect.poll(() => button(sp, 'Pinned (1)').count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => board.getByRole('button').filter({ hasText: 'Message number' }).count()).toBe(1);
    },
  );

  it(
    'Carla saves a message; her other device lists it live, and it opens the thread there; on a phone too',
    { timeout: 150_000 },
    async () => {
      const { conversation } = await longChat();
      const cp = await openAppAs(e2e, carla, `/messages/${conversation.id}`);
      // Her other device waits on the saved list (empty yet).
      const other = await openAppAs(e2e, carla, '/saved', PHONE);
      pages = [cp, other];
      await expect.poll(() => visible(other.getByText(/^Nothing saved yet/)).count(), { timeout: 15_000 }).toBe(1);

      await expect.poll(() => visible(row(cp, 115)).count(), { timeout: 15_000 }).toBe(1);
      await fromMenu(cp, 115, 'Save');
      // Live on the other device: who wrote it, where, and what.
      const saved = visible(
        other.getByRole('link', { name: new RegExp(`^Sam Agent · Chat with Sam Agent · .*${body(115)}`) }),
      );
      await expect.poll(() => saved.count(), { timeout: 10_000 }).toBe(1);
      expect(await seriousViolations(other)).toBe('');
      await screenshot(other, 'pins-and-saved-saved-phone');

      // Here, the menu now offers to take it off the list; Saved is one step from Profile.
      await visible(row(cp, 115)).getByRole('button', { name: 'More actions', exact: true }).click();
      const menu = visible(cp.getByRole('dialog', { name: 'Message actions', exact: true }));
      await expect.poll(() => menu.getByRole('button', { name: 'Remove from saved', exact: true }).count()).toBe(1);
      await cp.keyboard.press('Escape');
      await visible(cp.getByRole('link', { name: 'Profile', exact: true }))
        .first()
        .click();
      await visible(cp.getByRole('link', { name: 'Saved messages', exact: true })).click();
      await expect.poll(() => new URL(cp.url()).pathname).toBe('/saved');
      const here = visible(cp.getByRole('link', { name: new RegExp(body(115).replace('.', '\\.')) }));
      await expect.poll(() => here.count()).toBe(1);
      await screenshot(cp, 'pins-and-saved-saved-wide');

      // Opening it on the phone: the thread at that message, marked.
      await saved.click();
      await expect.poll(() => new URL(other.url()).pathname).toBe(`/messages/${conversation.id}`);
      await expect.poll(() => found(other).getAttribute('aria-label'), { timeout: 15_000 }).toContain(body(115));

      // Removed on the wide screen: gone there, and from the list the phone reads again.
      await button(cp, `Remove from saved: ${body(115)}`).click();
      await expect.poll(() => here.count()).toBe(0);
      await visible(other.getByRole('link', { name: 'Profile', exact: true }))
        .first()
        .click();
      await visible(other.getByRole('link', { name: 'Saved messages', exact: true })).click();
      await expect.poll(() => visible(other.getByText(/^Nothing saved yet/)).count()).toBe(1);
    },
  );
});
