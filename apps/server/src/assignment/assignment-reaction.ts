import { z } from 'zod';
import { isStaff, type Scope } from '../auth/actor';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import type { DomainEvent } from '../events/domain-events';
import type { Reactions } from '../events/reactions';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { isTeamMember } from '../teams/team-service';
import { updateTicketAsParley } from '../tickets/ticket-service';
import { loadActor } from '../workspaces/member-repository';
import { assignNext, assignWaiting, type AssignerDeps } from './assigner';
import { listAssigningTeamIdsOf, listWorkedTickets, WORKING_STATUSES } from './assignment-repository';

type TicketUpdated = Extract<DomainEvent, { type: 'ticket.updated' }>;
type Status = TicketUpdated['ticket']['status'];
const working = (status: Status) => (WORKING_STATUSES as readonly Status[]).includes(status);

/**
 * The ticket needs somebody by its team's mode: it is new, came to the team, lost its assignee
 * or is being worked again; or it came to the team with an assignee who is not in it.
 */
function needsAssignee({ ticket, change }: TicketUpdated): boolean {
  if (!change || ticket.teamId === null || !working(ticket.status)) return false;
  const from = change.from;
  if (from === null) return ticket.assigneeId === null;
  if (from.teamId !== ticket.teamId) return true;
  return ticket.assigneeId === null && (from.assigneeId !== null || !working(from.status));
}

/** Its assignee (before the change) has one ticket fewer to work: closed, passed on or paused. */
function freedAssignee({ ticket, change }: TicketUpdated): string | null {
  const from = change?.from;
  if (!from?.assigneeId || !working(from.status)) return null;
  return ticket.assigneeId !== from.assigneeId || !working(ticket.status) ? from.assigneeId : null;
}

/** The safety net: every few minutes, teams with waiting tickets get them given out. */
const sweepJob = defineJobType('assignment.sweep', z.object({}), {
  backoffMs: 30_000,
  maxBackoffMs: 10 * 60_000,
  leaseMs: 5 * 60_000,
});
const SWEEP_EVERY_MS = 5 * 60_000;

/**
 * Auto-assignment (docs/architecture.md "Auto-assignment"): one durable reaction to what
 * changes who needs a ticket or who has room for one; a recurring sweep for what no event
 * tells (an agent whose socket came back while a node was down, a job that gave up).
 */
export function addAutoAssignment(reactions: Reactions, deps: AssignerDeps, jobs: JobRunner): void {
  reactions.add({
    name: 'auto-assignment',
    on: ['ticket.updated', 'staff.left', 'staff.available'],
    wants: (event) => event.type !== 'ticket.updated' || needsAssignee(event) || freedAssignee(event) !== null,
    async handle(event) {
      const ws = { workspaceId: event.workspaceId };
      if (event.type === 'ticket.updated') return handleTicket(deps, ws, event);
      if (event.type === 'staff.left') return handOn(deps, ws, event.userId, event.teamId);
      const teamIds = event.teamId !== null ? [event.teamId] : await listAssigningTeamIdsOf(deps.db, ws, event.userId!);
      for (const teamId of teamIds) await assignWaiting(deps, ws, teamId);
    },
  });

  // Coming online is live presence, not a recorded change: the node that announces it records
  // the room it makes (the sweep covers a node that dies in between).
  deps.events.subscribeLocal((event) => {
    if (event.type !== 'presence' || event.status !== 'online') return;
    const ws = { workspaceId: event.workspaceId };
    void (async () => {
      if ((await listAssigningTeamIdsOf(deps.db, ws, event.userId)).length === 0) return;
      const available = { ...ws, type: 'staff.available', userId: event.userId, teamId: null } as const;
      await reactions.record(deps.db, available, deps.clock.now());
      jobs.wake();
    })().catch(() => {}); // the sweep catches up
  });

  jobs.register(sweepJob, async (_payload, { now }) => {
    for (const { workspaceId, teamId } of await listTeamsWithWaitingTickets(deps)) {
      await assignWaiting(deps, { workspaceId }, teamId);
    }
    return { runAgainAt: now + SWEEP_EVERY_MS };
  });
  jobs.keepRecurring({ type: sweepJob, payload: {}, runAt: deps.clock.now(), dedupeKey: 'assignment.sweep' });
}

async function handleTicket(deps: AssignerDeps, ws: Scope, event: TicketUpdated): Promise<void> {
  const { ticket } = event;
  if (needsAssignee(event)) {
    const from = ticket.assigneeId;
    // Moved with its assignee into a team they are in: theirs still.
    if (from === null || !(await isTeamMember(deps.db, ws, ticket.teamId!, from))) {
      await assignNext(deps, ws, ticket.teamId!, { ticketId: ticket.id, from, unassignIfNobody: false });
    }
  }
  const freed = freedAssignee(event);
  if (freed) {
    for (const teamId of await listAssigningTeamIdsOf(deps.db, ws, freed)) await assignWaiting(deps, ws, teamId);
  }
}

/**
 * They left the team (or every team): their tickets being worked there go through assignment
 * again, or back to the queue when nobody can take them (or the team assigns nothing). Moot
 * when they are back by the time this runs.
 */
async function handOn(deps: AssignerDeps, ws: Scope, userId: string, teamId: string | null): Promise<void> {
  if (teamId !== null ? await isTeamMember(deps.db, ws, teamId, userId) : await isActiveStaff(deps, ws, userId)) return;
  for (const ticket of await listWorkedTickets(deps.db, ws, userId, teamId)) {
    if (ticket.teamId !== null) {
      await assignNext(deps, ws, ticket.teamId, { ticketId: ticket.id, from: userId, unassignIfNobody: true });
    } else {
      await updateTicketAsParley(deps, ws, ticket.id, { assigneeId: userId, teamId: null }, { assigneeId: null });
    }
  }
}

async function isActiveStaff(deps: AssignerDeps, ws: Scope, userId: string): Promise<boolean> {
  const actor = await loadActor(deps.db, ws, userId);
  return actor !== undefined && isStaff(actor);
}

/** Across workspaces by design: the sweep serves them all. */
const listTeamsWithWaitingTickets = (deps: AssignerDeps) =>
  acrossWorkspaces(deps.db)
    .selectFrom('tickets')
    .innerJoin('teams', 'teams.id', 'tickets.teamId')
    .select(['tickets.workspaceId', 'tickets.teamId as teamId'])
    .distinct()
    .where('teams.assignmentMode', '!=', 'off')
    .where('tickets.assigneeId', 'is', null)
    .where('tickets.status', 'in', WORKING_STATUSES)
    .execute() as Promise<{ workspaceId: string; teamId: string }[]>;
