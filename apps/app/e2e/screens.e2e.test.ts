import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../server/src/clock';
import { DEMO_PASSWORD, seedDemoOrg } from '../../server/src/db/seed';
import { ARTIFACTS, startE2E, type E2E } from './support';

/** `PARLEY_UPDATE_SCREENSHOTS=1` also writes them to docs/screenshots (linked from the README). */
const DOCS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));
const UPDATE_DOCS = process.env.PARLEY_UPDATE_SCREENSHOTS === '1';

/**
 * Every screen, light and dark, on the demo organisation, each opened by its own URL (deep
 * links) and checked to show its heading before the picture is taken.
 */
describe('every screen, by URL, in both themes', () => {
  let e2e: E2E;
  let urls: Record<string, string>;

  beforeAll(async () => {
    e2e = await startE2E();
    await seedDemoOrg(e2e.t.database.db, systemClock, e2e.t.config.dataDir);
    const { db } = e2e.t.database;
    const ticket = await db
      .selectFrom('tickets')
      .select('id')
      .where('subject', '=', 'Cannot sign in on Android')
      .executeTakeFirstOrThrow();
    const dm = await db
      .selectFrom('conversations')
      .innerJoin('messages', 'messages.conversationId', 'conversations.id')
      .select('conversations.id')
      .where('conversations.kind', '=', 'direct')
      .where('messages.body', 'like', 'Can you take the VAT ticket%')
      .executeTakeFirstOrThrow();
    urls = { ticket: `/tickets/${ticket.id}`, dm: `/messages/${dm.id}` };
    if (UPDATE_DOCS) fs.mkdirSync(DOCS, { recursive: true });
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

  async function shoot(page: Page, url: string, heading: string | RegExp, name: string) {
    await page.goto(url);
    await expect
      .poll(() => page.getByRole('heading', { name: heading }).filter({ visible: true }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300); // avatars and thumbnails settle
    const file = path.join(ARTIFACTS, `screen-${name}.png`);
    await page.screenshot({ path: file });
    if (UPDATE_DOCS) fs.copyFileSync(file, path.join(DOCS, `${name}.png`));
  }

  for (const theme of ['light', 'dark'] as const) {
    it(`shows each screen of an agent and a customer (${theme})`, { timeout: 120_000 }, async () => {
      const { page: visitor } = await e2e.person({ colorScheme: theme });
      await shoot(visitor, '/', 'Sign in', `sign-in-${theme}`);
      await shoot(visitor, '/register', 'Create account', `register-${theme}`);

      const { page: sam } = await e2e.person({ colorScheme: theme });
      await signIn(sam, 'sam');
      await shoot(sam, '/', 'Queue', `tickets-agent-${theme}`);
      await shoot(sam, urls.ticket!, 'Cannot sign in on Android', `ticket-agent-${theme}`);
      await shoot(sam, '/tickets/new', 'New ticket', `new-ticket-${theme}`);
      await shoot(sam, '/messages', 'Messages', `messages-${theme}`);
      await shoot(sam, urls.dm!, /Kim Agent/, `direct-chat-${theme}`);
      await shoot(sam, '/contacts', 'Contacts', `contacts-${theme}`);
      await shoot(sam, '/notifications', 'Notifications', `notifications-${theme}`);
      await shoot(sam, '/profile', 'Profile', `profile-${theme}`);

      const { page: carla } = await e2e.person({ colorScheme: theme });
      await signIn(carla, 'carla');
      await shoot(carla, '/', 'My tickets', `tickets-customer-${theme}`);
      await shoot(carla, urls.ticket!, 'Cannot sign in on Android', `ticket-customer-${theme}`);
    });
  }
});
