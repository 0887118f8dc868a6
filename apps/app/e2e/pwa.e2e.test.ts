import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Conversation, MessagePage, PushPayload, Session } from '@parley/protocol';
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPushService, type TestPushService } from '../../server/src/testing/push-service';
import { bearer, listen, signUp, startTestApp, type TestApp } from '../../server/src/testing/test-app';
import { readySocket } from '../../server/src/testing/ws-client';
import { CHROMIUM, count, FLAGS, openDirect, PASSWORD, screenshot, thread, visible } from './support';

const DIST = fileURLToPath(new URL('../dist', import.meta.url));

/** The service worker's global scope, as much of it as these tests touch. */
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  clients: { openWindow(url: string): Promise<unknown> };
  NotificationEvent: new (type: string, init: { notification: Notification }) => Event;
  dispatchEvent(event: Event): boolean;
  opened?: string[];
}

/**
 * Installable, offline and push, in one browser profile kept on disk like a person's own (a
 * Playwright `newContext` is incognito: Chromium refuses to install from it and to subscribe
 * to push there).
 */
describe('the installable web app', () => {
  let t: TestApp;
  let baseUrl: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  let ada: Session;
  let bo: Session;
  let dm: Conversation;
  let pushService: TestPushService;

  const composer = (p: Page) => visible(p.getByRole('textbox', { name: 'Write a message', exact: true }));
  const appWorker = (): Worker => {
    const worker = context.serviceWorkers().findLast((w) => w.url() === `${baseUrl}/sw.js`);
    if (!worker) throw new Error('no service worker running');
    return worker;
  };
  const notificationsOf = (p: Page) =>
    p.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        data: n.data as unknown,
        icon: n.icon,
      })),
    );
  const say = async (p: Page, text: string) => {
    await composer(p).fill(text);
    await composer(p).press('Enter');
  };
  const historyOverRest = async (who: Session) => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/conversations/${dm.id}/messages?limit=50`,
      headers: bearer(who),
    });
    return response.json<MessagePage>().items.map((m) => m.body);
  };

  /**
   * What the browser does with a push from its push service: hands it to the app's worker, over
   * CDP from `blank` (a page outside the app, so that none of the app's needs be open).
   */
  const pushToWorker = async (blank: Page) => {
    const cdp = await context.newCDPSession(blank);
    const registrations = new Map<string, string>();
    cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations: updated }) => {
      for (const r of updated) if (!r.isDeleted) registrations.set(r.scopeURL, r.registrationId);
    });
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.get(`${baseUrl}/`)).toBeDefined();
    return {
      deliver: (payload: PushPayload) =>
        cdp.send('ServiceWorker.deliverPushMessage', {
          origin: baseUrl,
          registrationId: registrations.get(`${baseUrl}/`)!,
          data: JSON.stringify(payload),
        }),
      detach: () => cdp.detach(),
    };
  };

  beforeAll(async () => {
    pushService = await startTestPushService();
    // Presence settles fast: the push test waits for Ada to be offline once her pages close.
    t = await startTestApp({ env: { WEB_DIR: DIST }, realtime: { presenceGraceMs: 200 } });
    baseUrl = await listen(t);
    ada = await signUp(t, 'agent', { username: 'ada', displayName: 'Ada Agent', password: PASSWORD });
    bo = await signUp(t, 'agent', { username: 'bob', displayName: 'Bo Agent', password: PASSWORD });
    dm = await openDirect(t, bo, ada);
    for (const [i, body] of ['Morning Ada!', 'The VAT ticket is yours when you are in'].entries()) {
      await t.app.inject({
        method: 'POST',
        url: `/conversations/${dm.id}/messages`,
        headers: bearer(bo),
        payload: { clientMsgId: `bo-${i}`, body },
      });
    }
    profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-pwa-profile-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: FLAGS,
      baseURL: baseUrl,
      viewport: { width: 1100, height: 800 },
    });
    // Ada has said yes to notifications from Parley (the switch in Profile asks for it).
    await context.grantPermissions(['notifications'], { origin: baseUrl });
    await context.addInitScript((session) => {
      if (!localStorage.getItem('parley.session')) localStorage.setItem('parley.session', session);
    }, JSON.stringify(ada));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  });
  afterAll(async () => {
    await context?.close();
    await t?.close();
    await pushService?.close();
    if (profile) fs.rmSync(profile, { recursive: true, force: true });
  });
  afterEach(async (test) => {
    const open = context.pages().findLast((p) => p.url().startsWith(baseUrl));
    if (test.task.result?.state === 'fail' && open) await screenshot(open, 'pwa-failure');
  });

  it('can be installed: a valid manifest, icons of the sizes it names, and a service worker in control', async () => {
    await page.goto(`/messages/${dm.id}`);
    await expect.poll(count(composer(page)), { timeout: 15_000 }).toBe(1);
    // The worker installs the build's shell, then takes over the open page.
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null), { timeout: 20_000 })
      .toBe(`${baseUrl}/sw.js`);

    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest', {});
    expect(manifest.url).toBe(`${baseUrl}/manifest.webmanifest`);
    expect(manifest.errors).toEqual([]);
    const parsed = JSON.parse(manifest.data ?? '{}') as { icons: { src: string; sizes: string; purpose: string }[] };
    expect(parsed).toMatchObject({
      name: 'Parley',
      short_name: 'Parley',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: '#4338ca',
      background_color: '#ffffff',
    });
    // Chromium's own verdict: what the install prompt and Lighthouse's installability audit check.
    expect((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors).toEqual([]);
    const sizes = await page.evaluate(
      (icons) =>
        Promise.all(
          icons.map(async (icon) => {
            const bitmap = await createImageBitmap(await (await fetch(icon.src)).blob());
            return `${icon.purpose} ${bitmap.width}x${bitmap.height}`;
          }),
        ),
      parsed.icons,
    );
    expect(sizes).toEqual(['any 192x192', 'any 512x512', 'maskable 512x512']);
    // The page says its colour to the browser too (the title bar before the manifest is read).
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#4338ca');
    await cdp.detach();
  });

  it('opens a deep link offline with the last history, keeps what I write while offline across a reload, and sends it when the network returns', async () => {
    // A load under the worker's control keeps this conversation's latest messages for Ada.
    await page.reload();
    await expect.poll(count(thread(page).getByText('Morning Ada!', { exact: true })), { timeout: 15_000 }).toBe(1);
    await expect
      .poll(() =>
        page.evaluate(async (id) => {
          for (const name of await caches.keys()) {
            if (!name.startsWith('parley-api-')) continue;
            const keys = await (await caches.open(name)).keys();
            if (keys.some((key) => new URL(key.url).pathname === `/conversations/${id}/messages`)) return name;
          }
          return null;
        }, dm.id),
      )
      .toBe(`parley-api-${ada.user.id}.${ada.user.workspace.id}`);

    await context.setOffline(true);
    // Offline for the worker too, not only for the page: what shows next comes from its caches.
    expect(
      await appWorker().evaluate(() =>
        fetch('/healthz').then(
          () => 'online',
          () => 'offline',
        ),
      ),
    ).toBe('offline');
    await page.goto(`/messages/${dm.id}`);
    await expect.poll(count(composer(page)), { timeout: 15_000 }).toBe(1);
    await expect
      .poll(count(thread(page).getByText('The VAT ticket is yours when you are in', { exact: true })))
      .toBe(1);
    await expect.poll(count(page.getByTestId('connection-banner'))).toBe(1);
    await screenshot(page, 'pwa-offline');

    await say(page, 'On the train, back in an hour');
    await expect.poll(count(thread(page).getByText('On the train, back in an hour', { exact: true }))).toBe(1);
    await expect.poll(count(page.getByText(/· Sending…$/))).toBe(1);
    // Still offline, the app is closed and opened again: the message is still waiting.
    await page.reload();
    await expect.poll(count(composer(page)), { timeout: 15_000 }).toBe(1);
    await expect.poll(count(thread(page).getByText('On the train, back in an hour', { exact: true }))).toBe(1);
    await expect.poll(count(page.getByText(/· Sending…$/))).toBe(1);
    expect(await historyOverRest(bo)).not.toContain('On the train, back in an hour');

    await context.setOffline(false);
    await expect.poll(count(page.getByText(/· Sending…$/)), { timeout: 20_000 }).toBe(0);
    await expect.poll(count(page.getByTestId('connection-banner'))).toBe(0);
    // Bo has it, once.
    await expect
      .poll(async () => (await historyOverRest(bo)).filter((body) => body === 'On the train, back in an hour').length)
      .toBe(1);
  });

  it('shows a push while no page of the app is open, and its click opens the conversation', async () => {
    const last = (
      await t.app.inject({
        method: 'POST',
        url: `/conversations/${dm.id}/messages`,
        headers: bearer(bo),
        payload: { clientMsgId: 'bo-push', body: 'Are you there?' },
      })
    ).json<{ seq: number }>();
    const payload: PushPayload = {
      title: 'Bo Agent',
      body: 'Are you there?',
      url: `/messages/${dm.id}?seq=${last.seq}`,
      tag: `conversation:${dm.id}`,
      workspaceId: ada.user.workspace.id,
      kind: 'message',
    };

    // Every page of the app closed (the browser stays: push wakes the worker, not a page).
    const blank = await context.newPage();
    for (const open of context.pages()) if (open !== blank) await open.close();
    const worker = await pushToWorker(blank);
    await worker.deliver(payload);

    // The notification is there, as the payload says, for anyone who opens the app later.
    page = await context.newPage();
    await page.goto('/');
    await expect
      .poll(() => notificationsOf(page))
      .toEqual([
        {
          title: 'Bo Agent',
          body: 'Are you there?',
          tag: `conversation:${dm.id}`,
          data: { url: payload.url },
          icon: `${baseUrl}/icons/icon-192.png`,
        },
      ]);

    // Clicking it (headless Chromium shows no notification to click: the worker gets the same
    // event a click gives it) brings the open Parley tab to that conversation, at that message.
    await appWorker().evaluate(async () => {
      const scope = self as unknown as WorkerScope;
      const [notification] = await scope.registration.getNotifications();
      scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: notification! }));
    });
    await expect.poll(() => page.url()).toBe(`${baseUrl}${payload.url}`);
    await expect.poll(count(thread(page).getByText('Are you there?', { exact: true })), { timeout: 15_000 }).toBe(1);
    expect(await notificationsOf(page)).toEqual([]);

    // With no Parley tab open, the click opens a new one at the conversation. (Opening a window
    // needs a real click's permission, which a dispatched event lacks: the browser's
    // `openWindow` is replaced here to record what it would open.)
    await worker.deliver({ ...payload, body: 'Ping' });
    await expect.poll(() => notificationsOf(page).then((list) => list.map((n) => n.body))).toEqual(['Ping']);
    await page.close();
    await appWorker().evaluate(async () => {
      const scope = self as unknown as WorkerScope;
      scope.opened = [];
      scope.clients.openWindow = async (url) => void scope.opened!.push(url);
      const [notification] = await scope.registration.getNotifications();
      scope.dispatchEvent(new scope.NotificationEvent('notificationclick', { notification: notification! }));
    });
    await expect
      .poll(() => appWorker().evaluate(() => (self as unknown as WorkerScope).opened))
      .toEqual([`${baseUrl}${payload.url}`]);
    await worker.detach();
  });

  it('turns push on in Profile, and a mention sent while no page is open arrives as a notification', async () => {
    // Chromium here has no push service to reach (no network, no FCM): its own `subscribe` never
    // settles. The test's push service (the one the server's tests decrypt with) hands out the
    // subscription instead, with real keys, kept across reloads like the browser's own; the rest
    // of the chain is real: the app registers it, the server encrypts to it, the worker shows it.
    await context.exposeFunction('testPushSubscribe', (key: string) => pushService.subscribe(key));
    await context.addInitScript(() => {
      const KEY = 'test.pushSubscription';
      type Saved = { endpoint: string; keys: { p256dh: string; auth: string } };
      const asSubscription = (saved: Saved) => ({
        endpoint: saved.endpoint,
        toJSON: () => ({ endpoint: saved.endpoint, expirationTime: null, keys: saved.keys }),
        unsubscribe: async () => {
          localStorage.removeItem(KEY);
          return true;
        },
      });
      const b64url = (bytes: ArrayBuffer) =>
        btoa(String.fromCharCode(...new Uint8Array(bytes)))
          .replace(/\+/g, '-')
          .replace(/\//g, '_')
          .replace(/=+$/, '');
      PushManager.prototype.getSubscription = async function () {
        const saved = localStorage.getItem(KEY);
        return (saved ? asSubscription(JSON.parse(saved) as Saved) : null) as unknown as PushSubscription;
      };
      PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
        const key = options?.applicationServerKey;
        const saved = (await (
          window as unknown as { testPushSubscribe(key: string): Promise<Saved> }
        ).testPushSubscribe(typeof key === 'string' ? key : b64url(key as ArrayBuffer))) as Saved;
        localStorage.setItem(KEY, JSON.stringify({ endpoint: saved.endpoint, keys: saved.keys }));
        return asSubscription(saved) as unknown as PushSubscription;
      };
    });
    page = await context.newPage();
    await page.goto('/profile');
    const toggleOf = (p: Page) => visible(p.getByRole('switch', { name: 'Notifications on this device' }));
    let toggle = toggleOf(page);
    await expect.poll(() => toggle.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => toggle.isChecked()).toBe(false);

    const devices = async () =>
      (await t.app.inject({ method: 'GET', url: '/me/push-devices', headers: bearer(ada) })).json<{
        items: { kind: string }[];
      }>().items;

    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect.poll(async () => (await devices()).map((d) => d.kind)).toEqual(['web']);
    await page.reload();
    await expect.poll(() => toggle.isChecked(), { timeout: 15_000 }).toBe(true);

    // Ada closes Parley; Bo (whose socket hears her go offline) mentions her.
    const bos = await readySocket(baseUrl, bo);
    bos.send({ type: 'subscribe', conversationId: dm.id });
    await bos.next('subscribed');
    const blank = await context.newPage();
    for (const open of context.pages()) if (open !== blank) await open.close();
    await bos.next('presence', (f) => f.userId === ada.user.id && f.status === 'offline', 15_000);
    await bos.close();
    const arrived = new Promise<PushPayload>((resolve) =>
      pushService.onPush((push) => push.payload && resolve(push.payload as PushPayload)),
    );
    const mention = (
      await t.app.inject({
        method: 'POST',
        url: `/conversations/${dm.id}/messages`,
        headers: bearer(bo),
        payload: { clientMsgId: 'bo-mention', body: '@ada the VAT ticket is urgent now' },
      })
    ).json<{ seq: number }>();
    // What the server encrypted to her browser (decrypted by the push service stand-in) goes to
    // her service worker as the browser's push would.
    const payload = await arrived;
    expect(payload).toMatchObject({
      title: 'Bo Agent mentioned you',
      body: '@ada the VAT ticket is urgent now',
      url: `/messages/${dm.id}?seq=${mention.seq}`,
      kind: 'message.mention',
    });
    const worker = await pushToWorker(blank);
    await worker.deliver(payload);
    await worker.detach();
    page = await context.newPage();
    await page.goto('/profile');
    await expect
      .poll(() => notificationsOf(page).then((list) => list.map((n) => [n.title, n.body, n.data])))
      .toEqual([['Bo Agent mentioned you', '@ada the VAT ticket is urgent now', { url: payload.url }]]);
    await page.evaluate(async () => {
      for (const n of await (await navigator.serviceWorker.ready).getNotifications()) n.close();
    });

    // Off again: the browser forgets its subscription, the server the device.
    toggle = toggleOf(page);
    await expect.poll(() => toggle.isChecked(), { timeout: 15_000 }).toBe(true);
    await toggle.click();
    await expect.poll(() => toggle.isChecked()).toBe(false);
    await expect.poll(async () => (await devices()).length).toBe(0);
    expect(
      await page.evaluate(async () => (await navigator.serviceWorker.ready).pushManager.getSubscription()),
    ).toBeNull();
  });

  it("forgets what it kept of Ada's when she signs out", async () => {
    page = context.pages().findLast((p) => p.url().startsWith(baseUrl)) ?? (await context.newPage());
    await page.goto('/profile');
    const keptCaches = () =>
      page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('parley-api-')));
    await expect.poll(keptCaches, { timeout: 15_000 }).toEqual([`parley-api-${ada.user.id}.${ada.user.workspace.id}`]);
    await visible(page.getByRole('button', { name: 'Sign out', exact: true })).click();
    await expect.poll(count(page.getByLabel('Email or username', { exact: true }))).toBe(1);
    await expect.poll(keptCaches).toEqual([]);
  });
});
