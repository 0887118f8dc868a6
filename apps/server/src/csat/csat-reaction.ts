import type { ServiceDeps } from '../deps';
import type { Reaction } from '../events/reactions';
import { newId } from '../ids';
import { presentNotification, storedContentOf } from '../notifications/notification-content';
import { gatherIntoEntries } from '../notifications/notification-repository';
import { publishNotifications } from '../notifications/notification-service';
import { findTicketById } from '../tickets/ticket-repository';
import { insertSurvey } from './csat-repository';

/**
 * Each closure of a ticket asks its requester "How did we do?": a durable reaction to the
 * `ticket.updated` that closed it adds the closure's survey (unique per closure, so a second run
 * adds nothing) and an in-app notification on the ticket's thread. A closure the ticket has since
 * left (reopened, or closed again later) is not asked about: its survey could not be answered.
 */
export function csatSurveyReaction(deps: ServiceDeps): Reaction<'ticket.updated'> {
  return {
    name: 'csat-survey',
    on: ['ticket.updated'],
    wants: (event) =>
      event.ticket.status === 'closed' && event.ticket.closedAt !== null && event.change?.from?.status !== 'closed',
    async handle(event, { now }) {
      const ws = { workspaceId: event.workspaceId };
      const ticket = await findTicketById(deps.db, ws, event.ticket.id);
      const closedAt = event.ticket.closedAt === null ? null : Date.parse(event.ticket.closedAt);
      if (!ticket || ticket.status !== 'closed' || ticket.closedAt === null || ticket.closedAt !== closedAt) return;
      const added = await insertSurvey(deps.db, {
        id: newId(),
        workspaceId: ws.workspaceId,
        ticketId: ticket.id,
        requesterId: ticket.requesterId,
        closedAt: ticket.closedAt,
        teamId: ticket.teamId,
        assigneeId: ticket.assigneeId,
        priority: ticket.priority,
        askedAt: now,
        score: null,
        comment: null,
        answeredAt: null,
      });
      if (!added) return;
      const userId = ticket.requesterId;
      const data = storedContentOf({
        userId,
        kind: 'ticket.csat',
        conversationId: ticket.conversationId,
        seq: null,
        ticketId: ticket.id,
        subject: ticket.subject,
        ids: {},
      });
      const rows = await gatherIntoEntries(
        deps.db,
        ws,
        [{ userId, conversationId: ticket.conversationId, kind: 'ticket.csat', data, seq: null, count: 1, at: now }],
        newId,
      );
      publishNotifications(
        deps.events,
        rows.map((row) => ({
          workspaceId: row.workspaceId,
          userId: row.userId,
          notification: presentNotification(row),
        })),
      );
    },
  };
}
