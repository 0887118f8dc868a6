import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { systemClock, type Clock } from '../../server/src/clock';
import { seedDemoOrg } from '../../server/src/db/seed';
import type { Conversation, Session } from '@parley/protocol';
import { bearer, listen, manualClock, startTestApp, type TestApp } from '../../server/src/testing/test-app';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
export const ARTIFACTS = path.join(APP_DIR, 'e2e/artifacts');

/** Debian's Chromium, headless, with nothing that reaches the network on its own. */
export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Calls: a test pattern and a beep for the camera and microphone (and the screen), granted without asking.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export interface E2E {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  /** A fresh browser profile (its own storage), like another person on another machine. */
  person(options?: {
    colorScheme?: 'light' | 'dark';
    /** The window's size; 1100×800 (a laptop: side navigation, list beside detail) unless told. */
    viewport?: { width: number; height: number };
  }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * A server whose time the test moves (`clock.advance`) and whose durable jobs it steps
 * (`settle`: runs the queue until what fell due, and what that recorded, has run); tokens
 * outlive the clock's jumps.
 */
export async function startSteppedE2E(): Promise<{
  e2e: E2E;
  clock: ReturnType<typeof manualClock>;
  settle(): Promise<void>;
}> {
  const clock = manualClock(Date.now());
  const e2e = await startE2E({ JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' }, { clock });
  return {
    e2e,
    clock,
    async settle() {
      for (let i = 0; i < 4; i++) await e2e.t.app.jobs.runDueJobs();
    },
  };
}

/**
 * The real server on SQLite, serving the real web build (made by global-setup.ts), and a real
 * Chromium. A `clock` (`manualClock()`) lets a test move the server's time, e.g. past a window.
 */
export async function startE2E(env: Record<string, string> = {}, options: { clock?: Clock } = {}): Promise<E2E> {
  const t = await startTestApp({
    env: { WEB_DIR: path.join(APP_DIR, 'dist'), ...env },
    ...(options.clock && { clock: options.clock }),
  });
  const baseUrl = await listen(t);
  const browser = await sharedBrowser();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return {
    t,
    baseUrl,
    browser,
    async person(options = {}) {
      const context = await browser.newContext({
        baseURL: baseUrl,
        viewport: options.viewport ?? { width: 1100, height: 800 },
        colorScheme: options.colorScheme ?? 'light',
        // The offline worker is pwa.e2e's to test (in a profile of its own); here it would only
        // download the whole shell again for every person, on a machine the suite keeps busy.
        serviceWorkers: 'block',
      });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
      trackRequests(page);
      return { context, page };
    },
    async close() {
      // The browser outlives the suite: its windows go (the ones opened without `person` too).
      await Promise.all(browser.contexts().map((context) => context.close()));
      await t.close();
    },
  };
}

/**
 * One Chromium per test worker, for every suite it runs (each person still gets a fresh
 * profile, a context of its own): starting a browser per suite cost about 1.5 s each time. A
 * suite gets it only once it draws a frame: a browser that crashed or stopped drawing (seen
 * once under load: every screenshot timed out) is replaced rather than failing the suites after.
 * Playwright closes it when the worker exits.
 */
let browserLaunch: Promise<Browser> | undefined;
async function sharedBrowser(attempt = 1): Promise<Browser> {
  browserLaunch ??= chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
  const browser = await browserLaunch;
  if (browser.isConnected() && (await drawsFrames(browser))) return browser;
  browserLaunch = undefined;
  await browser.close().catch(() => undefined);
  if (attempt >= 3) throw new Error(`Chromium at ${CHROMIUM} starts but draws no frame`);
  return sharedBrowser(attempt + 1);
}

async function drawsFrames(browser: Browser): Promise<boolean> {
  const context = await browser.newContext().catch(() => undefined);
  if (!context) return false;
  try {
    const page = await context.newPage();
    await page.screenshot({ timeout: 10_000 });
    return true;
  } catch {
    return false;
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** Requests each page has in flight (WebSockets are not requests: a live page still goes quiet). */
const inFlight = new WeakMap<Page, { count: number; quietSince: number }>();
function trackRequests(page: Page): void {
  const state = { count: 0, quietSince: performance.now() };
  inFlight.set(page, state);
  page.on('request', () => void (state.count += 1));
  const done = () => {
    state.count = Math.max(0, state.count - 1);
    if (state.count === 0) state.quietSince = performance.now();
  };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
}

/**
 * Waits until the page shows what it loaded: no request in flight for `quietMs`, every image
 * decoded, and a frame drawn since. What a screenshot or an accessibility scan should see;
 * Playwright's `networkidle` waits a fixed 500 ms instead, on every screen.
 */
export async function settled(page: Page, quietMs = 150): Promise<void> {
  const state = inFlight.get(page);
  if (!state) throw new Error('settled() needs a page from e2e.person()');
  await expect
    .poll(() => state.count === 0 && performance.now() - state.quietSince >= quietMs, { interval: 50 })
    .toBe(true);
  await page.waitForFunction(() => Array.from(document.images).every((image) => image.complete));
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

export const DOCS_SCREENSHOTS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));
/** `PARLEY_UPDATE_SCREENSHOTS=1` also writes the README's screenshots; a plain test run leaves docs alone. */
export const UPDATE_DOCS_SCREENSHOTS = process.env.PARLEY_UPDATE_SCREENSHOTS === '1';

/** Saves a screenshot under e2e/artifacts and, when asked and `forDocs`, to docs/screenshots. */
export async function screenshot(page: Page, name: string, { forDocs = false } = {}): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  if (forDocs && UPDATE_DOCS_SCREENSHOTS) fs.copyFileSync(file, path.join(DOCS_SCREENSHOTS, `${name}.png`));
}

/** Registers through the app's own form. */
export async function registerInApp(
  page: Page,
  who: { email: string; username: string; displayName: string; password: string },
) {
  await page.goto('/');
  await page.getByRole('button', { name: /create an account/i }).click();
  await page.getByLabel('Email', { exact: true }).fill(who.email);
  await page.getByLabel('Username', { exact: true }).fill(who.username);
  await page.getByLabel('Display name (optional)').fill(who.displayName);
  await page.getByLabel('Password', { exact: true }).fill(who.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** Only what is on screen: a narrow layout's other pane, or a hidden tab, can hold the same words. */
export const visible = (locator: Locator) => locator.filter({ visible: true });

/**
 * Esc to a dialog that just opened, once the focus has moved into it (as a user sees it):
 * react-native-web's Modal starts listening for Esc in that same step, not when it is drawn.
 */
export async function escapeFrom(page: Page, dialog: Locator): Promise<void> {
  await expect.poll(() => dialog.evaluate((element) => element.contains(document.activeElement))).toBe(true);
  await page.keyboard.press('Escape');
}

/** For `expect.poll`: how many of them are on screen. */
export const count = (locator: Locator) => () => visible(locator).count();

/** The open conversation's timeline: its words may also show as a preview in the list beside it. */
export const thread = (page: Page) => page.getByRole('log');

/** The password the E2E suites give the people they create. */
export const PASSWORD = 'correct horse battery';

/** Signs in through the app's own form, and waits for the signed-in frame (its navigation). */
export async function signInInApp(page: Page, login: string, password = PASSWORD): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Email or username', { exact: true }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect.poll(count(page.getByRole('navigation', { name: 'Main navigation' }))).toBe(1);
}

/** The server with the demo organisation (db/seed.ts), and where its showcase ticket and chat are. */
export async function startDemoE2E(): Promise<{ e2e: E2E; urls: { ticket: string; dm: string } }> {
  const e2e = await startE2E();
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
  return { e2e, urls: { ticket: `/tickets/${ticket.id}`, dm: `/messages/${dm.id}` } };
}

/** A direct conversation between two people, opened over the API by the first. */
export async function openDirect(t: TestApp, from: Session, to: Session): Promise<Conversation> {
  const opened = await t.app.inject({
    method: 'POST',
    url: '/conversations/direct',
    headers: bearer(from),
    payload: { userId: to.user.id },
  });
  expect(opened.statusCode, opened.body).toBeLessThan(300);
  return opened.json<Conversation>();
}

/** A laptop's window (side navigation, list beside detail), and a phone's. */
export const WIDE = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * The app in a fresh profile (another person, or another device), already signed in as `who`
 * (the session is where the app keeps it), at `path`, once its navigation is there. `prepare`
 * runs on the profile before the page loads (an init script of the test's own).
 */
export async function openAppAs(
  e2e: E2E,
  who: Session,
  path: string,
  viewport = WIDE,
  prepare?: (context: BrowserContext) => Promise<unknown>,
): Promise<Page> {
  const { context, page } = await e2e.person({ viewport });
  await context.addInitScript((session) => {
    // Only the first time: the app may have refreshed the tokens since.
    if (!localStorage.getItem('parley.session')) localStorage.setItem('parley.session', session);
  }, JSON.stringify(who));
  await prepare?.(context);
  await page.goto(path);
  // The first load of the app (a few MB of script) can take a while on a busy machine.
  await expect.poll(count(page.getByRole('navigation', { name: 'Main navigation' })), { timeout: 15_000 }).toBe(1);
  return page;
}

/**
 * The app in a fresh profile, already signed in as `who` (the session is where the app keeps
 * it), open on a chat once its composer is there. Signing in through the form is other suites'.
 */
export async function openChatAs(
  e2e: E2E,
  who: Session,
  conversation: Conversation,
  options: Parameters<E2E['person']>[0] = {},
): Promise<Page> {
  const { context, page } = await e2e.person(options);
  await context.addInitScript((session) => {
    // Only the first time: the app may have refreshed the tokens since.
    if (!localStorage.getItem('parley.session')) localStorage.setItem('parley.session', session);
  }, JSON.stringify(who));
  await page.goto(`/messages/${conversation.id}`);
  // The first load of the app (a few MB of script) can take a while on a busy machine.
  const composer = visible(page.getByRole('textbox', { name: 'Write a message', exact: true }));
  await expect.poll(count(composer), { timeout: 15_000 }).toBe(1);
  return page;
}
