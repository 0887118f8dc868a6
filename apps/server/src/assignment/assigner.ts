import type { Scope } from '../auth/actor';
import type { TeamRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { PresenceStore } from '../realtime/presence-store';
import { findTicketById } from '../tickets/ticket-repository';
import { updateTicketAsParley } from '../tickets/ticket-service';
import {
  countLoads,
  listCandidates,
  listWaitingTicketIds,
  lockTeam,
  setCursor,
  WORKING_STATUSES,
  type Candidate,
} from './assignment-repository';
import { inOneTransaction } from './team-transaction';
import { lockMembership } from '../workspaces/member-repository';

export interface AssignerDeps extends ServiceDeps {
  /** The cluster's live presence (realtime/presence-store.ts): only who is online gets tickets. */
  presence: PresenceStore;
}

/** A ticket that needs somebody, and who has it now (to be replaced), if anyone. */
export interface Target {
  ticketId: string;
  from: string | null;
  /** When nobody can take it: take it from `from` anyway (they left), so it waits in the queue. */
  unassignIfNobody: boolean;
}

export type Outcome = 'assigned' | 'nobody' | 'nothing';

/**
 * Gives one ticket of the team (`target`, or else the team's oldest waiting one) to a member by
 * the team's mode, deciding and assigning in one transaction under the team's lock, so two
 * nodes never give out the same room twice. 'nothing': no ticket needs it (any more); 'nobody':
 * no member can take it now (it waits).
 */
export async function assignNext(
  deps: AssignerDeps,
  ws: Scope,
  teamId: string,
  target: Target | null,
): Promise<Outcome> {
  return inOneTransaction(deps, async (joined) => {
    const team = await lockTeam(joined.db, ws, teamId);
    if (!team) return 'nothing';
    const ticketId = target ? target.ticketId : (await listWaitingTicketIds(joined.db, ws, teamId, 1))[0];
    const ticket = ticketId ? await findTicketById(joined.db, ws, ticketId) : undefined;
    const from = target?.from ?? null;
    if (
      !ticket ||
      ticket.teamId !== teamId ||
      ticket.assigneeId !== from ||
      !(WORKING_STATUSES as readonly string[]).includes(ticket.status)
    ) {
      return 'nothing';
    }
    const expected = { teamId, assigneeId: from, status: ticket.status };
    const giveUp = async (): Promise<Outcome> => {
      if (from !== null && target?.unassignIfNobody) {
        await updateTicketAsParley(joined, ws, ticket.id, expected, { assigneeId: null });
      }
      return team.assignmentMode === 'off' ? 'nothing' : 'nobody';
    };
    if (team.assignmentMode === 'off') return giveUp();
    const all = (await listCandidates(joined.db, ws, team)).filter((c) => c.userId !== from);
    const online = await onlineUsers(
      deps.presence,
      ws,
      all.map((c) => c.userId),
    );
    for (const candidate of inTurn(
      team,
      all.filter((c) => online.has(c.userId) && hasRoom(c)),
    )) {
      // Another team may have given them a ticket since the loads were read: count again, locked.
      await lockMembership(joined.db, ws, candidate.userId);
      const load = (await countLoads(joined.db, ws, [candidate.userId])).get(candidate.userId) ?? 0;
      if (!hasRoom({ ...candidate, load })) continue;
      const done = await updateTicketAsParley(joined, ws, ticket.id, expected, { assigneeId: candidate.userId });
      if (!done) return 'nothing'; // changed meanwhile by someone: no longer ours to assign
      await setCursor(joined.db, ws, teamId, candidate.userId);
      return 'assigned';
    }
    return giveUp();
  });
}

/** Gives out the team's waiting tickets, oldest first, while members have room (a bounded run). */
export async function assignWaiting(deps: AssignerDeps, ws: Scope, teamId: string, max = 100): Promise<number> {
  let assigned = 0;
  while (assigned < max && (await assignNext(deps, ws, teamId, null)) === 'assigned') assigned += 1;
  return assigned;
}

const hasRoom = (c: Candidate) => c.capacity === null || c.load < c.capacity;

/**
 * The order to try them in. Round-robin: each member in turn (by id), starting after the one
 * who got the team's last ticket. Least-loaded: the fewest open + in-progress tickets first,
 * ties in round-robin order, so equal loads share the work.
 */
function inTurn(team: TeamRow, candidates: Candidate[]): Candidate[] {
  const cursor = team.assignmentCursor;
  const after = cursor === null ? 0 : candidates.findIndex((c) => c.userId > cursor);
  const start = after === -1 ? 0 : after;
  const rotated = [...candidates.slice(start), ...candidates.slice(0, start)];
  return team.assignmentMode === 'least_loaded' ? rotated.sort((a, b) => a.load - b.load) : rotated;
}

/**
 * Who of them is online in the workspace now, on any node. Live presence `away` (an idle app)
 * counts as not online: see docs/architecture.md "Auto-assignment".
 */
async function onlineUsers(presence: PresenceStore, ws: Scope, userIds: string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const key = (userId: string) => `${ws.workspaceId}:${userId}`;
  const statuses = await presence.get(userIds.map(key));
  return new Set(userIds.filter((id) => statuses.get(key(id)) === 'online'));
}
