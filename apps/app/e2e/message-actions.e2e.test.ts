import type { Conversation, Message, Session } from '@parley/protocol';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../server/src/testing/test-app';
import { count, type E2E, escapeFrom, screenshot, startE2E, visible } from './support';

/** Small enough that a generated "photo" of a few hundred KB is refused. */
const ATTACHMENT_LIMIT_BYTES = 100_000;

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */

const composer = (page: Page) => visible(page.getByRole('textbox', { name: 'Write a message', exact: true }));
const messageRow = (page: Page, text: string) => visible(page.getByTestId('message').filter({ hasText: text }));
const toolbar = (page: Page) => visible(page.getByTestId('message-toolbar'));
const button = (scope: Page | Locator, name: string) => visible(scope.getByRole('button', { name, exact: true }));

/** Where every message of the timeline is on screen, to prove that nothing moved. */
const messageBoxes = (page: Page) =>
  visible(page.getByTestId('message')).evaluateAll((rows) =>
    rows.map((row) => {
      const { x, y, width, height } = row.getBoundingClientRect();
      return { x, y, width, height };
    }),
  );

/** The label of what has keyboard focus. */
const focusedLabel = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent);

/** Presses Tab (or Shift+Tab) until the element labelled `label` has focus, as a keyboard user would. */
async function tabTo(page: Page, label: string, key: 'Tab' | 'Shift+Tab' = 'Tab') {
  for (let presses = 0; presses < 30; presses++) {
    if ((await focusedLabel(page)) === label) return;
    await page.keyboard.press(key);
  }
  throw new Error(`"${label}" never got the focus`);
}

