import type { ApiTokenScope, ClientFrame } from '@parley/protocol';

/**
 * What an API token's scopes reach: routes by the area their path is in and whether they only
 * read (GET), and socket frames. Deny by default: a route of no area (sign-in, sessions, settings,
 * webhooks, tokens, operators) is out of every token's reach. Who the owner is still decides the
 * rest: a scope never adds a right the owner lacks.
 */
type Area = 'tickets' | 'messages' | 'people';

const AREAS: readonly (readonly [prefix: string, area: Area])[] = [
  ['/tickets', 'tickets'],
  ['/customers', 'tickets'],
  ['/views', 'tickets'],
  ['/labels', 'tickets'],
  ['/canned-responses', 'tickets'],
  ['/custom-fields', 'tickets'],
  ['/conversations', 'messages'],
  ['/attachments', 'messages'],
  ['/search', 'messages'],
  ['/users', 'people'],
  ['/teams', 'people'],
  ['/contacts', 'people'],
];

/** Who the token is: every token may ask. */
const ANY_TOKEN = new Set(['GET /me']);

const areaOf = (url: string): Area | null =>
  AREAS.find(([prefix]) => url === prefix || url.startsWith(`${prefix}/`))?.[1] ?? null;

const has = (scopes: ReadonlySet<ApiTokenScope>, area: Area, write: boolean) =>
  write
    ? area !== 'people' && scopes.has(`${area}:write` as ApiTokenScope)
    : scopes.has(`${area}:read` as ApiTokenScope) ||
      (area !== 'people' && scopes.has(`${area}:write` as ApiTokenScope));

/** Whether a token with these scopes may call the route (`GET`, `/tickets/:id`). */
export function tokenMayCall(scopes: ReadonlySet<ApiTokenScope>, method: string, url: string): boolean {
  if (ANY_TOKEN.has(`${method} ${url}`)) return true;
  const area = areaOf(url);
  return area !== null && has(scopes, area, method !== 'GET' && method !== 'HEAD');
}

/** Frames that only listen; every other frame changes something (sends, marks read, types). */
const LISTENING: ReadonlySet<ClientFrame['type']> = new Set(['auth', 'ping', 'subscribe', 'unsubscribe', 'viewing']);

/** Whether a token with these scopes may send the frame (its socket needs `realtime` to open at all). */
export function tokenMayFrame(scopes: ReadonlySet<ApiTokenScope>, type: ClientFrame['type']): boolean {
  if (type === 'auth' || type === 'ping') return true;
  return has(scopes, 'messages', !LISTENING.has(type));
}
