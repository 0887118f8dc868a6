import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/db/seed';
import { seriousViolations } from './axe';
import { ARTIFACTS, DOCS_SCREENSHOTS, settled, startDemoE2E, UPDATE_DOCS_SCREENSHOTS, type E2E } from './support';

/** The few the README shows (`PARLEY_UPDATE_SCREENSHOTS=1`); the rest stay in e2e/artifacts. */
const IN_DOCS = new Set([
  'wide-ticket-agent-light',
  'wide-ticket-customer-dark',
  'wide-direct-chat-dark',
  'wide-queue-light',
  'wide-contacts-dark',
  'wide-profile-light',
  'wide-sign-in-light',
  'wide-notifications-dark',
  'phone-ticket-agent-light',
  'phone-queue-dark',
  'phone-direct-chat-light',
  'phone-sign-in-dark',
]);
const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];
const SIZES = {
  wide: { width: 1440, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/**
 * Every screen, light and dark, wide (a desktop: side navigation, list beside detail) and phone
 * sized (tab bar, one pane), on the demo organisation, each opened by its own URL (deep links)
 * and checked to show its heading before the picture is taken; and on each, axe-core finds
 * nothing serious (the keyboard's way through a chat is accessibility.e2e's).
 */
describe('every screen, by URL, in both themes and both sizes, and nothing serious for axe-core', () => {
  let e2e: E2E;
  let urls: Record<string, string>;

  beforeAll(async () => {
    ({ e2e, urls } = await startDemoE2E());
    if (UPDATE_DOCS_SCREENSHOTS) fs.mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  });
  afterAll(() => e2e?.close());

  async function signIn(page: Page, login: string) {
    await page.goto('/');
    await page.getByLabel('Email or username', { exact: true }).fill(login);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect
      .poll(() => page.getByRole('heading').filter({ visible: true }).allTextContents())
      .not.toEqual(['Sign in']);
  }

  /** What axe-core found, by screen: thrown at the end of each walk, not at the first screen. */
  let found: string[] = [];

  /**
   * Opens the screen by its URL in the light theme, then switches the device to dark (the app
   * follows the system's theme as it changes): each theme's picture and axe-core's look at it,
   * for one load of the screen.
   */
  async function shoot(page: Page, url: string, heading: string | RegExp, name: (theme: Theme) => string) {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(url);
    await expect
      .poll(() => page.getByRole('heading', { name: heading }).filter({ visible: true }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    for (const theme of THEMES) {
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.evaluate(() => document.documentElement.style.colorScheme)).toBe(theme);
      await settled(page);
      const file = path.join(ARTIFACTS, `screen-${name(theme)}.png`);
      await page.screenshot({ path: file });
      if (UPDATE_DOCS_SCREENSHOTS && IN_DOCS.has(name(theme))) {
        fs.copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${name(theme)}.png`));
      }
      const violations = await seriousViolations(page);
      if (violations) found.push(`${name(theme)}:\n${violations}`);
    }
  }

  for (const [size, viewport] of Object.entries(SIZES)) {
    it(
      `shows each screen of an agent, a customer and an admin, light and dark (${size})`,
      { timeout: 240_000 },
      async () => {
        const person = () => e2e.person({ viewport });
        const name = (screen: string) => (theme: Theme) => `${size}-${screen}-${theme}`;
        found = [];
        const { page: visitor } = await person();
        await shoot(visitor, '/', 'Sign in', name('sign-in'));
        await shoot(visitor, '/register', 'Create account', name('register'));

        const { page: sam } = await person();
        await signIn(sam, 'sam');
        await shoot(sam, '/', 'Queue', name('queue'));
        await shoot(sam, urls.ticket!, 'Cannot sign in on Android', name('ticket-agent'));
        await shoot(sam, '/tickets/new', 'New ticket', name('new-ticket'));
        await shoot(sam, '/messages', 'Messages', name('messages'));
        await shoot(sam, '/messages/new-group', 'New group', name('new-group'));
        await shoot(sam, urls.dm!, /Kim Agent/, name('direct-chat'));
        await shoot(sam, '/contacts', 'Contacts', name('contacts'));
        await shoot(sam, '/notifications', 'Notifications', name('notifications'));
        await shoot(sam, '/profile', 'Profile', name('profile'));

        const { page: carla } = await person();
        await signIn(carla, 'carla');
        await shoot(carla, '/', 'My tickets', name('queue-customer'));
        await shoot(carla, urls.ticket!, 'Cannot sign in on Android', name('ticket-customer'));
        await shoot(carla, '/messages/new-group', 'New group', name('new-group-customer'));

        const { page: ada } = await person();
        await signIn(ada, 'ada');
        await shoot(ada, '/admin', 'Admin', name('admin'));
        await shoot(ada, '/reports', 'Reports', name('reports'));

        // Thrown, not compared: an expected-received diff would cut the list short.
        if (found.length > 0) throw new Error(found.join('\n\n'));
      },
    );
  }
});
