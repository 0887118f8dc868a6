import type {
  AdminUser,
  Me,
  Permission,
  PublicUser,
  UpdateMeBody,
  UpdateUserBody,
  UserPage,
  UserSearchQuery,
} from '@parley/protocol';
import { can, isStaff, type Actor, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { revokeRefreshTokensOfUser } from '../auth/refresh-token-repository';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { containsText } from '../db/text-match';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { findRole } from '../roles/role-repository';
import {
  builtInRoleId,
  findMember,
  roleShownSql,
  selectMembers,
  type MemberRow,
} from '../workspaces/member-repository';
import { findWorkspace } from '../workspaces/workspace-repository';
import { presentMe, presentPublicUser } from './user-presenter';

/** `deactivatedAt`: the membership's, or the account's when the whole account is closed. */
export const presentAdminUser = (user: MemberRow): AdminUser => ({
  ...presentPublicUser(user),
  deactivatedAt: user.deactivatedAt === null ? null : toIso(user.deactivatedAt),
  awaySince: user.awaySince === null ? null : toIso(user.awaySince),
});

/** Whether the role `roleId` of the workspace grants `permission`. */
async function roleGrants(db: Db, ws: Scope, roleId: string, permission: Permission): Promise<boolean> {
  const row = await db
    .selectFrom('rolePermissions')
    .select('roleId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('roleId', '=', roleId)
    .where('permission', '=', permission)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Whether the actor may see `target`, a member of the actor's workspace (look them up with
 * `findMember`: anyone else does not exist here). Staff see everyone. A customer sees staff
 * (members whose role works tickets), themselves, their contacts, the people they share a
 * conversation with and those they exchanged a friend request with, all in this workspace;
 * anyone else does not exist for them, so ids cannot be used to walk the customer base.
 */
export async function canSeeUser(db: Db, actor: Actor, target: MemberRow): Promise<boolean> {
  if (isStaff(actor) || target.id === actor.id) return true;
  const ws = actor.workspaceId;
  const link = await db
    .selectFrom('rolePermissions')
    .select('roleId as id')
    .where('workspaceId', '=', ws)
    .where('roleId', '=', target.roleId)
    .where('permission', '=', 'tickets.work')
    .union(
      db
        .selectFrom('contacts')
        .select('contactId as id')
        .where('workspaceId', '=', ws)
        .where('userId', '=', actor.id)
        .where('contactId', '=', target.id),
    )
    .union(
      db
        .selectFrom('conversationMembers as mine')
        .innerJoin('conversationMembers as theirs', 'theirs.conversationId', 'mine.conversationId')
        .select('theirs.userId as id')
        .where('mine.workspaceId', '=', ws)
        .where('theirs.workspaceId', '=', ws)
        .where('mine.userId', '=', actor.id)
        .where('theirs.userId', '=', target.id),
    )
    .union(
      db
        .selectFrom('friendRequests')
        .select('id')
        .where('workspaceId', '=', ws)
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

/** Who manages people also sees whether a membership is active. */
const presenterFor = (actor: Actor) => (can(actor, 'people.manage') ? presentAdminUser : presentPublicUser);

/** One member of the actor's workspace, as the actor may see them; anyone else is 404. */
export async function getUser(deps: ServiceDeps, actor: Actor, id: string): Promise<PublicUser | AdminUser> {
  const user = await findMember(deps.db, actor, id);
  if (!user || !(await canSeeUser(deps.db, actor, user))) throw notFound('User');
  return presenterFor(actor)(user);
}

/**
 * The directory of the actor's workspace. Staff search by any part of the username or display
 * name; customers find a person only by their exact username (to send a friend request), never
 * by browsing. Deactivated members show only to those who manage people.
 */
export async function searchUsers(deps: ServiceDeps, actor: Actor, query: UserSearchQuery): Promise<UserPage> {
  const staff = isStaff(actor);
  if (!staff && !query.q) {
    throw new AppError('validation_failed', 'Give the exact username to look for', {
      fields: [{ in: 'querystring', path: 'q', message: 'Required', reason: 'required' }],
    });
  }
  let select = selectMembers(deps.db, actor);
  if (!can(actor, 'people.manage')) {
    select = select.where('wm.deactivatedAt', 'is', null).where('users.deactivatedAt', 'is', null);
  }
  if (staff && query.role) select = select.where(roleShownSql(), '=', query.role);
  if (query.q) {
    const q = query.q;
    select = staff
      ? select.where((eb) => eb.or([containsText('users.usernameKey', q), containsText('users.displayName', q)]))
      : select.where('users.usernameKey', '=', q.toLowerCase());
  }
  if (query.cursor) {
    select = select.where('users.usernameKey', '>', String(decodeCursor(query.cursor, ['string'])[0]));
  }
  const rows = await select
    .orderBy('users.usernameKey')
    .limit(query.limit + 1)
    .execute();
  return toPage(rows, query.limit, presenterFor(actor), (u) => [u.usernameKey]);
}

/** The actor as `GET /me` shows them: their account, and their role in this session's workspace. */
export async function getMe(db: Db, actor: Actor): Promise<Me> {
  const [member, workspace] = await Promise.all([
    findMember(db, actor, actor.id),
    findWorkspace(db, actor.workspaceId),
  ]);
  if (!member || !workspace) throw notFound('User');
  return presentMe(member, actor, workspace);
}

/**
 * A user edits their own profile: only the fields the schema lets through. The profile belongs
 * to the account, so it changes in every workspace they are a member of.
 */
export async function updateMe(deps: ServiceDeps, actor: Actor, body: UpdateMeBody): Promise<Me> {
  await deps.db
    .updateTable('users')
    .set({
      ...(body.displayName !== undefined && { displayName: body.displayName }),
      ...(body.statusText !== undefined && { statusText: body.statusText || null }),
      ...(body.locale !== undefined && { locale: body.locale }),
      updatedAt: deps.clock.now(),
    })
    .where('id', '=', actor.id)
    .execute();
  return getMe(deps.db, actor);
}

/**
 * Someone who manages people changes a member's role or deactivates their membership, in the
 * actor's workspace only. Deactivation kills the member's refresh tokens and open sockets of
 * this workspace at once (their other workspaces go on); a member whose new role does not work
 * tickets leaves their teams. Nobody can do this to themselves, so a workspace is never left
 * without its manager by accident.
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
  const ws = actor.workspaceId;
  let changed = false;
  const user = await db.transaction().execute(async (trx) => {
    const user = await findMember(trx, actor, id);
    if (!user) throw notFound('User');
    const roleId = await roleIdOf(trx, actor, body, user.roleId);
    if (roleId !== user.roleId) {
      changed = true;
      await trx
        .updateTable('workspaceMembers')
        .set({ roleId, updatedAt: at })
        .where('workspaceId', '=', ws)
        .where('userId', '=', id)
        .execute();
      if (!(await roleGrants(trx, actor, roleId, 'tickets.work'))) {
        await trx.deleteFrom('teamMembers').where('workspaceId', '=', ws).where('userId', '=', id).execute();
        // Auto-assignment hands their open tickets on.
        await deps.reactions.record(trx, { workspaceId: ws, type: 'staff.left', userId: id, teamId: null }, at);
      }
      const after = (await findMember(trx, actor, id))!;
      // `from`/`to` as the built-in roles they show as (as before custom roles); the roles themselves too.
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'user.role_changed',
        entityType: 'user',
        entityId: id,
        data: {
          from: user.role,
          to: after.role,
          fromRole: { id: user.roleId, name: user.roleName },
          toRole: { id: after.roleId, name: after.roleName },
        },
      });
    }
    if (body.deactivated !== undefined && (await setMembershipActive(trx, actor, id, !body.deactivated, at))) {
      changed = true;
      if (body.deactivated) await revokeRefreshTokensOfUser(trx, actor, id, at);
      // Auto-assignment hands their open tickets on, or gives them waiting ones again.
      await deps.reactions.record(
        trx,
        { workspaceId: ws, type: body.deactivated ? 'staff.left' : 'staff.available', userId: id, teamId: null },
        at,
      );
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: body.deactivated ? 'user.deactivated' : 'user.reactivated',
        entityType: 'user',
        entityId: id,
      });
    }
    return (await findMember(trx, actor, id))!;
  });
  if (changed) events.publish({ type: 'access.changed', workspaceId: ws, userId: id });
  return presentAdminUser(user);
}

/** The role the body asks for: a built-in one by key, any of the workspace's by id; 404 for any other id. */
async function roleIdOf(db: Db, ws: Scope, body: UpdateUserBody, current: string): Promise<string> {
  if (body.role !== undefined) return builtInRoleId(db, ws, body.role);
  if (body.roleId === undefined) return current;
  if (!(await findRole(db, ws, body.roleId))) throw notFound('Role');
  return body.roleId;
}

/**
 * (De)activates the membership; false when it already was so. Conditional, so of two admins
 * doing the same at once only one records it.
 */
async function setMembershipActive(db: Db, ws: Scope, userId: string, active: boolean, at: number) {
  const result = await db
    .updateTable('workspaceMembers')
    .set({ deactivatedAt: active ? null : at, updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('deactivatedAt', active ? 'is not' : 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
