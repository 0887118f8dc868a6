import type { CreateTeamBody, Team, TeamDetail, TeamList, TicketCategoryList, UpdateTeamBody } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { TeamRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { presentPublicUser } from '../users/user-presenter';
import { findUserById } from '../users/user-repository';

/** The teams a user belongs to; agents see the tickets of these teams. */
export async function listTeamIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('teamMembers').select('teamId').where('userId', '=', userId).execute();
  return rows.map((r) => r.teamId);
}

export async function isTeamMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teamMembers')
    .select('userId')
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
  createdAt: toIso(row.createdAt),
  updatedAt: toIso(row.updatedAt),
});

const findTeam = (db: Db, id: string) => db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();

const nameTaken = () => fieldConflict([{ in: 'body', path: 'name', message: 'A team with this name exists' }]);

export async function listTeams(deps: ServiceDeps): Promise<TeamList> {
  const rows = await deps.db.selectFrom('teams').selectAll().orderBy('nameKey').execute();
  return { items: rows.map(presentTeam) };
}

/** A team with its members; for staff only (the route checks the role): team names are internal. */
export async function getTeam(deps: ServiceDeps, id: string): Promise<TeamDetail> {
  const team = await findTeam(deps.db, id);
  if (!team) throw notFound('Team');
  const members = await deps.db
    .selectFrom('teamMembers')
    .innerJoin('users', 'users.id', 'teamMembers.userId')
    .selectAll('users')
    .where('teamMembers.teamId', '=', id)
    .orderBy('users.usernameKey')
    .execute();
  return { ...presentTeam(team), members: members.map(presentPublicUser) };
}

/** What customers pick from when they open a ticket: the teams offered to them, by label only. */
export async function listTicketCategories(deps: ServiceDeps): Promise<TicketCategoryList> {
  const rows = await deps.db
    .selectFrom('teams')
    .select(['id', 'category'])
    .where('category', 'is not', null)
    .orderBy('category')
    .orderBy('id')
    .execute();
  return { items: rows.map((row) => ({ id: row.id, label: row.category! })) };
}

/** The label a team is offered to customers under, or null when it is not offered. */
export async function findTicketCategory(db: Db, teamId: string): Promise<string | null> {
  const row = await db.selectFrom('teams').select('category').where('id', '=', teamId).executeTakeFirst();
  return row?.category ?? null;
}

export async function createTeam(deps: ServiceDeps, actor: Actor, body: CreateTeamBody): Promise<Team> {
  const at = deps.clock.now();
  const row: TeamRow = {
    id: newId(),
    name: body.name,
    nameKey: body.name.toLowerCase(),
    description: body.description || null,
    category: body.category || null,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('teams').values(row).execute();
      await recordAudit(trx, at, {
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
      const before = await findTeam(trx, id);
      if (!before) throw notFound('Team');
      await trx
        .updateTable('teams')
        .set({
          ...(body.name !== undefined && { name: body.name, nameKey: body.name.toLowerCase() }),
          ...(body.description !== undefined && { description: body.description || null }),
          ...(body.category !== undefined && { category: body.category || null }),
          updatedAt: at,
        })
        .where('id', '=', id)
        .execute();
      const after = (await findTeam(trx, id))!;
      await recordAudit(trx, at, {
        actorId: actor.id,
        action: 'team.updated',
        entityType: 'team',
        entityId: id,
        data: { from: { name: before.name, description: before.description, category: before.category }, to: body },
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
    const team = await findTeam(trx, id);
    if (!team) throw notFound('Team');
    const members = await trx.selectFrom('teamMembers').select('userId').where('teamId', '=', id).execute();
    // Foreign keys clear tickets.team_id and cascade to team_members.
    await trx.deleteFrom('teams').where('id', '=', id).execute();
    await recordAudit(trx, at, {
      actorId: actor.id,
      action: 'team.deleted',
      entityType: 'team',
      entityId: id,
      data: { name: team.name },
    });
    return members.map((m) => m.userId);
  });
  for (const userId of memberIds) deps.events.publish({ type: 'access.changed', userId });
}

/** Only staff work tickets, so only agents and admins can be members. Adding twice is a no-op. */
export async function addTeamMember(deps: ServiceDeps, actor: Actor, teamId: string, userId: string): Promise<void> {
  const at = deps.clock.now();
  const added = await deps.db.transaction().execute(async (trx) => {
    if (!(await findTeam(trx, teamId))) throw notFound('Team');
    const user = await findUserById(trx, userId);
    if (!user) throw notFound('User');
    if (user.role === 'customer')
      throw new AppError('conflict', 'Customers cannot join a team; make them an agent first');
    if (await isTeamMember(trx, teamId, userId)) return false;
    await trx.insertInto('teamMembers').values({ teamId, userId, createdAt: at }).execute();
    await recordAudit(trx, at, {
      actorId: actor.id,
      action: 'team.member_added',
      entityType: 'team',
      entityId: teamId,
      data: { userId },
    });
    return true;
  });
  if (added) deps.events.publish({ type: 'access.changed', userId });
}

export async function removeTeamMember(deps: ServiceDeps, actor: Actor, teamId: string, userId: string): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const result = await trx
      .deleteFrom('teamMembers')
      .where('teamId', '=', teamId)
      .where('userId', '=', userId)
      .executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw notFound('Team member');
    await recordAudit(trx, at, {
      actorId: actor.id,
      action: 'team.member_removed',
      entityType: 'team',
      entityId: teamId,
      data: { userId },
    });
  });
  deps.events.publish({ type: 'access.changed', userId });
}
