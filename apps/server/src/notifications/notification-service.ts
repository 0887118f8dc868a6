import type { z } from 'zod';
import type { NotificationFrameItemSchema } from '@parley/protocol';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { EventBus } from '../events/event-bus';
import { newId } from '../ids';

export type NotificationKind =
  'ticket.assigned' | 'ticket.message' | 'friend_request.received' | 'friend_request.accepted';

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
