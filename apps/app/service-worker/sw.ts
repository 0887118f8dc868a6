/**
 * Parley's service worker (`/sw.js`, scope `/`), built by scripts/build-web.ts: keeps this
 * build's app shell for offline starts, the signed-in user's last answers for offline reading,
 * and shows web pushes. See docs/architecture.md, "The installable web app".
 */
import type { PushPayload } from '@parley/protocol';
import {
  API_CACHE_PREFIX,
  API_LIMIT,
  HISTORY_LIMIT,
  SHELL_CACHE_PREFIX,
  apiCacheName,
  isLatestHistory,
  notificationTarget,
  overLimit,
  ownerOf,
  strategyFor,
} from './policy';

declare const self: ServiceWorkerGlobalScope;
/** The build's source hash: a new deploy is a new shell cache, and the old one goes. */
declare const BUILD_ID: string;
/** Every file of the build (paths), written in by the build. */
declare const PRECACHE: string[];

const SHELL_CACHE = `${SHELL_CACHE_PREFIX}${BUILD_ID}`;
const SHELL = new Set(PRECACHE);
const INDEX = '/index.html';
const ICON = '/icons/icon-192.png';

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // Past the HTTP cache: a stale copy of a file must not become the shell.
      await cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' })));
      // The new build takes over at once; the pages still on the old one load its files from
      // the network (hashed names), and the next load is the new build anyway.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys())
        if (name.startsWith(SHELL_CACHE_PREFIX) && name !== SHELL_CACHE) await caches.delete(name);
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const strategy = strategyFor(
    {
      method: request.method,
      url: request.url,
      mode: request.mode,
      authorization: request.headers.get('authorization'),
    },
    self.location.origin,
    SHELL,
  );
  if (strategy === 'page') event.respondWith(page(request));
  else if (strategy === 'shell') event.respondWith(shellFile(request));
  else if (strategy === 'history' || strategy === 'api') event.respondWith(signedInRead(event, strategy));
  // 'network': not handled, the browser fetches it as if there were no worker.
});

/** The server's page when it answers (a deploy shows at once), else this build's shell. */
async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await caches.match(INDEX, { cacheName: SHELL_CACHE });
    if (shell) return shell;
    throw error;
  }
}

async function shellFile(request: Request): Promise<Response> {
  return (await caches.match(request, { cacheName: SHELL_CACHE })) ?? fetch(request);
}

/**
 * Network first; a good answer is kept in its owner's cache, and when the network fails the last
 * kept answer stands in. Nothing is kept for a request without an owner (no valid token).
 */
async function signedInRead(event: FetchEvent, strategy: 'history' | 'api'): Promise<Response> {
  const { request } = event;
  const owner = ownerOf(request.headers.get('authorization'));
  let response: Response;
  try {
    response = await fetch(request);
  } catch (error) {
    const kept = owner ? await caches.match(request, { cacheName: apiCacheName(owner) }) : undefined;
    if (kept) return kept;
    throw error;
  }
  if (owner && response.status === 200) {
    const copy = response.clone();
    // Kept after answering: the page never waits for the disk (a full disk only loses the copy).
    event.waitUntil(keep(owner, request, copy, strategy).catch(() => undefined));
  }
  return response;
}

async function keep(owner: string, request: Request, response: Response, strategy: 'history' | 'api') {
  const cache = await caches.open(apiCacheName(owner));
  await cache.delete(request); // put again at the end: the most recently loaded is the last to go
  await cache.put(request, response);
  const keys = await cache.keys();
  const ofKind = keys.filter((key) => isLatestHistory(new URL(key.url)) === (strategy === 'history'));
  for (const old of overLimit(ofKind, strategy === 'history' ? HISTORY_LIMIT : API_LIMIT)) await cache.delete(old);
}

/** Another user's answers never outlive a sign-out on this browser (the app asks, see offline.ts). */
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type !== 'parley.signedOut') return;
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) if (name.startsWith(API_CACHE_PREFIX)) await caches.delete(name);
    })(),
  );
});

/** A push, as the server decided it (docs/architecture.md): shown, never second-guessed here. */
self.addEventListener('push', (event) => {
  const payload = readPush(event.data);
  event.waitUntil(
    self.registration.showNotification(payload.title, {
      body: payload.body,
      tag: payload.tag,
      data: { url: payload.url },
      icon: ICON,
    }),
  );
});

/** A browser must show something for every push: an unreadable one still says where it is from. */
function readPush(data: PushMessageData | null): Pick<PushPayload, 'title' | 'body' | 'tag' | 'url'> {
  try {
    const payload = data?.json() as Partial<PushPayload> | undefined;
    if (typeof payload?.title === 'string')
      return {
        title: payload.title,
        body: typeof payload.body === 'string' ? payload.body : '',
        tag: typeof payload.tag === 'string' ? payload.tag : '',
        url: typeof payload.url === 'string' ? payload.url : '/',
      };
  } catch {
    // not JSON: the fallback below
  }
  return { title: 'Parley', body: '', tag: '', url: '/' };
}

/** Opens what the notification is about: in the Parley tab already open, else in a new one. */
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = notificationTarget((event.notification.data as { url?: unknown } | null)?.url, self.location.origin);
  event.waitUntil(openInApp(target));
});

async function openInApp(target: string): Promise<unknown> {
  const windows = await self.clients.matchAll({ type: 'window' });
  const open = windows.find((client) => client.focused) ?? windows[0];
  if (!open) return self.clients.openWindow(target);
  // Focusing is allowed only within a notification click; the navigation does not need it.
  const focused = await open.focus().catch(() => open);
  return focused.navigate(target);
}
