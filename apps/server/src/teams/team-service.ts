import type { CreateTeamBody, Team, TeamDetail, TeamList, TicketCategoryList, UpdateTeamBody } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { TeamRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { presentPublicUser } from '../users/user-presenter';
import { findMember, selectMembers } from '../workspaces/member-repository';
import { scopedKey } from '../workspaces/scoped-key';

/** The teams a user belongs to in the workspace; staff without `tickets.all` see the tickets of these teams. */
export async function listTeamIdsOf(db: Db, ws: Scope, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('teamMembers')
    .select('teamId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .execute();
  return rows.map((r) => r.teamId);
}

/** The actor's own teams: those a socket read at sign-in (kept current, see Actor.teamIds), or now. */
export async function teamIdsOf(db: Db, actor: Actor): Promise<readonly string[]> {
  return actor.teamIds ?? listTeamIdsOf(db, actor, actor.id);
}

export async function isTeamMember(db: Db, ws: Scope, teamId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('teamId', '=', teamId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}

const presentTeam = (row: TeamRow): Team => ({
  id: row.id,
  name: row.name,
  description: row.description,
  category: row.category,
  assignment: { mode: row.assignmentMode, capacity: row.assignmentCapacity },
  createdAt: toIso(row.createdAt),
  updatedAt: toIso(row.updatedAt),
});

/** A team of the workspace; another workspace's team id finds nothing, like an unknown one. */
export const findTeam = (db: Db, ws: Scope, id: string): Promise<TeamRow | undefined> =>
  db.selectFrom('teams').selectAll().where('workspaceId', '=', ws.workspaceId).where('id', '=', id).executeTakeFirst();

/** A body's `teamId` (where a channel's tickets go), checked to be a team of the workspace. */
export async function checkTeamField(db: Db, ws: Scope, teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await findTeam(db, ws, teamId))) {
    throw new AppError('validation_failed', 'No such team', {
      fields: [{ in: 'body', path: 'teamId', message: 'Not a team of this workspace' }],
    });
  }
}

/** Team names are unique per workspace, ignoring case (see scoped-key.ts for why this is a key column). */
const nameKeyOf = (ws: Scope, name: string) => scopedKey(ws, name.toLowerCase());

const nameTaken = () => fieldConflict([{ in: 'body', path: 'name', message: 'A team with this name exists' }]);

export async function listTeams(deps: ServiceDeps, ws: Scope): Promise<TeamList> {
  // name_key starts with the workspace id, the same for every row here: it still sorts by name.
  const rows = await deps.db
    .selectFrom('teams')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .orderBy('nameKey')
    .execute();
  return { items: rows.map(presentTeam) };
}

/** A team with its members; for staff only (the route checks): team names are internal. */
export async function getTeam(deps: ServiceDeps, ws: Scope, id: string): Promise<TeamDetail> {
  const team = await findTeam(deps.db, ws, id);
  if (!team) throw notFound('Team');
  const members = await selectMembers(deps.db, ws)
    .innerJoin('teamMembers as tm', (join) =>
      join.onRef('tm.userId', '=', 'users.id').on('tm.workspaceId', '=', ws.workspaceId),
    )
    .where('tm.teamId', '=', id)
    .orderBy('users.usernameKey')
    .execute();
  const capacities = await deps.db
    .selectFrom('teamMembers')
    .select(['userId', 'capacity'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('teamId', '=', id)
    .where('capacity', 'is not', null)
    .orderBy('userId')
    .execute();
  return {
    ...presentTeam(team),
    members: members.map(presentPublicUser),
    memberCapacities: capacities.map((c) => ({ userId: c.userId, capacity: c.capacity! })),
  };
}

/** What customers pick from when they open a ticket: the teams offered to them, by label only. */
export async function listTicketCategories(deps: ServiceDeps, ws: Scope): Promise<TicketCategoryList> {
  const rows = await deps.db
    .selectFrom('teams')
    .select(['id', 'category'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('category', 'is not', null)
    .orderBy('category')
    .orderBy('id')
    .execute();
  return { items: rows.map((row) => ({ id: row.id, label: row.category! })) };
}

/** The label a team is offered to customers under, or null when it is not offered. */
export async function findTicketCategory(db: Db, ws: Scope, teamId: string): Promise<string | null> {
  const row = await db
    .selectFrom('teams')
    .select('category')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', teamId)
    .executeTakeFirst();
  return row?.category ?? null;
}

export async function createTeam(deps: ServiceDeps, actor: Actor, body: CreateTeamBody): Promise<Team> {
  const at = deps.clock.now();
  const row: TeamRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    name: body.name,
    nameKey: nameKeyOf(actor, body.name),
    description: body.description || null,
    category: body.category || null,
    assignmentMode: 'off',
    assignmentCapacity: null,
    assignmentCursor: null,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('teams').values(row).execute();
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'team.created',
        entityType: 'team',
        entityId: row.id,
        data: { name: row.name, category: row.category },
      });
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
  return presentTeam(row);
}

export async function updateTeam(deps: ServiceDeps, actor: Actor, id: string, body: UpdateTeamBody): Promise<Team> {
  const at = deps.clock.now();
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const before = await findTeam(trx, actor, id);
      if (!before) throw notFound('Team');
      await trx
        .updateTable('teams')
        .set({
          ...(body.name !== undefined && { name: body.name, nameKey: nameKeyOf(actor, body.name) }),
          ...(body.description !== undefined && { description: body.description || null }),
          ...(body.category !== undefined && { category: body.category || null }),
          ...(body.assignment?.mode !== undefined && { assignmentMode: body.assignment.mode }),
          ...(body.assignment?.capacity !== undefined && { assignmentCapacity: body.assignment.capacity }),
          updatedAt: at,
        })
        .where('workspaceId', '=', actor.workspaceId)
        .where('id', '=', id)
        .execute();
      for (const { userId, capacity } of body.memberCapacities ?? []) {
        const result = await trx
          .updateTable('teamMembers')
          .set({ capacity })
          .where('workspaceId', '=', actor.workspaceId)
          .where('teamId', '=', id)
          .where('userId', '=', userId)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) throw notFound('Team member');
      }
      if (body.assignment !== undefined || body.memberCapacities !== undefined) {
        // Auto-assignment gives out the tickets that waited, if the change makes room for them.
        await deps.reactions.record(trx, { ...wsOf(actor), type: 'staff.available', userId: null, teamId: id }, at);
      }
      const after = (await findTeam(trx, actor, id))!;
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'team.updated',
        entityType: 'team',
        entityId: id,
        data: {
          from: {
            name: before.name,
            description: before.description,
            category: before.category,
            assignment: { mode: before.assignmentMode, capacity: before.assignmentCapacity },
          },
          to: body,
        },
      });
      return presentTeam(after);
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
}

