/**
 * What the service worker does with each request, as plain functions (sw.ts wires them to the
 * fetch event; policy.test.ts checks them without a browser).
 */

/** How a GET is answered. */
export type Strategy =
  /** A file of this build: from the shell cache, the network only if it is missing. */
  | 'shell'
  /** A page (a deep link, a reload): the network, else the cached app shell. */
  | 'page'
  /** The latest page of a conversation's history: network first, kept for the last few conversations. */
  | 'history'
  /** Another signed-in read: network first, the last answer kept for offline use. */
  | 'api'
  /** Left to the browser: sign-in and tokens, files, sockets, anything not from us. */
  | 'network';

/** Never kept: tokens, one-time links, files (large, and served with their own caching), docs. */
const NEVER = [
  '/auth/',
  '/attachments/',
  '/avatars/',
  '/workspace-logos/',
  '/ws',
  '/docs',
  '/openapi.json',
  '/healthz',
  '/readyz',
  '/metrics',
  '/push/',
];

/** One conversation's latest messages (no `beforeSeq`/`afterSeq`: not older history, not a gap). */
const LATEST_HISTORY = /^\/conversations\/[^/]+\/messages$/;

export interface RequestFacts {
  method: string;
  url: string;
  mode: string;
  authorization: string | null;
}

export function strategyFor(request: RequestFacts, origin: string, shell: ReadonlySet<string>): Strategy {
  if (request.method !== 'GET') return 'network';
  const url = new URL(request.url);
  if (url.origin !== origin) return 'network';
  if (request.mode === 'navigate') return 'page';
  if (shell.has(url.pathname)) return 'shell';
  if (!request.authorization?.startsWith('Bearer ')) return 'network';
  if (NEVER.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix))) return 'network';
  return isLatestHistory(url) ? 'history' : 'api';
}

export function isLatestHistory(url: URL): boolean {
  return LATEST_HISTORY.test(url.pathname) && !url.searchParams.has('beforeSeq') && !url.searchParams.has('afterSeq');
}

/**
 * Whose answers these are: the access token's user and workspace (`sub`, `wid`), read without
 * verifying (the server did; a forged token only ever reads its own forger's cache). Each owner
 * gets a cache of their own, so a second person signing in on this browser never sees the
 * first one's conversations, even when the first never signed out (their session simply ran out).
 * The token's other claims (expiry) change on every refresh and must not split one user's cache.
 */
export function ownerOf(authorization: string | null): string | null {
  const token = authorization?.match(/^Bearer (.+)$/)?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; wid?: unknown };
    if (typeof claims.sub !== 'string' || typeof claims.wid !== 'string') return null;
    return `${claims.sub}.${claims.wid}`.replace(/[^A-Za-z0-9.]/g, '');
  } catch {
    return null;
  }
}

export const SHELL_CACHE_PREFIX = 'parley-shell-';
/** Every signed-in cache starts so: signing out deletes them all (apps/app/src/api/offline.ts). */
export const API_CACHE_PREFIX = 'parley-api-';
export const apiCacheName = (owner: string) => `${API_CACHE_PREFIX}${owner}`;

/** Conversations whose latest page stays readable offline, most recently loaded first. */
export const HISTORY_LIMIT = 20;
/** Other answers kept (lists, a ticket, me): bounded so a long session does not fill the disk. */
export const API_LIMIT = 100;

/**
 * Which keys to delete so at most `limit` of them are left, given keys oldest first (a Cache
 * lists its entries in the order they were put; putting one again moves it to the end).
 */
export function overLimit<T>(keysOldestFirst: readonly T[], limit: number): T[] {
  return keysOldestFirst.slice(0, Math.max(0, keysOldestFirst.length - limit));
}

/** The app path a notification opens: only a path of this site, whatever the payload says. */
export function notificationTarget(url: unknown, origin: string): string {
  if (typeof url !== 'string') return `${origin}/`;
  try {
    const target = new URL(url, origin);
    return target.origin === origin ? target.href : `${origin}/`;
  } catch {
    return `${origin}/`;
  }
}
