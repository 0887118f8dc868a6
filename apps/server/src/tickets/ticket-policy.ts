import type { ExpressionBuilder } from 'kysely';
import { isStaff, type Actor } from '../auth/actor';
import type { Database } from '../db/schema';

export interface TicketParties {
  requesterId: string;
  assigneeId: string | null;
  teamId: string | null;
}

/**
 * Who may see a ticket (and so its thread): its requester; an agent of its team or assigned to
 * it; any admin. Everyone else is told it does not exist.
 */
export function canSeeTicket(actor: Actor, ticket: TicketParties, actorTeamIds: readonly string[]): boolean {
  switch (actor.role) {
    case 'admin':
      return true;
    case 'agent':
      return ticket.assigneeId === actor.id || (ticket.teamId !== null && actorTeamIds.includes(ticket.teamId));
    case 'customer':
      return ticket.requesterId === actor.id;
  }
}

/** The same rule as `canSeeTicket`, as a SQL condition for lists. */
export function visibleTicketsFilter(actor: Actor, actorTeamIds: readonly string[]) {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    switch (actor.role) {
      case 'admin':
        return eb.lit(true);
      case 'agent':
        return actorTeamIds.length > 0
          ? eb.or([eb('tickets.assigneeId', '=', actor.id), eb('tickets.teamId', 'in', actorTeamIds)])
          : eb('tickets.assigneeId', '=', actor.id);
      case 'customer':
        return eb('tickets.requesterId', '=', actor.id);
    }
  };
}

/** Internal notes are for staff; a customer never receives one through any route or frame. */
export const canSeeInternalNotes = (actor: Actor): boolean => isStaff(actor);
