import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { CallsTable } from '../db/schema';
import type { Call } from './call-state';

/** A call as stored: its state (call-state.ts) with where it is and the version it was read at. */
export interface StoredCall extends Call {
  id: string;
  conversationId: string;
  kind: CallsTable['kind'];
  version: number;
}

export async function findCall(db: Db, ws: Scope, id: string): Promise<StoredCall | undefined> {
  const row = await db
    .selectFrom('calls')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const participants = await db
    .selectFrom('callParticipants')
    .select(['userId', 'state', 'joinedAt'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('callId', '=', id)
    .orderBy('position')
    .execute();
  return {
    id: row.id,
    conversationId: row.conversationId,
    kind: row.kind,
    version: Number(row.version),
    state: row.state,
    startedBy: row.startedBy,
    startedAt: Number(row.startedAt),
    answeredAt: row.answeredAt === null ? null : Number(row.answeredAt),
    endedAt: row.endedAt === null ? null : Number(row.endedAt),
    endReason: row.endReason,
    participants: participants.map((p) => ({
      userId: p.userId,
      state: p.state,
      joinedAt: p.joinedAt === null ? null : Number(p.joinedAt),
    })),
  };
}

/** The conversation's call that is not over yet, if any. */
export async function findLiveCallId(db: Db, ws: Scope, conversationId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('calls')
    .select('id')
    .where('workspaceId', '=', ws.workspaceId)
    .where('liveKey', '=', conversationId)
    .executeTakeFirst();
  return row?.id;
}

/** Participants of the workspace's calls not over yet, each beside their call (`p`, `c`). */
const liveParticipants = (db: Db, ws: Scope) =>
  db
    .selectFrom('callParticipants as p')
    .innerJoin('calls as c', (join) => join.onRef('c.workspaceId', '=', 'p.workspaceId').onRef('c.id', '=', 'p.callId'))
    .where('p.workspaceId', '=', ws.workspaceId)
    .where('c.state', '!=', 'ended');

/**
 * The calls not over yet that the user is in or rung for (a client back after a reconnect), or
 * only those they are `joined` in (as a rule one; a race may have made two).
 */
export async function listLiveCallIds(
  db: Db,
  ws: Scope,
  userId: string,
  states: readonly Call['participants'][number]['state'][] = ['ringing', 'joined'],
): Promise<string[]> {
  const rows = await liveParticipants(db, ws)
    .select('c.id')
    .where('p.userId', '=', userId)
    .where('p.state', 'in', states)
    .orderBy('c.startedAt')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * Who is `joined` in a call not over yet, by workspace: for the sweep of people whose node died
 * (`db` spans workspaces, `acrossWorkspaces`). A handful of rows: live calls only.
 */
export async function listJoinedEverywhere(db: Db): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('calls as c')
    .innerJoin('callParticipants as p', (join) =>
      join.onRef('p.workspaceId', '=', 'c.workspaceId').onRef('p.callId', '=', 'c.id'),
    )
    .select(['p.workspaceId', 'p.userId'])
    .distinct()
    .where('c.state', 'in', ['ringing', 'active'])
    .where('p.state', '=', 'joined')
    .execute();
  const byWorkspace = new Map<string, string[]>();
  for (const { workspaceId, userId } of rows) {
    const userIds = byWorkspace.get(workspaceId);
    if (userIds) userIds.push(userId);
    else byWorkspace.set(workspaceId, [userId]);
  }
  return byWorkspace;
}

/** How many of them are `joined` in the call, if it is not over; 0 when there is no such call. */
export async function countJoined(db: Db, ws: Scope, callId: string, userIds: readonly string[]): Promise<number> {
  const row = await liveParticipants(db, ws)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('p.callId', '=', callId)
    .where('p.userId', 'in', userIds)
    .where('p.state', '=', 'joined')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Who of them is in a call right now (joined, in one not over), other than `exceptCallId`. */
export async function listInCall(
  db: Db,
  ws: Scope,
  userIds: readonly string[],
  exceptCallId?: string,
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  let query = liveParticipants(db, ws)
    .select('p.userId')
    .where('p.userId', 'in', userIds)
    .where('p.state', '=', 'joined');
  if (exceptCallId) query = query.where('c.id', '!=', exceptCallId);
  const rows = await query.execute();
  return new Set(rows.map((r) => r.userId));
}

const callColumns = (call: Call) => ({
  state: call.state,
  answeredAt: call.answeredAt,
  endedAt: call.endedAt,
  endReason: call.endReason,
});

/** A new call and its people; fails with a unique violation when the conversation has a live call. */
export async function insertCall(trx: Db, ws: Scope, call: StoredCall): Promise<void> {
  await trx
    .insertInto('calls')
    .values({
      workspaceId: ws.workspaceId,
      id: call.id,
      conversationId: call.conversationId,
      kind: call.kind,
      version: call.version,
      startedBy: call.startedBy,
      startedAt: call.startedAt,
      liveKey: call.state === 'ended' ? null : call.conversationId,
      ...callColumns(call),
    })
    .execute();
  await trx
    .insertInto('callParticipants')
    .values(
      call.participants.map((p, position) => ({
        workspaceId: ws.workspaceId,
        callId: call.id,
        userId: p.userId,
        position,
        state: p.state,
        joinedAt: p.joinedAt,
      })),
    )
    .execute();
}

/**
 * Writes `after` over the call read as `before`, if nobody changed it since (its version); false
 * when somebody did, and nothing is written. Only the people whose state changed are written.
 */
export async function saveCall(trx: Db, ws: Scope, before: StoredCall, after: Call): Promise<boolean> {
  const result = await trx
    .updateTable('calls')
    .set({
      ...callColumns(after),
      version: before.version + 1,
      liveKey: after.state === 'ended' ? null : before.conversationId,
    })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', before.id)
    .where('version', '=', before.version)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  for (const [i, person] of after.participants.entries()) {
    const was = before.participants[i]!;
    if (was.state === person.state && was.joinedAt === person.joinedAt) continue;
    await trx
      .updateTable('callParticipants')
      .set({ state: person.state, joinedAt: person.joinedAt })
      .where('workspaceId', '=', ws.workspaceId)
      .where('callId', '=', before.id)
      .where('userId', '=', person.userId)
      .execute();
  }
  return true;
}

/** The members of a direct or group conversation. */
export async function listMemberIds(db: Db, ws: Scope, conversationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('conversationMembers')
    .select('userId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .orderBy('userId')
    .execute();
  return rows.map((r) => r.userId);
}
