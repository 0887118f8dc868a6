import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/db/seed';
import { type E2E, escapeFrom, screenshot, signInInApp, startDemoE2E } from './support';

const composer = (page: Page) =>
  page.getByRole('textbox', { name: 'Write a message', exact: true }).filter({ visible: true });

/** What has keyboard focus, as a screen reader would name it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement;
    return { label: element?.getAttribute('aria-label') ?? '', role: element?.getAttribute('role') ?? '' };
  });

/**
 * The keyboard's way through a chat: the composer first, the whole timeline one Tab stop with the
 * arrow keys inside it. (axe-core runs on every screen, both themes and sizes, in screens.e2e.)
 */
describe('accessibility: the keyboard in a chat', () => {
  let e2e: E2E;
  let urls: Record<'ticket' | 'dm', string>;

  beforeAll(async () => {
    ({ e2e, urls } = await startDemoE2E());
  });
  afterAll(() => e2e?.close());

  it('puts the composer first, and makes the timeline one Tab stop with arrow keys inside', async () => {
    const { page } = await e2e.person();
    await signInInApp(page, 'sam', DEMO_PASSWORD);
    await page.goto(urls.dm);

    // The chat opens with the cursor in the composer: typing and Enter send at once.
    await expect.poll(() => composer(page).count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => focused(page)).toEqual({ label: 'Write a message', role: '' });
    await page.keyboard.type('Typed without touching the mouse');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByTestId('message').filter({ hasText: 'Typed without touching the mouse' }).count())
      .toBe(1);

    // Shift+Tab: into the timeline, on the newest message, named by sender, time and text.
    await page.keyboard.press('Shift+Tab');
    await expect.poll(async () => (await focused(page)).label).toMatch(/^You, .*Typed without touching the mouse/);
    expect((await focused(page)).role).toBe('article');
    const newest = (await focused(page)).label;

    // ArrowUp: the message before it (Kim's), ArrowDown back, End to the newest, Home to the first.
    await page.keyboard.press('ArrowUp');
    await expect.poll(async () => (await focused(page)).label).not.toBe(newest);
    const previous = (await focused(page)).label;
    expect(previous).toMatch(/^(You|Kim Agent), /);
    await page.keyboard.press('ArrowDown');
    await expect.poll(async () => (await focused(page)).label).toBe(newest);
    await page.keyboard.press('Home');
    await expect.poll(async () => (await focused(page)).label).not.toBe(newest);
    await page.keyboard.press('End');
    await expect.poll(async () => (await focused(page)).label).toBe(newest);
    await page.keyboard.press('ArrowUp');
    await screenshot(page, 'a11y-message-focus');

    // Enter opens the message's actions; Esc closes them and the focus is back on the message.
    await page.keyboard.press('Enter');
    const menu = page.getByRole('dialog', { name: 'Message actions', exact: true }).filter({ visible: true });
    await expect.poll(() => menu.count()).toBe(1);
    await escapeFrom(page, menu);
    await expect.poll(() => menu.count()).toBe(0);
    await expect.poll(async () => (await focused(page)).label).toBe(previous);

    // One Tab leaves the whole timeline for the composer; Shift+Tab comes back where it was.
    await page.keyboard.press('Tab');
    await expect.poll(() => focused(page)).toEqual({ label: 'Write a message', role: '' });
    await page.keyboard.press('Shift+Tab');
    await expect.poll(async () => (await focused(page)).label).toBe(previous);
  });
});