/** A press held long enough to be a long press, by a finger (Chromium's touch input). */
async function longPress(context: BrowserContext, page: Page, target: Locator) {
  const box = (await target.boundingBox())!;
  const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
  await page.waitForTimeout(900);
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

/** A PNG "photo" of one colour with a label, `width` × `height`. */
async function picture(color: string, width = 320, height = 200): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <rect width="${width}" height="${height}" fill="${color}"/>
    <circle cx="${width / 2}" cy="${height / 2}" r="${height / 4}" fill="#ffffff"/></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe('acting on messages: toolbar, menu, editing, deleting with Undo, images and uploads', () => {
  let e2e: E2E;
  let pages: Page[] = [];
  let people = 0;

  beforeAll(async () => {
    e2e = await startE2E({ ATTACHMENT_LIMIT_BYTES: String(ATTACHMENT_LIMIT_BYTES) });
  });
  afterAll(() => e2e?.close());
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    const test = context.task.name.split(/\W+/).slice(0, 3).join('-').toLowerCase();
    for (const [i, page] of pages.entries()) await screenshot(page, `message-actions-failure-${test}-${i}`);
  });

  /**
   * Opens the chat as `who` (in a fresh profile, or the given one), already signed in: the app
   * finds the session where it keeps it. Signing in through the form is other suites' subject.
   */
  async function openChat(who: Session, conversation: Conversation, made?: { context: BrowserContext; page: Page }) {
    const { context, page } = made ?? (await e2e.person());
    pages.push(page);
    await context.addInitScript((session) => {
      // Only the first time: the app may have refreshed the tokens since.
      if (!localStorage.getItem('parley.session')) localStorage.setItem('parley.session', session);
    }, JSON.stringify(who));
    await page.goto(`/messages/${conversation.id}`);
    // The first load of the app (a few MB of script) can take a while on a busy machine.
    await expect.poll(count(composer(page)), { timeout: 15_000 }).toBe(1);
    return { context, page };
  }

  /** Ada and Bo (two agents) in a direct chat, with these messages already in it. */
  async function chat(messages: Array<['ada' | 'bo', string]>) {
    people += 1;
    const ada = await signUp(e2e.t, 'agent', { username: `ada${people}`, displayName: 'Ada Agent' });
    const bo = await signUp(e2e.t, 'agent', { username: `bo${people}`, displayName: 'Bo Brown' });
    const opened = await e2e.t.app.inject({
      method: 'POST',
      url: '/conversations/direct',
      headers: bearer(ada),
      payload: { userId: bo.user.id },
    });
    const conversation = opened.json<Conversation>();
    for (const [i, [who, body]] of messages.entries()) {
      const sent = await e2e.t.app.inject({
        method: 'POST',
        url: `/conversations/${conversation.id}/messages`,
        headers: bearer(who === 'ada' ? ada : bo),
        payload: { clientMsgId: `seed-${i}`, body },
      });
      expect(sent.json<Message>().body).toBe(body);
    }
    return { ada, bo, conversation };
  }

  it('shows a floating toolbar on hover that moves nothing and stays while the pointer goes to it', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([
      ['bo', 'Morning! The printer on floor 2 is jammed again'],
      ['ada', 'On my way'],
      ['bo', 'Thanks, it is the big one by the window'],
    ]);
    const { page: ap } = await openChat(ada, conversation);
    const { page: bp } = await openChat(bo, conversation);
    await expect.poll(count(messageRow(ap, 'big one by the window'))).toBe(1);

    // The pointer on Bo's message: the toolbar floats over it, and no message moved.
    const before = await messageBoxes(ap);
    const target = messageRow(ap, 'printer on floor 2');
    await target.hover();
    await expect.poll(count(toolbar(ap))).toBe(1);
    expect(await messageBoxes(ap)).toEqual(before);
    await screenshot(ap, 'message-actions-toolbar');

    // On its way to the toolbar the pointer stays over the message or the bar: it stays.
    const party = button(toolbar(ap), 'React with 🎉');
    const from = (await target.boundingBox())!;
    const to = (await party.boundingBox())!;
    await ap.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await ap.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 12 });
    await expect.poll(count(toolbar(ap))).toBe(1);
    await party.click();
    await expect.poll(count(button(ap, '🎉 1, toggle'))).toBe(1);
    await expect.poll(count(button(bp, '🎉 1, toggle'))).toBe(1);

    // Away from the message, the toolbar goes; on another message, it comes with that one.
    await ap.mouse.move(5, 5);
    await expect.poll(count(toolbar(ap))).toBe(0);
    await messageRow(ap, 'On my way').hover();
    await expect.poll(count(toolbar(ap))).toBe(1);
    expect(await button(toolbar(ap), 'Edit message').count()).toBe(1);
    await messageRow(ap, 'big one by the window').hover();
    // Not Ada's own message: nothing to edit or delete there.
    await expect.poll(count(button(toolbar(ap), 'React with 👍'))).toBe(1);
    expect(await button(toolbar(ap), 'Edit message').count()).toBe(0);
  });

  it('edits in place: Shift+Enter breaks the line, Enter saves for both, Esc and Cancel keep the text', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([['ada', 'The meeting is at 3']]);
    const { page: ap } = await openChat(ada, conversation);
    const { page: bp } = await openChat(bo, conversation);

    await messageRow(ap, 'The meeting is at 3').hover();
    await button(toolbar(ap), 'Edit message').click();
    const editor = visible(ap.getByRole('textbox', { name: 'Edit message', exact: true }));
    await expect.poll(() => focusedLabel(ap)).toBe('Edit message');
    expect(await button(ap, 'Cancel').count()).toBe(1);
    await editor.fill('');
    await ap.keyboard.type('The meeting moved to 4');
    await ap.keyboard.press('Shift+Enter');
    await ap.keyboard.type('Room B');
    await expect.poll(() => editor.inputValue()).toBe('The meeting moved to 4\nRoom B');
    await screenshot(ap, 'message-actions-editing');
    await ap.keyboard.press('Enter');
    await expect.poll(count(editor)).toBe(0);
    // Bo sees the edit live, on two lines, marked as edited.
    await expect
      .poll(count(bp.getByTestId('message').getByText('The meeting moved to 4\nRoom B', { exact: true })))
      .toBe(1);
    await expect.poll(count(messageRow(bp, 'Room B').getByText(/· edited/))).toBe(1);

    // Esc throws a change away...
    await messageRow(ap, 'Room B').hover();
    await button(toolbar(ap), 'Edit message').click();
    await expect.poll(() => focusedLabel(ap)).toBe('Edit message');
    await editor.fill('Cancelled altogether');
    await ap.keyboard.press('Escape');
    await expect.poll(count(editor)).toBe(0);
    expect(await ap.getByText('Cancelled altogether').count()).toBe(0);
    // ...and so does the Cancel button.
    await messageRow(ap, 'Room B').hover();
    await button(toolbar(ap), 'Edit message').click();
    await editor.fill('Not this either');
    await button(ap, 'Cancel').click();
    await expect.poll(count(editor)).toBe(0);
    await expect
      .poll(count(ap.getByTestId('message').getByText('The meeting moved to 4\nRoom B', { exact: true })))
      .toBe(1);
    await bp.waitForTimeout(300);
    expect(await bp.getByText(/Cancelled altogether|Not this either/).count()).toBe(0);
  });

  it('works from the keyboard: Shift+Tab to the newest message, Enter, and pick an action', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([
      ['bo', 'Can you check ticket 42?'],
      ['ada', 'Lookin at it'],
    ]);
    const { page: ap } = await openChat(ada, conversation);
    const { page: bp } = await openChat(bo, conversation);

    // From the composer, one Shift+Tab back to the newest message (the timeline is one Tab stop).
    await composer(ap).focus();
    await ap.keyboard.press('Shift+Tab');
    await expect.poll(() => focusedLabel(ap)).toMatch(/^You, .*: Lookin at it$/);
    await ap.keyboard.press('Enter');
    const menu = visible(ap.getByRole('dialog', { name: 'Message actions', exact: true }));
    await expect.poll(() => menu.count()).toBe(1);
    await screenshot(ap, 'message-actions-menu');
    await tabTo(ap, 'Edit message');
    await ap.keyboard.press('Enter');
    await expect.poll(() => menu.count()).toBe(0);
    await expect.poll(() => focusedLabel(ap)).toBe('Edit message');
    await ap.keyboard.press('End');
    await ap.keyboard.press('Shift+Home');
    await ap.keyboard.type('Looking at it now');
    await ap.keyboard.press('Enter');
    await expect.poll(count(bp.getByTestId('message').getByText('Looking at it now', { exact: true }))).toBe(1);

    // A reaction from the menu, and Esc closes it without doing anything.
    await composer(ap).focus();
    await ap.keyboard.press('Shift+Tab');
    await expect.poll(() => focusedLabel(ap)).toMatch(/^You, .*: Looking at it now, edited$/);
    await ap.keyboard.press('Shift+F10');
    await expect.poll(() => menu.count()).toBe(1);
    await escapeFrom(ap, menu);
    await expect.poll(() => menu.count()).toBe(0);
    await ap.keyboard.press('Enter'); // focus went back to the message
    await expect.poll(() => menu.count()).toBe(1);
    await tabTo(ap, 'React with ❤️');
    await ap.keyboard.press('Enter');
    await expect.poll(count(button(bp, '❤️ 1, toggle'))).toBe(1);
  });

  it('opens the same actions with a long press on a touch screen', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([
      ['bo', 'Are you coming to the standup?'],
      ['ada', 'Yes, in five'],
    ]);
    const phone = await e2e.browser.newContext({
      baseURL: e2e.baseUrl,
      viewport: { width: 390, height: 780 },
      hasTouch: true,
    });
    const { page: ap } = await openChat(ada, conversation, { context: phone, page: await phone.newPage() });
    const { page: bp } = await openChat(bo, conversation);

    const question = messageRow(ap, 'coming to the standup');
    await question.tap();
    // A finger does not hover: no toolbar.
    expect(await toolbar(ap).count()).toBe(0);
    await longPress(phone, ap, question.getByText('Are you coming to the standup?'));
    const menu = visible(ap.getByRole('dialog', { name: 'Message actions', exact: true }));
    await expect.poll(() => menu.count()).toBe(1);
    // Not Ada's message: reactions only.
    expect(await button(menu, 'Delete message').count()).toBe(0);
    await screenshot(ap, 'message-actions-sheet');
    await button(menu, 'React with 👍').tap();
    await expect.poll(() => menu.count()).toBe(0);
    await expect.poll(count(button(bp, '👍 1, toggle'))).toBe(1);

    // Her own message: edit from the sheet, saved with the Save button.
    await longPress(phone, ap, messageRow(ap, 'Yes, in five').getByText('Yes, in five'));
    await expect.poll(() => menu.count()).toBe(1);
    await button(menu, 'Edit message').tap();
    const editor = visible(ap.getByRole('textbox', { name: 'Edit message', exact: true }));
    await editor.fill('Yes, in two minutes');
    await button(ap, 'Save').tap();
    await expect.poll(count(bp.getByTestId('message').getByText('Yes, in two minutes', { exact: true }))).toBe(1);
    await phone.close();
  });

  it('deletes with Undo: undone, the other side never sees it go; otherwise it goes for both', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([
      ['ada', 'The wifi password is hunter2'],
      ['ada', 'Lunch at noon?'],
      ['ada', 'Forget the last one'],
      ['ada', 'Sent to the wrong chat'],
    ]);
    const { page: ap } = await openChat(ada, conversation);
    const { page: bp } = await openChat(bo, conversation);
    await expect.poll(count(bp.getByTestId('message').getByText('Sent to the wrong chat', { exact: true }))).toBe(1);
    // Bo's screen reports any moment a message shows as deleted.
    await bp.evaluate(() => {
      const seen = window as unknown as { sawDeleted: boolean };
      seen.sawDeleted = false;
      new MutationObserver(() => {
        if (document.body.innerText.includes('This message was deleted')) seen.sawDeleted = true;
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    // Delete, then Undo: back for Ada, and Bo never saw it go, even after the Undo time.
    await messageRow(ap, 'Lunch at noon?').hover();
    await button(toolbar(ap), 'Delete message').click();
    const bar = visible(ap.getByTestId('undo-bar'));
    await expect.poll(() => bar.textContent()).toContain('Message deleted');
    await expect.poll(count(ap.getByTestId('message').getByText('Lunch at noon?', { exact: true }))).toBe(0);
    await screenshot(ap, 'message-actions-undo');
    await button(bar, 'Undo').click();
    await expect.poll(count(ap.getByTestId('message').getByText('Lunch at noon?', { exact: true }))).toBe(1);
    await expect.poll(() => bar.count()).toBe(0);
    await ap.waitForTimeout(6_000);
    expect(await visible(ap.getByTestId('message').getByText('Lunch at noon?', { exact: true })).count()).toBe(1);
    expect(await visible(bp.getByTestId('message').getByText('Lunch at noon?', { exact: true })).count()).toBe(1);
    expect(await bp.evaluate(() => (window as unknown as { sawDeleted: boolean }).sawDeleted)).toBe(false);

    // Delete without Undo: once the time runs out, it is gone for Bo too.
    await messageRow(ap, 'hunter2').hover();
    await button(toolbar(ap), 'Delete message').click();
    await expect.poll(() => bar.count()).toBe(1);
    await expect.poll(count(bp.getByText('The wifi password is hunter2')), { timeout: 15_000 }).toBe(0);
    await expect.poll(count(bp.getByText('This message was deleted', { exact: true }))).toBe(1);
    await expect.poll(() => bar.count()).toBe(0);

    // Leaving the chat for another screen sends the deletion at once (before the time runs out).
    await messageRow(ap, 'Forget the last one').hover();
    await button(toolbar(ap), 'Delete message').click();
    await expect.poll(() => bar.count()).toBe(1);
    await visible(ap.getByRole('link', { name: 'Messages', exact: true })).click();
    await expect.poll(() => ap.url()).toMatch(/\/messages$/);
    await expect.poll(count(bp.getByText('Forget the last one')), { timeout: 4_000 }).toBe(0);

    // So does closing the page: the reload below ends the app, Undo timer and all.
    await ap.goto(`/messages/${conversation.id}`);
    await messageRow(ap, 'wrong chat').hover();
    await button(toolbar(ap), 'Delete message').click();
    await expect.poll(() => bar.count()).toBe(1);
    await ap.reload();
    await expect
      .poll(count(bp.getByTestId('message').getByText('Sent to the wrong chat')), { timeout: 15_000 })
      .toBe(0);
    await expect.poll(count(bp.getByTestId('message').getByText('This message was deleted', { exact: true }))).toBe(3);
    await expect.poll(count(ap.getByTestId('message').getByText('This message was deleted', { exact: true }))).toBe(3);
  });

  it('opens images in a viewer: zoom, previous and next over the chat, download, Esc', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([['bo', 'Send me the photos of the rack']]);
    const { page: ap } = await openChat(ada, conversation);
    const { page: bp } = await openChat(bo, conversation);
    const files = ap.getByTestId('composer-file-input');
    const send = button(ap, 'Send');

    await files.setInputFiles([
      { name: 'front.png', mimeType: 'image/png', buffer: await picture('#dc2626') },
      { name: 'back.png', mimeType: 'image/png', buffer: await picture('#2563eb', 200, 320) },
    ]);
    await expect.poll(() => send.getAttribute('aria-disabled')).not.toBe('true');
    await composer(ap).fill('Front and back');
    await send.click();
    await expect.poll(count(ap.getByRole('img', { name: 'back.png', exact: true }))).toBe(1);
    await files.setInputFiles({ name: 'cables.png', mimeType: 'image/png', buffer: await picture('#16a34a') });
    await expect.poll(() => send.getAttribute('aria-disabled')).not.toBe('true');
    await composer(ap).fill('And the cables');
    await send.click();

    // Bo opens the first one from the chat; the viewer goes through them in the chat's order.
    const links = visible(bp.getByRole('link', { name: /^View image / }));
    await expect.poll(() => links.count()).toBe(3);
    const names = (await links.evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')))).map((label) =>
      label!.replace('View image ', ''),
    );
    expect(names.slice(0, 2).sort()).toEqual(['back.png', 'front.png']);
    expect(names[2]).toBe('cables.png');
    await links.first().click();
    const viewer = (name: string) => visible(bp.getByRole('dialog', { name: `Image: ${name}`, exact: true }));
    await expect.poll(() => viewer(names[0]!).count()).toBe(1);
    await expect.poll(() => viewer(names[0]!).textContent()).toContain('1 of 3');
    const image = visible(bp.getByTestId('viewer-image'));
    await expect.poll(() => image.evaluate((el) => el.outerHTML)).toMatch(/blob:/);
    expect(await button(bp, 'Previous image').count()).toBe(0);

    // Zoom in makes it bigger, zoom out brings it back.
    const width = async () => (await image.boundingBox())!.width;
    const fitted = await width();
    await button(bp, 'Zoom in').click();
    await expect.poll(width).toBeCloseTo(fitted * 1.5, 0);
    await screenshot(bp, 'message-actions-viewer-zoomed');
    await button(bp, 'Zoom out').click();
    await expect.poll(width).toBeCloseTo(fitted, 0);

    // Next with the button, then the arrow key, to the last image (in the next message).
    await button(bp, 'Next image').click();
    await expect.poll(() => viewer(names[1]!).textContent()).toContain('2 of 3');
    await bp.keyboard.press('ArrowRight');
    await expect.poll(() => viewer('cables.png').textContent()).toContain('3 of 3');
    expect(await button(bp, 'Next image').count()).toBe(0);
    await button(bp, 'Previous image').click();
    await expect.poll(() => viewer(names[1]!).count()).toBe(1);
    await screenshot(bp, 'message-actions-viewer');

    // Download gives the file under its name.
    const [download] = await Promise.all([bp.waitForEvent('download'), button(bp, 'Download').click()]);
    expect(download.suggestedFilename()).toBe(names[1]);

    await bp.keyboard.press('Escape');
    await expect.poll(() => visible(bp.getByRole('dialog')).count()).toBe(0);
    await expect.poll(count(bp.getByTestId('message').getByText('And the cables', { exact: true }))).toBe(1);
  });

  it('keeps a failed upload in the composer with Retry, and Retry sends it', async () => {
    pages = [];
    const { ada, bo, conversation } = await chat([['bo', 'Can you send the log?']]);
    const { context, page: ap } = await openChat(ada, conversation);
    const { page: bp } = await openChat(bo, conversation);
    const files = ap.getByTestId('composer-file-input');
    const send = button(ap, 'Send');

    // Offline: the upload fails and says so; the message cannot go without it.
    await context.setOffline(true);
    await files.setInputFiles({ name: 'server.png', mimeType: 'image/png', buffer: await picture('#7c3aed') });
    await expect.poll(count(ap.getByText('Not uploaded: the server could not be reached.', { exact: true }))).toBe(1);
    await composer(ap).fill('Here it is');
    expect(await send.getAttribute('aria-disabled')).toBe('true');
    await screenshot(ap, 'message-actions-upload-failed');

    // Back online, Retry uploads it, and the message goes with it.
    await context.setOffline(false);
    await button(ap, 'Retry uploading server.png').click();
    await expect.poll(() => send.getAttribute('aria-disabled')).not.toBe('true');
    expect(await ap.getByText('Not uploaded: the server could not be reached.').count()).toBe(0);
    await send.click();
    await expect.poll(count(bp.getByRole('link', { name: 'View image server.png', exact: true }))).toBe(1);

    // Too large: no Retry (it would fail again), only Remove.
    const noise = Buffer.alloc(ATTACHMENT_LIMIT_BYTES * 2, 7);
    await files.setInputFiles({ name: 'huge.log', mimeType: 'text/plain', buffer: noise });
    await expect.poll(count(ap.getByText('This file is too large to send.', { exact: true }))).toBe(1);
    expect(await button(ap, 'Retry uploading huge.log').count()).toBe(0);
    await button(ap, 'Remove huge.log').click();
    await expect.poll(count(ap.getByText('huge.log'))).toBe(0);
  });
});
