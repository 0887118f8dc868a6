import type { TicketView } from '@parley/protocol';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { can, isStaff, type Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';

export interface TicketParties {
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
}

/** How far the actor sees into the workspace's tickets. */
export type TicketReach = 'all' | 'teams' | 'own';

export const ticketReach = (actor: Actor): TicketReach =>
  can(actor, 'tickets.all') ? 'all' : isStaff(actor) ? 'teams' : 'own';

/**
 * Who may see a ticket of their workspace (and so its thread): its requester; staff of its team
 * or assigned to it, and every staff member when it has no team (the workspace's shared queue:
 * a ticket never lands in nobody's view); whoever may see all tickets. Everyone else is told it does not exist. (The
 * workspace itself is in every query: a ticket of another one is never even read.)
 */
export function canSeeTicket(actor: Actor, ticket: TicketParties, actorTeamIds: readonly string[]): boolean {
  switch (ticketReach(actor)) {
    case 'all':
      return true;
    case 'teams':
      return ticket.assigneeId === actor.id || ticket.teamId === null || actorTeamIds.includes(ticket.teamId);
    case 'own':
      return ticket.requesterId === actor.id;
  }
}

/** The same rule as `canSeeTicket`, as a SQL condition for lists. */
export function visibleTicketsFilter(actor: Actor, actorTeamIds: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    const branches = visibleTicketBranches(actor, actorTeamIds);
    return branches ? eb.or(branches.map((branch) => branch(eb))) : eb.lit(true);
  };
}

type Condition = (eb: ExpressionBuilder<Database, 'tickets'>) => Expression<SqlBool>;

/**
 * The same rule as the parts a ticket may be seen by (any one is enough), each simple enough
 * for an index of its own: a query per part is a few index reads where SQLite's planner reads
 * the whole workspace for their OR. Null: every ticket.
 */
export function visibleTicketBranches(actor: Actor, actorTeamIds: readonly string[]): Condition[] | null {
  switch (ticketReach(actor)) {
    case 'all':
      return null;
    case 'teams': {
      const inTeams: Condition = (eb) => eb('tickets.teamId', 'in', actorTeamIds);
      return [
        (eb) => eb('tickets.assigneeId', '=', actor.id),
        (eb) => eb('tickets.teamId', 'is', null),
        ...(actorTeamIds.length > 0 ? [inTeams] : []),
      ];
    }
    case 'own':
      return [(eb) => eb('tickets.requesterId', '=', actor.id)];
  }
}

/** The ticket is in one of these teams, or in none (the shared queue every staff member has). */
export const inTeamsOrNone = (eb: ExpressionBuilder<Database, 'tickets'>, teamIds: readonly string[]) =>
  teamIds.length > 0
    ? eb.or([eb('tickets.teamId', 'is', null), eb('tickets.teamId', 'in', teamIds)])
    : eb('tickets.teamId', 'is', null);

/**
 * The tickets of a queue (docs/architecture.md "Queues"), as a SQL condition; always used with
 * `visibleTicketsFilter`, so a view never shows more than the reader may see. Staff only.
 */
export function ticketViewFilter(actor: Actor, actorTeamIds: readonly string[], view: TicketView) {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    switch (view) {
      case 'unassigned':
        return eb.and([eb('tickets.assigneeId', 'is', null), inTeamsOrNone(eb, actorTeamIds)]);
      case 'mine':
        return eb('tickets.assigneeId', '=', actor.id);
      case 'my_teams':
        return inTeamsOrNone(eb, actorTeamIds);
      case 'all':
        return eb.lit(true);
    }
  };
}

/** Views are staff's; `all` needs `tickets.all`. */
export function checkView(actor: Actor, view: TicketView | undefined): void {
  if (view === undefined) return;
  if (!isStaff(actor)) throw new AppError('forbidden', 'Queues are for staff; customers see their own tickets');
  if (view === 'all' && !can(actor, 'tickets.all')) {
    throw new AppError('forbidden', 'Your role may not see every ticket');
  }
}

/** SLA states are internal: customers may not filter by them. */
export function checkSlaFilter(actor: Actor, sla: string | undefined): void {
  if (sla !== undefined && !isStaff(actor)) throw new AppError('forbidden', 'SLA states are for staff');
}

/** Labels are internal: only staff filter by them (a customer could learn their ticket's labels). */
export function checkLabelFilter(actor: Actor, labelIds: readonly string[] | undefined): void {
  if (labelIds !== undefined && !isStaff(actor)) throw new AppError('forbidden', 'Labels are for staff');
}

/** The queue an agent sees first: unassigned in their teams, else all (if they may) or their own. */
export const defaultView = (actor: Actor, actorTeamIds: readonly string[]): TicketView | null =>
  !isStaff(actor) ? null : actorTeamIds.length > 0 ? 'unassigned' : can(actor, 'tickets.all') ? 'all' : 'mine';

/**
 * SLA clocks are the desk's internal targets: a customer gets their ticket without them, by REST
 * and by frame (`sla: null`, as if no policy applied).
 */
export const ticketAsSeenBy = <T extends { sla: unknown }>(actor: Actor, ticket: T): T =>
  isStaff(actor) || ticket.sla === null ? ticket : { ...ticket, sla: null };

/** Internal notes are for staff; a customer never receives one through any route or frame. */
export const canSeeInternalNotes = (actor: Actor): boolean => isStaff(actor);
