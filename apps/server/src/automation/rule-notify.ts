import { isStaff, type Scope } from '../auth/actor';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { loadActor } from '../workspaces/member-repository';

/**
 * A rule's "notify": those named who are still active staff are to hear of the ticket, with the
 * rule's message as the preview. The notifier makes the `ticket.rule` notifications from the
 * event, in the thread's order: after the change and the note this rule made before it, so the
 * person's entry for the thread ends on the rule's words. Answers who is notified.
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
  deps.events.publish({
    workspaceId: ws.workspaceId,
    type: 'ticket.rule_notify',
    ticketId: ticket.id,
    conversationId: ticket.conversationId,
    subject: ticket.subject,
    userIds: staff,
    ...(message && { message }),
  });
  return staff;
}