/** Its tickets stay, with no team; its members lose the team's tickets (their sockets re-auth). */
export async function deleteTeam(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const at = deps.clock.now();
  const memberIds = await deps.db.transaction().execute(async (trx) => {
    const team = await findTeam(trx, actor, id);
    if (!team) throw notFound('Team');
    const members = await trx
      .selectFrom('teamMembers')
      .select('userId')
      .where('workspaceId', '=', actor.workspaceId)
      .where('teamId', '=', id)
      .execute();
    // Foreign keys clear tickets.team_id and cascade to team_members.
    await trx.deleteFrom('teams').where('workspaceId', '=', actor.workspaceId).where('id', '=', id).execute();
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'team.deleted',
      entityType: 'team',
      entityId: id,
      data: { name: team.name },
    });
    return members.map((m) => m.userId);
  });
  for (const userId of memberIds) accessChanged(deps, actor, userId);
}

/**
 * Only staff work tickets, so only people whose role has `tickets.work` can be members. Adding
 * twice is a no-op. Someone of another workspace is not found, as if they did not exist.
 */
export async function addTeamMember(deps: ServiceDeps, actor: Actor, teamId: string, userId: string): Promise<void> {
  const at = deps.clock.now();
  const added = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTeam(trx, actor, teamId))) throw notFound('Team');
    const member = await findMember(trx, actor, userId);
    if (!member) throw notFound('User');
    if (!(await isStaffRole(trx, actor, member.roleId)))
      throw new AppError('conflict', 'Customers cannot join a team; give them a staff role first');
    if (await isTeamMember(trx, actor, teamId, userId)) return false;
    await trx
      .insertInto('teamMembers')
      .values({ workspaceId: actor.workspaceId, teamId, userId, createdAt: at })
      .execute();
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'team.member_added',
      entityType: 'team',
      entityId: teamId,
      data: { userId },
    });
    await deps.reactions.record(trx, { ...wsOf(actor), type: 'staff.available', userId, teamId }, at);
    return true;
  });
  if (added) accessChanged(deps, actor, userId);
}

export async function removeTeamMember(deps: ServiceDeps, actor: Actor, teamId: string, userId: string): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('teamMembers')
      .where('workspaceId', '=', actor.workspaceId)
      .where('teamId', '=', teamId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('Team member');
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'team.member_removed',
      entityType: 'team',
      entityId: teamId,
      data: { userId },
    });
    // Auto-assignment hands their open tickets of the team on.
    await deps.reactions.record(trx, { ...wsOf(actor), type: 'staff.left', userId, teamId }, at);
  });
  accessChanged(deps, actor, userId);
}

/**
 * Whether the role is a staff role (`isStaff`: it has `tickets.work`). Asked of the role rather
 * than through `loadActor`, because a deactivated agent may still be put in a team (as before
 * workspaces): it is their role that counts.
 */
async function isStaffRole(db: Db, ws: Scope, roleId: string): Promise<boolean> {
  const row = await db
    .selectFrom('rolePermissions')
    .select('permission')
    .where('workspaceId', '=', ws.workspaceId)
    .where('roleId', '=', roleId)
    .where('permission', '=', 'tickets.work')
    .executeTakeFirst();
  return row !== undefined;
}

/** Their teams changed: their sockets (in this workspace) authenticate again. */
const accessChanged = (deps: ServiceDeps, ws: Scope, userId: string) =>
  deps.events.publish({ type: 'access.changed', workspaceId: ws.workspaceId, userId });

const wsOf = (scope: Scope) => ({ workspaceId: scope.workspaceId });
