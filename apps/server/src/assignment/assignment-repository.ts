import { MysqlAdapter, PostgresAdapter } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { TeamRow, TicketRow } from '../db/schema';
import { hasPermissionSql } from '../workspaces/member-repository';

/** A ticket's load on its assignee: the statuses in which somebody works it. */
export const WORKING_STATUSES = ['open', 'in_progress'] as const satisfies readonly TicketRow['status'][];

/**
 * The team, its row locked until the transaction ends: every assignment for a team takes this
 * lock first, so on PostgreSQL and MariaDB one assignment per team runs at a time across the
 * cluster (SQLite has one writer anyway, and no `FOR UPDATE`). PostgreSQL's weaker NO KEY
 * UPDATE still excludes the other assigners, but not the foreign-key checks of new tickets.
 */
export function lockTeam(trx: Db, ws: Scope, teamId: string): Promise<TeamRow | undefined> {
  const query = trx.selectFrom('teams').selectAll().where('workspaceId', '=', ws.workspaceId).where('id', '=', teamId);
  const adapter = trx.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return query.forNoKeyUpdate().executeTakeFirst();
  return (adapter instanceof MysqlAdapter ? query.forUpdate() : query).executeTakeFirst();
}

export const setCursor = (trx: Db, ws: Scope, teamId: string, userId: string) =>
  trx
    .updateTable('teams')
    .set({ assignmentCursor: userId })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', teamId)
    .execute();

export interface Candidate {
  userId: string;
  /** Their own limit in the team, else the team's; null: none. */
  capacity: number | null;
  /** Their open + in-progress tickets in the workspace. */
  load: number;
}

/**
 * The team's members who may be given a ticket as far as the database knows: active staff of
 * the workspace, not away; with their capacity and load. Presence is the caller's business.
 */
export async function listCandidates(trx: Db, ws: Scope, team: TeamRow): Promise<Candidate[]> {
  const rows = await trx
    .selectFrom('teamMembers as tm')
    .innerJoin('workspaceMembers as wm', (join) =>
      join.onRef('wm.userId', '=', 'tm.userId').on('wm.workspaceId', '=', ws.workspaceId),
    )
    .innerJoin('users', 'users.id', 'tm.userId')
    .where('tm.workspaceId', '=', ws.workspaceId)
    .where('tm.teamId', '=', team.id)
    .where('wm.deactivatedAt', 'is', null)
    .where('wm.awaySince', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .where(hasPermissionSql(ws, 'tm.userId', 'tickets.work'))
    .select(['tm.userId', 'tm.capacity'])
    .orderBy('tm.userId')
    .execute();
  const loads = await countLoads(
    trx,
    ws,
    rows.map((r) => r.userId),
  );
  return rows.map((r) => ({
    userId: r.userId,
    capacity: r.capacity ?? team.assignmentCapacity,
    load: loads.get(r.userId) ?? 0,
  }));
}

export async function countLoads(trx: Db, ws: Scope, userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await trx
    .selectFrom('tickets')
    .select(['assigneeId', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('workspaceId', '=', ws.workspaceId)
    .where('assigneeId', 'in', userIds)
    .where('status', 'in', WORKING_STATUSES)
    .groupBy('assigneeId')
    .execute();
  return new Map(rows.map((r) => [r.assigneeId!, Number(r.n)]));
}

/** The team's tickets waiting for somebody, oldest first. */
export const listWaitingTicketIds = async (db: Db, ws: Scope, teamId: string, limit: number): Promise<string[]> =>
  (
    await db
      .selectFrom('tickets')
      .select('id')
      .where('workspaceId', '=', ws.workspaceId)
      .where('teamId', '=', teamId)
      .where('assigneeId', 'is', null)
      .where('status', 'in', WORKING_STATUSES)
      .orderBy('createdAt')
      .orderBy('id')
      .limit(limit)
      .execute()
  ).map((r) => r.id);

/** The member's tickets being worked: of one team, or (`teamId` null) all of them. */
export const listWorkedTickets = (db: Db, ws: Scope, userId: string, teamId: string | null) => {
  let query = db
    .selectFrom('tickets')
    .select(['id', 'teamId'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('assigneeId', '=', userId)
    .where('status', 'in', WORKING_STATUSES);
  if (teamId !== null) query = query.where('teamId', '=', teamId);
  return query.orderBy('createdAt').orderBy('id').execute();
};

/** The teams of the member whose auto-assignment is on. */
export const listAssigningTeamIdsOf = async (db: Db, ws: Scope, userId: string): Promise<string[]> =>
  (
    await db
      .selectFrom('teamMembers as tm')
      .innerJoin('teams', 'teams.id', 'tm.teamId')
      .select('teams.id')
      .where('tm.workspaceId', '=', ws.workspaceId)
      .where('teams.workspaceId', '=', ws.workspaceId)
      .where('tm.userId', '=', userId)
      .where('teams.assignmentMode', '!=', 'off')
      .execute()
  ).map((r) => r.id);
