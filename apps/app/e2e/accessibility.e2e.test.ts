import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/db/seed';
import { seriousViolations } from './axe';
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
 * axe-core on every screen of the demo organisation, light and dark, as an agent, a customer and
 * an admin; and the keyboard's way through a chat: the composer first, the whole timeline one Tab
 * stop with the arrow keys inside it.
 */
describe('accessibility: axe-core on every screen, and the keyboard in a chat', () => {
  let e2e: E2E;
  let urls: Record<'ticket' | 'dm', string>;

  beforeAll(async () => {
    ({ e2e, urls } = await startDemoE2E());
  });
  afterAll(() => e2e?.close());

  for (const theme of ['light', 'dark'] as const) {
    it(`finds nothing serious on any screen (${theme})`, { timeout: 240_000 }, async () => {
      const found: string[] = [];
      /** Opens the screen by its URL, waits for its heading, and collects what axe finds there. */
      async function check(page: Page, url: string, heading: string | RegExp, name: string) {
        await page.goto(url);
        await expect
          .poll(() => page.getByRole('heading', { name: heading }).filter({ visible: true }).count(), {
            timeout: 15_000,
          })
          .toBeGreaterThan(0);
        await page.waitForLoadState('networkidle');
        await page.waitForTimeout(300); // avatars and thumbnails settle
        const violations = await seriousViolations(page);
        if (violations) {
          found.push(`${name} (${theme}):\n${violations}`);
          await screenshot(page, `a11y-${name}-${theme}`);
        }
      }

      const { page: visitor } = await e2e.person({ colorScheme: theme });
      await check(visitor, '/', 'Sign in', 'sign-in');
      await check(visitor, '/register', 'Create account', 'register');

      const { page: sam } = await e2e.person({ colorScheme: theme });
      await signInInApp(sam, 'sam', DEMO_PASSWORD);
      await check(sam, '/', 'Queue', 'queue');
      await check(sam, urls.ticket, 'Cannot sign in on Android', 'ticket-agent');
      await check(sam, '/tickets/new', 'New ticket', 'new-ticket');
      await check(sam, '/messages', 'Messages', 'messages');
      await check(sam, '/messages/new-group', 'New group', 'new-group');
      await check(sam, urls.dm, /Kim Agent/, 'direct-chat');
      await check(sam, '/contacts', 'Contacts', 'contacts');
      await check(sam, '/notifications', 'Notifications', 'notifications');
      await check(sam, '/profile', 'Profile', 'profile');

      const { page: carla } = await e2e.person({ colorScheme: theme });
      await signInInApp(carla, 'carla', DEMO_PASSWORD);
      await check(carla, '/', 'My tickets', 'tickets-customer');
      await check(carla, urls.ticket, 'Cannot sign in on Android', 'ticket-customer');
      await check(carla, '/messages/new-group', 'New group', 'new-group-customer');

      const { page: ada } = await e2e.person({ colorScheme: theme });
      await signInInApp(ada, 'ada', DEMO_PASSWORD);
      await check(ada, '/admin', 'Admin', 'admin');
      await check(ada, '/reports', 'Reports', 'reports');

      // Thrown, not compared: an expected-received diff would cut the list short.
      if (found.length > 0) throw new Error(found.join('\n\n'));
    });
  }

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
