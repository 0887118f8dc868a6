import type {
  AdminUser,
  Me,
  PublicUser,
  UpdateMeBody,
  UpdateUserBody,
  UserPage,
  UserSearchQuery,
} from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { revokeRefreshTokensOfUser } from '../auth/refresh-token-repository';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { UserRow } from '../db/schema';
import { containsText } from '../db/text-match';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { presentMe, presentPublicUser } from './user-presenter';
import { findUserById } from './user-repository';

export const presentAdminUser = (user: UserRow): AdminUser => ({
  ...presentPublicUser(user),
  deactivatedAt: user.deactivatedAt === null ? null : toIso(user.deactivatedAt),
});

/**
 * Staff see everyone. A customer sees staff, themselves, their contacts, the people they share a
 * conversation with and those they exchanged a friend request with; anyone else does not exist
 * for them, so ids cannot be used to walk the customer base.
 */
export async function canSeeUser(db: Db, actor: Actor, target: UserRow): Promise<boolean> {
  if (isStaff(actor) || target.id === actor.id || target.role !== 'customer') return true;
  const link = await db
    .selectFrom('contacts')
    .select('contactId as id')
    .where('userId', '=', actor.id)
    .where('contactId', '=', target.id)
    .union(
      db
        .selectFrom('conversationMembers as mine')
        .innerJoin('conversationMembers as theirs', 'theirs.conversationId', 'mine.conversationId')
        .select('theirs.userId as id')
        .where('mine.userId', '=', actor.id)
        .where('theirs.userId', '=', target.id),
    )
    .union(
      db
        .selectFrom('friendRequests')
        .select('id')
        .where((eb) =>
          eb.or([
            eb.and([eb('fromUserId', '=', actor.id), eb('toUserId', '=', target.id)]),
            eb.and([eb('fromUserId', '=', target.id), eb('toUserId', '=', actor.id)]),
          ]),
        ),
    )
    .executeTakeFirst();
  return link !== undefined;
}

/** One user, as the actor may see them; admins also see whether the account is active. */
export async function getUser(deps: ServiceDeps, actor: Actor, id: string): Promise<PublicUser | AdminUser> {
  const user = await findUserById(deps.db, id);
  if (!user || !(await canSeeUser(deps.db, actor, user))) throw notFound('User');
  return actor.role === 'admin' ? presentAdminUser(user) : presentPublicUser(user);
}

/**
 * The directory. Staff search by any part of the username or display name; customers find a
 * person only by their exact username (to send a friend request), never by browsing.
 */
export async function searchUsers(deps: ServiceDeps, actor: Actor, query: UserSearchQuery): Promise<UserPage> {
  const staff = isStaff(actor);
  if (!staff && !query.q) {
    throw new AppError('validation_failed', 'Give the exact username to look for', {
      fields: [{ in: 'querystring', path: 'q', message: 'Required', reason: 'required' }],
    });
  }
  let select = deps.db.selectFrom('users').selectAll();
  if (actor.role !== 'admin') select = select.where('deactivatedAt', 'is', null);
  if (staff && query.role) select = select.where('role', '=', query.role);
  if (query.q) {
    const q = query.q;
    select = staff
      ? select.where((eb) => eb.or([containsText('usernameKey', q), containsText('displayName', q)]))
      : select.where('usernameKey', '=', q.toLowerCase());
  }
  if (query.cursor) select = select.where('usernameKey', '>', String(decodeCursor(query.cursor, ['string'])[0]));
  const rows = await select
    .orderBy('usernameKey')
    .limit(query.limit + 1)
    .execute();
  const present = actor.role === 'admin' ? presentAdminUser : presentPublicUser;
  return toPage(rows, query.limit, present, (u) => [u.usernameKey]);
}

/** A user edits their own profile: only the fields the schema lets through. */
export async function updateMe(deps: ServiceDeps, actor: Actor, body: UpdateMeBody): Promise<Me> {
  await deps.db
    .updateTable('users')
    .set({
      ...(body.displayName !== undefined && { displayName: body.displayName }),
      ...(body.statusText !== undefined && { statusText: body.statusText || null }),
      updatedAt: deps.clock.now(),
    })
    .where('id', '=', actor.id)
    .execute();
  const user = await findUserById(deps.db, actor.id);
  if (!user) throw notFound('User');
  return presentMe(user);
}

/**
 * An admin changes someone's role or deactivates them. Deactivation kills every refresh token
 * and open socket at once; a user demoted to customer leaves their teams. Admins cannot do this
 * to themselves, so the org is never left without an admin by accident.
 */
export async function updateUser(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateUserBody,
): Promise<AdminUser> {
  const { db, clock, events } = deps;
  if (id === actor.id) throw new AppError('conflict', 'You cannot change your own role or deactivate yourself');
  const at = clock.now();
  let changed = false;
  const user = await db.transaction().execute(async (trx) => {
    const user = await findUserById(trx, id);
    if (!user) throw notFound('User');
    if (body.role !== undefined && body.role !== user.role) {
      changed = true;
      await trx.updateTable('users').set({ role: body.role, updatedAt: at }).where('id', '=', id).execute();
      if (body.role === 'customer') await trx.deleteFrom('teamMembers').where('userId', '=', id).execute();
      await recordAudit(trx, at, {
        actorId: actor.id,
        action: 'user.role_changed',
        entityType: 'user',
        entityId: id,
        data: { from: user.role, to: body.role },
      });
    }
    const deactivate = body.deactivated === true && user.deactivatedAt === null;
    const reactivate = body.deactivated === false && user.deactivatedAt !== null;
    if (deactivate || reactivate) {
      changed = true;
      await trx
        .updateTable('users')
        .set({ deactivatedAt: deactivate ? at : null, updatedAt: at })
        .where('id', '=', id)
        .execute();
      if (deactivate) await revokeRefreshTokensOfUser(trx, id, at);
      await recordAudit(trx, at, {
        actorId: actor.id,
        action: deactivate ? 'user.deactivated' : 'user.reactivated',
        entityType: 'user',
        entityId: id,
      });
    }
    return (await findUserById(trx, id))!;
  });
  if (changed) events.publish({ type: 'access.changed', userId: id });
  return presentAdminUser(user);
}
