import { isStaff, type Actor } from '../auth/actor';
import { areContacts, isBlockedBetween } from '../contacts/contact-service';
import type { Db } from '../db/connect';
import { listTeamIdsOf } from '../teams/team-service';
import { canSeeTicket, ticketReach } from '../tickets/ticket-policy';
import { loadActor } from '../workspaces/member-repository';

/**
 * Who may ring whom: contacts, and staff with the requester of an open ticket they may see
 * (either way round). Nobody else learns the user exists.
 */
export async function mayCall(db: Db, actor: Actor, otherId: string): Promise<boolean> {
  if (otherId === actor.id) return false;
  // Only an active member of the actor's workspace can be rung; anyone else does not exist here.
  const other = await loadActor(db, actor, otherId);
  if (!other || (await isBlockedBetween(db, actor, actor.id, otherId))) return false;
  if (await areContacts(db, actor, actor.id, otherId)) return true;
  const [staff, customer] = isStaff(actor) ? [actor, other] : isStaff(other) ? [other, actor] : [];
  if (!staff || !customer) return false;
  const teamIds = ticketReach(staff) === 'teams' ? await listTeamIdsOf(db, staff, staff.id) : [];
  const tickets = await db
    .selectFrom('tickets')
    .select(['requesterId', 'assigneeId', 'teamId'])
    .where('workspaceId', '=', actor.workspaceId)
    .where('requesterId', '=', customer.id)
    .where('status', '!=', 'closed')
    .execute();
  return tickets.some((ticket) => canSeeTicket(staff, ticket, teamIds));
}
