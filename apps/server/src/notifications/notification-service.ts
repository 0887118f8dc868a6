import type { NotificationItem, NotificationListQuery, NotificationPage } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import type { EventBus } from '../events/event-bus';
import { notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';
import {
  presentNotification,
  storedContentOf,
  type NewNotification,
  type NotificationSender,
} from './notification-content';
import {
  countUnread,
  findNotification,
  findPerson,
  insertNotifications,
  listEntries,
  markAllEntriesRead,
  markEntriesRead,
  type EntrySelection,
} from './notification-repository';

/** A stored notification, for its user's sockets in its workspace. */
export type StoredNotification = { workspaceId: string; userId: string; notification: NotificationItem };

/**
 * Stores notifications that belong to no conversation (friend requests), one row each; call
 * inside the transaction of the event, then hand the result to `publishNotifications` once it
 * has committed. Conversation notifications are derived from domain events instead
 * (notification-subscriber.ts).
 */
export async function notify(
  db: Db,
  ws: Scope,
  at: number,
  notifications: NewNotification[],
): Promise<StoredNotification[]> {
  const rows = notifications.map((n) => ({
    id: newId(),
    workspaceId: ws.workspaceId,
    userId: n.userId,
    kind: n.kind,
    conversationId: n.conversationId,
    seq: n.seq,
    count: 1,
    data: storedContentOf(n),
    createdAt: at,
    updatedAt: at,
    readAt: null,
  }));
  await insertNotifications(db, rows);
  return rows.map((row) => ({
    workspaceId: row.workspaceId,
    userId: row.userId,
    notification: presentNotification(row),
  }));
}

/** Who did it, as a notification names them (their name as it was then). */
export async function senderOf(db: Db, ws: Scope, userId: string): Promise<NotificationSender | undefined> {
  const person = await findPerson(db, ws, userId);
  return person && { id: person.id, displayName: person.displayName, bot: Number(person.bot) === 1 };
}

/** Live delivery to the users' open sockets, on every node. */
export function publishNotifications(events: EventBus, stored: StoredNotification[]): void {
  for (const { workspaceId, userId, notification } of stored) {
    events.publish({ type: 'notification', workspaceId, userId, notification });
  }
}

/** The actor's entries, latest activity first, with how many of all of them are unread. */
export async function listNotifications(
  deps: ServiceDeps,
  actor: Actor,
  query: NotificationListQuery,
): Promise<NotificationPage> {
  const after = query.cursor ? (decodeCursor(query.cursor, ['number', 'string']) as [number, string]) : null;
  const rows = await listEntries(deps.db, actor, actor.id, query, after);
  return {
    ...toPage(rows, query.limit, presentNotification, (row) => [row.updatedAt, row.id]),
    unreadCount: await countUnread(deps.db, actor, actor.id),
  };
}

/**
 * Marks one of the actor's notifications read (again is fine); anyone else's does not exist, nor
 * does their own of another workspace.
 */
export async function markNotificationRead(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const row = await findNotification(deps.db, actor, actor.id, id);
  if (!row) throw notFound('Notification');
  if (row.readAt !== null) return;
  await markRead(deps, actor, actor.id, { ids: [id] });
}

export async function markAllNotificationsRead(deps: ServiceDeps, actor: Actor): Promise<void> {
  const at = deps.clock.now();
  await markAllEntriesRead(deps.db, actor, actor.id, at);
  deps.events.publish({
    type: 'notifications.read',
    workspaceId: actor.workspaceId,
    userId: actor.id,
    ids: [],
    all: true,
    readAt: toIso(at),
  });
}

/**
 * Reading a conversation answers its notifications: all of them when it is opened, or those a
 * read up to `upToSeq` covers (a message that came after it still waits to be read).
 */
export async function markConversationNotificationsRead(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'events'>,
  ws: Scope,
  userId: string,
  conversationId: string,
  upToSeq?: number,
): Promise<void> {
  await markRead(deps, ws, userId, { conversationId, upToSeq });
}

/** Marks them read and tells the user's other sockets, so every badge drops at once. */
async function markRead(
  deps: Pick<ServiceDeps, 'db' | 'clock' | 'events'>,
  ws: Scope,
  userId: string,
  which: EntrySelection,
): Promise<void> {
  const at = deps.clock.now();
  const read = await markEntriesRead(deps.db, ws, userId, which, at);
  if (read.length > 0) {
    deps.events.publish({
      type: 'notifications.read',
      workspaceId: ws.workspaceId,
      userId,
      ids: read,
      readAt: toIso(at),
    });
  }
}
