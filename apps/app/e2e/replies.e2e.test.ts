import type { Conversation, Message, Session } from '@parley/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../server/src/testing/test-app';
import { count, type E2E, openChatAs, openDirect, screenshot, startE2E, thread, visible } from './support';

const composer = (page: Page) => visible(page.getByRole('textbox', { name: 'Write a message', exact: true }));
const messageRow = (page: Page, text: string) => visible(page.getByTestId('message').filter({ hasText: text }));
/** Whether the element is within the window, not scrolled out of it. */
const onScreen = (locator: Locator) =>
  locator.evaluate((el) => {
    const { top, bottom } = el.getBoundingClientRect();
    return top >= 0 && bottom <= window.innerHeight;
  });
const button = (page: Page, name: string) => visible(page.getByRole('button', { name, exact: true }));

describe('replies and edit history', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  const openChat = (who: Session, conversation: Conversation) =>
    openChatAs(e2e, who, conversation, { viewport: { width: 1280, height: 800 } });

  it(
    'answers a message with a quote, jumps from the quote to the original far up the chat, and shows what an edit replaced',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'agent', { username: 'ada', displayName: 'Ada Agent' });
      const bo = await signUp(t, 'agent', { username: 'bob', displayName: 'Bo Brown' });
      const conversation = await openDirect(t, ada, bo);
      let n = 0;
      const say = async (who: Session, body: string, extra: object = {}) => {
        const sent = await t.app.inject({
          method: 'POST',
          url: `/conversations/${conversation.id}/messages`,
          headers: bearer(who),
          payload: { clientMsgId: `seed-${++n}`, body, ...extra },
        });
        expect(sent.statusCode, sent.body).toBe(201);
        return sent.json<Message>();
      };
      const question = await say(bo, 'Where is the **offsite** this year?\nI need to book a train');
      for (let i = 1; i <= 60; i++) await say(i % 2 ? ada : bo, `Chatter ${i}`);
      const plan = await say(bo, 'Draft plan: Monday');

      // Ada answers the newest question from its menu: the composer says what she answers.
      const ap = await openChat(ada, conversation);
      await expect.poll(count(messageRow(ap, 'Draft plan: Monday'))).toBe(1);
      await messageRow(ap, 'Draft plan: Monday').hover();
      await button(ap, 'Reply to this message').click();
      await expect.poll(count(ap.getByText('Replying to Bo Brown', { exact: true }))).toBe(1);
      await expect
        .poll(() => ap.evaluate(() => document.activeElement?.getAttribute('aria-label')))
        .toBe('Write a message');
      await ap.keyboard.type('Monday works for me');
      await ap.keyboard.press('Enter');
      await expect.poll(count(ap.getByText('Replying to Bo Brown', { exact: true }))).toBe(0);

      // Bo sees her answer live, quoting his message (his own: "You").
      const bp = await openChat(bo, conversation);
      const answer = messageRow(bp, 'Monday works for me');
      await expect.poll(count(answer), { timeout: 10_000 }).toBe(1);
      // It opened at the newest message, and stays there as hers arrives.
      await expect.poll(() => onScreen(messageRow(bp, 'Monday works for me'))).toBe(true);
      await expect
        .poll(count(answer.getByRole('link', { name: 'Reply to You: Draft plan: Monday. Show the message' })))
        .toBe(1);

      // An answer to the first question, far up the chat (not loaded): its quote has the first
      // line without markdown, and pressing it opens the chat there, the original marked.
      const late = await say(ada, 'The offsite is in Lisbon', { replyToId: question.id });
      expect(late.replyTo).toMatchObject({ excerpt: 'Where is the offsite this year?' });
      const quote = messageRow(bp, 'The offsite is in Lisbon').getByTestId('reply-quote');
      await expect.poll(count(quote), { timeout: 10_000 }).toBe(1);
      expect(await quote.textContent()).toBe('YouWhere is the offsite this year?');
      await screenshot(bp, 'wide-reply-light', { forDocs: true });
      await quote.click();
      const found = thread(bp).locator('[aria-current="true"]');
      await expect.poll(() => found.count(), { timeout: 15_000 }).toBe(1);
      expect(await found.getAttribute('aria-label')).toContain('Where is the offsite this year?');
      const box = (await found.boundingBox())!;
      expect(box.y).toBeGreaterThan(0);
      expect(box.y + box.height).toBeLessThan(800);

      // Bo fixes his plan twice; Ada opens "edited" and reads every version, newest first.
      for (const body of ['Draft plan: Tuesday', 'Final plan: Tuesday 9:00']) {
        const edited = await t.app.inject({
          method: 'PATCH',
          url: `/conversations/${conversation.id}/messages/${plan.id}`,
          headers: bearer(bo),
          payload: { body },
        });
        expect(edited.statusCode).toBe(200);
      }
      // (Her answer quotes it, with the new text: the row without a quote is his.)
      const planRow = messageRow(ap, 'Final plan: Tuesday 9:00').filter({ hasNot: ap.getByTestId('reply-quote') });
      await expect.poll(count(planRow), { timeout: 10_000 }).toBe(1);
      await planRow.getByRole('button', { name: 'edited, show the edit history', exact: true }).click();
      const history = visible(ap.getByTestId('edit-history'));
      await expect.poll(count(history.getByText('Draft plan: Monday', { exact: true }))).toBe(1);
      const versions = await history.locator('[role="listitem"]').allTextContents();
      expect(versions).toEqual([
        expect.stringMatching(/^Now · .*Final plan: Tuesday 9:00$/),
        expect.stringMatching(/^Version 2 · .*Draft plan: Tuesday$/),
        expect.stringMatching(/^Original · .*Draft plan: Monday$/),
      ]);
      // Her quote of his message follows the edit too.
      await expect
        .poll(count(ap.getByRole('link', { name: 'Reply to Bo Brown: Final plan: Tuesday 9:00. Show the message' })))
        .toBe(1);
      await screenshot(ap, 'wide-edit-history-light', { forDocs: true });
      await button(ap, 'Close').click();
      await expect.poll(count(history)).toBe(0);
    },
  );

  it(
    'offers people as you type @, and tells the one mentioned, who finds the mention marked',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const cat = await signUp(t, 'agent', { username: 'cat', displayName: 'Cat Agent' });
      const dev = await signUp(t, 'agent', { username: 'devon', displayName: 'Devon Diaz' });
      const conversation = await openDirect(t, cat, dev);
      const sent = await t.app.inject({
        method: 'POST',
        url: `/conversations/${conversation.id}/messages`,
        headers: bearer(dev),
        payload: { clientMsgId: 'hello-cat', body: 'Hi Cat' },
      });
      expect(sent.statusCode).toBe(201);

      // Devon is elsewhere in the app: on his notifications.
      const dp = await openChat(dev, conversation);
      await visible(dp.getByRole('link', { name: 'Notifications', exact: true }))
        .first()
        .click();

      const cp = await openChat(cat, conversation);
      await composer(cp).click();
      await cp.keyboard.type('Thanks @di');
      const picker = visible(cp.getByTestId('mention-picker'));
      await expect.poll(count(picker.getByRole('option', { name: 'Devon Diaz @devon', exact: true }))).toBe(1);
      await cp.keyboard.press('Enter');
      await expect.poll(() => composer(cp).inputValue()).toBe('Thanks @devon ');
      await cp.keyboard.type('see you at 3');
      await cp.keyboard.press('Enter');

      const entry = visible(dp.getByText('Cat Agent mentioned you', { exact: true }));
      await expect.poll(count(entry), { timeout: 10_000 }).toBe(1);
      await entry.click();
      const mention = messageRow(dp, 'see you at 3').getByTestId('mention-of-you');
      await expect.poll(count(mention), { timeout: 10_000 }).toBe(1);
      expect(await mention.textContent()).toBe('@devon');
      expect(await mention.evaluate((el) => getComputedStyle(el).fontWeight)).toBe('700');
      await screenshot(dp, 'wide-mention-light');
    },
  );
});
