import type { AutomationEvent } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { TicketRow } from '../db/schema';

export type TimedSince = Extract<AutomationEvent, { type: 'time.elapsed' }>['since'];

/**
 * Whether what a timed rule's clock started from is still the latest of its kind when the
 * timer fires: the status has not changed since, nobody has written since. Otherwise a newer
 * start has its own timer, and this one does nothing.
 */
export async function anchorHolds(
  db: Db,
  ws: Scope,
  ticket: TicketRow,
  timer: { since: TimedSince; anchorAt: number; messageId?: string | undefined },
): Promise<boolean> {
  if (timer.since === 'created') return true;
  if (timer.since === 'status_changed') {
    const last = await db
      .selectFrom('auditLog')
      .select('createdAt')
      .where('workspaceId', '=', ws.workspaceId)
      .where('entityType', '=', 'ticket')
      .where('entityId', '=', ticket.id)
      .where('action', '=', 'ticket.status_changed')
      .orderBy('createdAt', 'desc')
      .limit(1)
      .executeTakeFirst();
    return Number(last?.createdAt ?? ticket.createdAt) === timer.anchorAt;
  }
  // A message: still the last one a person wrote publicly in the thread.
  const last = await db
    .selectFrom('messages')
    .select('id')
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', ticket.conversationId)
    .where('kind', '=', 'text')
    .where('senderId', 'is not', null)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return last?.id === timer.messageId;
}
