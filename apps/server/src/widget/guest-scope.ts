import type { ClientFrame } from '@parley/protocol';

/**
 * What a chat widget's visitor may do with their token: their own chat and nothing else. They
 * are customers of the workspace, so every route and frame below still checks that the ticket
 * is theirs; this list keeps them off the rest of a customer's API (people, direct chats,
 * contacts, profile, other workspaces).
 */
const GUEST_ROUTES = new Set([
  'GET /widget/conversation',
  'POST /widget/conversation',
  'GET /tickets/:id',
  'GET /conversations/:id/messages',
  'POST /conversations/:id/read',
]);

export const guestMayCall = (method: string, url: string): boolean => GUEST_ROUTES.has(`${method} ${url}`);

export const GUEST_FRAMES: ReadonlySet<ClientFrame['type']> = new Set<ClientFrame['type']>([
  'auth',
  'subscribe',
  'unsubscribe',
  'message.send',
  'message.edit',
  'message.delete',
  'typing',
  'read',
  'ping',
]);
