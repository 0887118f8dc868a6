import type { Ticket } from '@parley/protocol';
import { toIso } from '../clock';
import type { TicketRow } from '../db/schema';
import { presentTicketSla } from '../sla/sla-presenter';

export function presentTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    subject: row.subject,
    description: row.description,
    status: row.status,
    priority: row.priority,
    requesterId: row.requesterId,
    assigneeId: row.assigneeId,
    teamId: row.teamId,
    conversationId: row.conversationId,
    createdAt: toIso(row.createdAt),
    updatedAt: toIso(row.updatedAt),
    closedAt: row.closedAt === null ? null : toIso(row.closedAt),
    snoozedUntil: row.snoozedUntil === null ? null : toIso(row.snoozedUntil),
    followUpOf: row.followUpOf,
    channel: row.channel,
    sla: presentTicketSla(row),
  };
}
