import type { z } from 'zod';
import type {
  NotificationFrameItemSchema,
  NotificationItem,
  NotificationListQuery,
  NotificationPage,
} from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { NotificationsTable } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { EventBus } from '../events/event-bus';
import { notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';

export type NotificationKind =
  | 'ticket.assigned'
  | 'ticket.message'
  | 'ticket.reopened'
  | 'ticket.follow_up'
  | 'direct.message'
  | 'friend_request.received'
  | 'friend_request.accepted';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  data: Record<string, unknown>;
}

export type StoredNotification = { userId: string; notification: z.infer<typeof NotificationFrameItemSchema> };

/**
 * Stores notifications for their users; call inside the transaction of the event, then hand
 * the result to `publishNotifications` once it has committed.
 */
export async function notify(db: Db, at: number, notifications: NewNotification[]): Promise<StoredNotification[]> {
  if (notifications.length === 0) return [];
  const rows = notifications.map((n) => ({
    id: newId(),
    ...n,
    data: JSON.stringify(n.data),
    createdAt: at,
    readAt: null,
  }));
  await db.insertInto('notifications').values(rows).execute();
  return notifications.map((n, i) => ({
    userId: n.userId,
    notification: { id: rows[i]!.id, kind: n.kind, data: n.data, createdAt: toIso(at), readAt: null },
  }));
}

/** Live delivery to the users' open sockets, on every node. */
export function publishNotifications(events: EventBus, stored: StoredNotification[]): void {
  for (const { userId, notification } of stored) events.publish({ type: 'notification', userId, notification });
}

function presentNotification(row: NotificationsTable): NotificationItem {
  return {
    id: row.id,
    kind: row.kind,
    data: JSON.parse(row.data) as Record<string, unknown>,
    createdAt: toIso(row.createdAt),
    readAt: row.readAt === null ? null : toIso(row.readAt),
  };
}

async function unreadCountOf(db: Db, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/** The actor's own notifications, newest first, with how many of all of them are unread. */
export async function listNotifications(
  deps: ServiceDeps,
  actor: Actor,
  query: NotificationListQuery,
): Promise<NotificationPage> {
  const { db } = deps;
  let select = db.selectFrom('notifications').selectAll().where('userId', '=', actor.id);
  if (query.unread !== undefined) select = select.where('readAt', query.unread ? 'is' : 'is not', null);
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, ['number', 'string']) as [number, string];
    select = select.where((eb) =>
      eb.or([eb('createdAt', '<', createdAt), eb.and([eb('createdAt', '=', createdAt), eb('id', '<', id)])]),
    );
  }
  const rows = await select
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return {
    ...toPage(rows, query.limit, presentNotification, (row) => [row.createdAt, row.id]),
    unreadCount: await unreadCountOf(db, actor.id),
  };
}

/** Marks one of the actor's notifications read (again is fine); anyone else's does not exist. */
export async function markNotificationRead(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const { db } = deps;
  const row = await db
    .selectFrom('notifications')
    .select('readAt')
    .where('id', '=', id)
    .where('userId', '=', actor.id)
    .executeTakeFirst();
  if (!row) throw notFound('Notification');
  if (row.readAt !== null) return;
  await db
    .updateTable('notifications')
    .set({ readAt: deps.clock.now() })
    .where('id', '=', id)
    .where('readAt', 'is', null)
    .execute();
}

export async function markAllNotificationsRead(deps: ServiceDeps, actor: Actor): Promise<void> {
  await deps.db
    .updateTable('notifications')
    .set({ readAt: deps.clock.now() })
    .where('userId', '=', actor.id)
    .where('readAt', 'is', null)
    .execute();
}
