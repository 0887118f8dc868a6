import { isStaff, type Scope } from '../auth/actor';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { newId } from '../ids';
import { presentNotification, previewOf, storedContentOf } from '../notifications/notification-content';
import { gatherIntoEntries } from '../notifications/notification-repository';
import { publishNotifications } from '../notifications/notification-service';
import { loadActor } from '../workspaces/member-repository';

/**
 * A rule's "notify": a `ticket.rule` notification about the ticket for each person named who is
 * still active staff (gathered into their entry for the ticket's thread, like other ticket
 * notifications), with the rule's message as its preview. Answers who was notified.
 */
export async function notifyForRule(
  deps: ServiceDeps,
  ws: Scope,
  ticket: TicketRow,
  userIds: string[],
  message: string | undefined,
): Promise<string[]> {
  const staff: string[] = [];
  for (const id of new Set(userIds)) {
    const member = await loadActor(deps.db, ws, id);
    if (member && isStaff(member)) staff.push(id);
  }
  if (staff.length === 0) return [];
  const at = deps.clock.now();
  const rows = await gatherIntoEntries(
    deps.db,
    ws,
    staff.map((userId) => ({
      userId,
      conversationId: ticket.conversationId,
      kind: 'ticket.rule',
      data: storedContentOf({
        userId,
        kind: 'ticket.rule',
        conversationId: ticket.conversationId,
        seq: null,
        ticketId: ticket.id,
        subject: ticket.subject,
        ...(message && { preview: previewOf(message) }),
        ids: {},
      }),
      seq: null,
      count: 1,
      at,
    })),
    newId,
  );
  publishNotifications(
    deps.events,
    rows.map((row) => ({ workspaceId: row.workspaceId, userId: row.userId, notification: presentNotification(row) })),
  );
  return staff;
}
