import type { ExpressionBuilder } from 'kysely';
import { can, isStaff, type Actor } from '../auth/actor';
import type { Database } from '../db/schema';

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
 * or assigned to it; whoever may see all tickets. Everyone else is told it does not exist. (The
 * workspace itself is in every query: a ticket of another one is never even read.)
 */
export function canSeeTicket(actor: Actor, ticket: TicketParties, actorTeamIds: readonly string[]): boolean {
  switch (ticketReach(actor)) {
    case 'all':
      return true;
    case 'teams':
      return ticket.assigneeId === actor.id || (ticket.teamId !== null && actorTeamIds.includes(ticket.teamId));
    case 'own':
      return ticket.requesterId === actor.id;
  }
}

/** The same rule as `canSeeTicket`, as a SQL condition for lists. */
export function visibleTicketsFilter(actor: Actor, actorTeamIds: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    switch (ticketReach(actor)) {
      case 'all':
        return eb.lit(true);
      case 'teams':
        return actorTeamIds.length > 0
          ? eb.or([eb('tickets.assigneeId', '=', actor.id), eb('tickets.teamId', 'in', actorTeamIds)])
          : eb('tickets.assigneeId', '=', actor.id);
      case 'own':
        return eb('tickets.requesterId', '=', actor.id);
    }
  };
}

/** Internal notes are for staff; a customer never receives one through any route or frame. */
export const canSeeInternalNotes = (actor: Actor): boolean => isStaff(actor);
