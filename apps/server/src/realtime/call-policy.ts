import { isStaff, type Actor } from '../auth/actor';
import { areContacts, isBlockedBetween } from '../contacts/contact-service';
import type { Db } from '../db/connect';
import { listTeamIdsOf } from '../teams/team-service';
import { canSeeTicket } from '../tickets/ticket-policy';
import { findUserById } from '../users/user-repository';

/**
 * Who may ring whom: contacts, and staff with the requester of an open ticket they may see
 * (either way round). Nobody else learns the user exists.
 */
export async function mayCall(db: Db, actor: Actor, otherId: string): Promise<boolean> {
  if (otherId === actor.id) return false;
  const other = await findUserById(db, otherId);
  if (!other || other.deactivatedAt !== null || (await isBlockedBetween(db, actor.id, otherId))) return false;
  if (await areContacts(db, actor.id, otherId)) return true;
  const otherActor: Actor = { id: other.id, role: other.role };
  const [staff, customer] = isStaff(actor) ? [actor, otherActor] : isStaff(otherActor) ? [otherActor, actor] : [];
  if (!staff || !customer) return false;
  const teamIds = staff.role === 'agent' ? await listTeamIdsOf(db, staff.id) : [];
  const tickets = await db
    .selectFrom('tickets')
    .select(['requesterId', 'assigneeId', 'teamId'])
    .where('requesterId', '=', customer.id)
    .where('status', '!=', 'closed')
    .execute();
  return tickets.some((ticket) => canSeeTicket(staff, ticket, teamIds));
}
