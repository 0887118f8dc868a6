import { TicketPrioritySchema, type SlaEscalationAction, type TicketPriority } from '@parley/protocol';
import { isStaff, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { Reaction } from '../events/reactions';
import { notify, publishNotifications } from '../notifications/notification-service';
import { getTeam } from '../teams/team-service';
import { findTicketById } from '../tickets/ticket-repository';
import { updateTicketAsParley } from '../tickets/ticket-service';
import { changeTicketLabelAsParley } from '../labels/ticket-labels';
import { loadActor } from '../workspaces/member-repository';
import { claimEscalationStep, findSlaPolicy, releaseEscalationStep } from './sla-repository';

/**
 * The policy's escalation steps for a target turning at risk or breached: each step once per
 * ticket (claimed by its key before it acts, given back if acting fails, so a retry does it).
 * Ticket changes go through `updateTicketAsParley` (system line, audit, events as Parley).
 */
export function slaEscalationReaction(deps: ServiceDeps): Reaction<'ticket.sla'> {
  return {
    name: 'sla-escalation',
    on: ['ticket.sla'],
    async handle(event, { now }) {
      const ws = { workspaceId: event.workspaceId };
      const policy = await findSlaPolicy(deps.db, ws);
      if (!policy) return;
      for (const [index, step] of policy.escalation.entries()) {
        if (step.target !== event.target || step.when !== event.state) continue;
        const ticket = await findTicketById(deps.db, ws, event.ticketId);
        if (!ticket || ticket.status === 'closed') return;
        const key = `${step.target}:${step.when}:${index}:${step.action.type}`;
        if (!(await claimEscalationStep(deps.db, ws, ticket.id, key, now))) continue;
        try {
          await runStep(deps, ws, ticket, step.action, now, { target: event.target, state: event.state });
          await deps.db.transaction().execute((trx) =>
            recordAudit(trx, ws, now, {
              actorId: null,
              action: 'ticket.sla_escalated',
              entityType: 'ticket',
              entityId: ticket.id,
              data: { target: step.target, when: step.when, action: step.action },
            }),
          );
        } catch (error) {
          await releaseEscalationStep(deps.db, ws, ticket.id, key);
          throw error;
        }
      }
    },
  };
}

const PRIORITIES = TicketPrioritySchema.options;

/** One step up, or up to `to`; null when that is no raise. */
function raisedPriority(from: TicketPriority, to: TicketPriority | null): TicketPriority | null {
  const next = to ?? PRIORITIES[PRIORITIES.indexOf(from) + 1] ?? null;
  return next && PRIORITIES.indexOf(next) > PRIORITIES.indexOf(from) ? next : null;
}

async function runStep(
  deps: ServiceDeps,
  ws: Scope,
  ticket: TicketRow,
  action: SlaEscalationAction,
  at: number,
  why: { target: string; state: string },
) {
  switch (action.type) {
    case 'raise_priority': {
      const priority = raisedPriority(ticket.priority, action.to);
      if (priority) await updateTicketAsParley(deps, ws, ticket.id, { priority: ticket.priority }, { priority });
      return;
    }
    case 'reassign': {
      const patch = {
        ...(action.teamId && { teamId: action.teamId }),
        ...(action.assigneeId && { assigneeId: action.assigneeId }),
      };
      if (Object.keys(patch).length === 0) return;
      await updateTicketAsParley(deps, ws, ticket.id, { teamId: ticket.teamId, assigneeId: ticket.assigneeId }, patch);
      return;
    }
    case 'add_label':
      await changeTicketLabelAsParley(deps, ws, ticket.id, action.labelId, 'add');
      return;
    case 'notify': {
      const candidates = new Set(action.userIds);
      if (action.assignee && ticket.assigneeId) candidates.add(ticket.assigneeId);
      if (action.team && ticket.teamId) {
        for (const member of (await getTeam(deps, ws, ticket.teamId).catch(() => null))?.members ?? []) {
          candidates.add(member.id);
        }
      }
      const recipients: string[] = [];
      for (const userId of candidates) {
        const member = await loadActor(deps.db, ws, userId);
        if (member && isStaff(member)) recipients.push(userId);
      }
      const stored = await deps.db.transaction().execute((trx) =>
        notify(
          trx,
          ws,
          at,
          recipients.map((userId) => ({
            userId,
            kind: 'ticket.sla' as const,
            conversationId: null,
            seq: null,
            ticketId: ticket.id,
            subject: ticket.subject,
            ids: { ticketId: ticket.id, ...why },
          })),
        ),
      );
      publishNotifications(deps.events, stored);
      return;
    }
  }
}
