import { sql, type ExpressionBuilder } from 'kysely';
import type { Permission } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { compiledStatement } from '../db/compiled-statement';
import type { Database, NotificationsTable } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';

export type NotificationRow = NotificationsTable;

/** What one event adds to the entry of its user and conversation. */
export interface EntryEvent {
  userId: string;
  conversationId: string;
  kind: string;
  /** JSON of the event's content: it replaces the entry's (the latest event is what it shows). */
  data: string;
  seq: number | null;
  /** How many events of a batch this stands for (only the latest one's content is kept). */
  count: number;
  at: number;
}

export async function insertNotifications(db: Db, rows: NotificationRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('notifications').values(rows).execute();
}

/**
 * Gathers events into the one entry of each user and conversation, in one statement: an unread
 * entry counts them, a read one starts counting again, and a missing one is created (with
 * `newId()`). The upsert is atomic on each row, so writers on other nodes may interleave. At
 * most one event per user and conversation (the writer merges a batch's first). Returns the
 * entries as they are now, counts from other nodes included.
 */
export async function gatherIntoEntries(
  db: Db,
  ws: Scope,
  events: readonly EntryEvent[],
  newId: () => string,
): Promise<NotificationRow[]> {
  if (events.length === 0) return [];
  const insert = db.insertInto('notifications').values(
    events.map(({ userId, conversationId, kind, data, seq, count, at }) => ({
      id: newId(),
      workspaceId: ws.workspaceId,
      userId,
      conversationId,
      kind,
      data,
      seq,
      count,
      createdAt: at,
      updatedAt: at,
      readAt: null,
    })),
  );
  if (db.getExecutor().adapter.supportsReturning) {
    return insert
      .onConflict((oc) =>
        oc.columns(['userId', 'conversationId']).doUpdateSet((eb) => {
          const unread = eb('notifications.readAt', 'is', null);
          return {
            kind: eb.ref('excluded.kind'),
            data: eb.ref('excluded.data'),
            updatedAt: eb.ref('excluded.updatedAt'),
            count: eb
              .case()
              .when(unread)
              .then(eb('notifications.count', '+', eb.ref('excluded.count')))
              .else(eb.ref('excluded.count'))
              .end(),
            // The newest message it covers; an event without one (a new assignee) keeps what it had.
            seq: eb
              .case()
              .when(eb.not(unread))
              .then(eb.ref('excluded.seq'))
              .when('excluded.seq', 'is', null)
              .then(eb.ref('notifications.seq'))
              .when(eb.or([eb('notifications.seq', 'is', null), eb('notifications.seq', '<', eb.ref('excluded.seq'))]))
              .then(eb.ref('excluded.seq'))
              .else(eb.ref('notifications.seq'))
              .end(),
            readAt: null,
          };
        }),
      )
      .returningAll()
      .execute();
  }
  // MariaDB assigns left to right, each seeing those before it: `read_at` goes last.
  await insert
    .onDuplicateKeyUpdate({
      count: sql`IF(read_at IS NULL, count + VALUES(count), VALUES(count))`,
      seq: sql`IF(read_at IS NOT NULL OR (VALUES(seq) IS NOT NULL AND (seq IS NULL OR seq < VALUES(seq))), VALUES(seq), seq)`,
      kind: sql`VALUES(kind)`,
      data: sql`VALUES(data)`,
      updatedAt: sql`VALUES(updated_at)`,
      readAt: null,
    })
    .execute();
  const usersByConversation = new Map<string, string[]>();
  for (const { conversationId, userId } of events) {
    usersByConversation.set(conversationId, [...(usersByConversation.get(conversationId) ?? []), userId]);
  }
  const rows: NotificationRow[] = [];
  for (const [conversationId, userIds] of usersByConversation) {
    rows.push(...(await findEntries(db, ws, userIds, conversationId)));
  }
  return rows;
}

export function findEntries(
  db: Db,
  ws: Scope,
  userIds: readonly string[],
  conversationId: string,
): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('userId', 'in', [...userIds])
    .execute();
}

/** Which of a user's entries: these, or those of a conversation (with `upToSeq`, those a read up to it answers). */
export type EntrySelection = { ids: readonly string[] } | { conversationId: string; upToSeq?: number };

/** Marks the user's unread entries of the selection read; returns those that were unread until now. */
export async function markEntriesRead(
  db: Db,
  ws: Scope,
  userId: string,
  which: EntrySelection,
  at: number,
): Promise<string[]> {
  if ('ids' in which && which.ids.length === 0) return [];
  const unread = (eb: ExpressionBuilder<Database, 'notifications'>) =>
    eb.and([
      eb('notifications.workspaceId', '=', ws.workspaceId),
      eb('notifications.userId', '=', userId),
      eb('notifications.readAt', 'is', null),
      ...('ids' in which
        ? [eb('notifications.id', 'in', [...which.ids])]
        : [
            eb('notifications.conversationId', '=', which.conversationId),
            ...(which.upToSeq === undefined
              ? []
              : [eb.or([eb('notifications.seq', 'is', null), eb('notifications.seq', '<=', which.upToSeq)])]),
          ]),
    ]);
  // One statement where the database can say which rows it changed (a read usually finds none).
  if (db.getExecutor().adapter.supportsReturning) {
    const read = await db.updateTable('notifications').set({ readAt: at }).where(unread).returning('id').execute();
    return read.map((row) => row.id);
  }
  const ids = (await db.selectFrom('notifications').select('id').where(unread).execute()).map((row) => row.id);
  if (ids.length === 0) return [];
  await db
    .updateTable('notifications')
    .set({ readAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', 'in', ids)
    .where('readAt', 'is', null)
    .execute();
  return ids;
}

export async function markAllEntriesRead(db: Db, ws: Scope, userId: string, at: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ readAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .execute();
}

export function findNotification(db: Db, ws: Scope, userId: string, id: string) {
  return db
    .selectFrom('notifications')
    .select('readAt')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/** A page of the user's entries, latest activity first (`after`: the last row's key). */
export function listEntries(
  db: Db,
  ws: Scope,
  userId: string,
  query: { unread?: boolean | undefined; limit: number },
  after: [number, string] | null,
): Promise<NotificationRow[]> {
  let select = db
    .selectFrom('notifications')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId);
  if (query.unread !== undefined) select = select.where('readAt', query.unread ? 'is' : 'is not', null);
  if (after) {
    const [updatedAt, id] = after;
    select = select.where((eb) =>
      eb.or([eb('updatedAt', '<', updatedAt), eb.and([eb('updatedAt', '=', updatedAt), eb('id', '<', id)])]),
    );
  }
  return select
    .orderBy('updatedAt', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute();
}

export async function countUnread(db: Db, ws: Scope, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

/**
 * The user's unread entries in each workspace that has any, for the workspace switcher's badges
 * (`GET /me/workspaces`). One query across workspaces by design: it is the one place that shows
 * a person their own counts side by side, and it reads only that person's rows. Workspaces with
 * nothing unread are absent (read them as 0); the caller lists only the workspaces the person is
 * an active member of, so counts of a workspace they left are never shown.
 */
export async function unreadCountsByWorkspace(db: Db, userId: string): Promise<Map<string, number>> {
  const rows = await acrossWorkspaces(db)
    .selectFrom('notifications')
    .select((eb) => ['workspaceId', eb.fn.countAll().as('count')])
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .groupBy('workspaceId')
    .execute();
  return new Map(rows.map((row) => [row.workspaceId, Number(row.count)]));
}

// Who hears of it: the few reads that decide the recipients of an event.

/** The ticket whose thread this conversation is, if it is one. */
export function findTicketOfConversation(db: Db, ws: Scope, conversationId: string) {
  return db
    .selectFrom('tickets')
    .select(['id', 'subject', 'requesterId', 'assigneeId'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .executeTakeFirst();
}

/** Who did it, by the name of their account, if they are (or were) a member of the workspace. */
export async function findPerson(db: Db, ws: Scope, userId: string) {
  return (await person(db, { workspaceId: ws.workspaceId, userId })).rows[0] as
    { id: string; displayName: string; bot: number } | undefined;
}

const person = compiledStatement((db, v: { workspaceId: string; userId: string }) =>
  db
    .selectFrom('users')
    .innerJoin('workspaceMembers as wm', (join) =>
      join.onRef('wm.userId', '=', 'users.id').on('wm.workspaceId', '=', v.workspaceId),
    )
    .select(['users.id', 'users.displayName', 'users.bot'])
    .where('users.id', '=', v.userId),
);

/**
 * Who changed a ticket, and whether they are staff of the workspace (their role has
 * `tickets.work`, what `isStaff` asks): in the one query that reads their name anyway.
 */
export async function findPersonOfWorkspace(
  db: Db,
  ws: Scope,
  userId: string,
): Promise<{ id: string; displayName: string; bot: boolean; staff: boolean } | undefined> {
  const row = await db
    .selectFrom('users')
    .leftJoin('workspaceMembers as wm', (join) =>
      join.onRef('wm.userId', '=', 'users.id').on('wm.workspaceId', '=', ws.workspaceId),
    )
    .leftJoin('rolePermissions as rp', (join) =>
      join
        .onRef('rp.roleId', '=', 'wm.roleId')
        .on('rp.workspaceId', '=', ws.workspaceId)
        .on('rp.permission', '=', 'tickets.work'),
    )
    .select(['users.id', 'users.displayName', 'users.bot', 'rp.permission'])
    .where('users.id', '=', userId)
    .executeTakeFirst();
  return (
    row && { id: row.id, displayName: row.displayName, bot: Number(row.bot) === 1, staff: row.permission !== null }
  );
}

/** When the message before `seq` was written (undefined: `seq` is the first). */
export async function previousMessageAt(
  db: Db,
  ws: Scope,
  conversationId: string,
  seq: number,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('createdAt')
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('seq', '<', seq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.createdAt;
}

/**
 * Members who turned the conversation down: `mentions` (muted: mentions only) and `none`
 * (nothing, mentions neither), by their level.
 */
export async function listQuietMembers(
  db: Db,
  ws: Scope,
  conversationId: string,
): Promise<{ mentionsOnly: Set<string>; none: Set<string> }> {
  const rows = (await quietMembers(db, { workspaceId: ws.workspaceId, conversationId })).rows as {
    userId: string;
    muted: number;
  }[];
  const none = new Set(rows.filter((r) => Number(r.muted) === 2).map((r) => r.userId));
  return { mentionsOnly: new Set(rows.filter((r) => !none.has(r.userId)).map((r) => r.userId)), none };
}

const quietMembers = compiledStatement((db, v: { workspaceId: string; conversationId: string }) =>
  db
    .selectFrom('conversationMembers')
    .select(['userId', 'muted'])
    .where('workspaceId', '=', v.workspaceId)
    .where('conversationId', '=', v.conversationId)
    .where('muted', '>', 0),
);

export async function listOtherMembers(db: Db, ws: Scope, conversationId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('conversationMembers')
    .select('userId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('userId', '!=', userId)
    .execute();
  return rows.map((row) => row.userId);
}

/**
 * Who picks a new ticket up: the active members of its team whose role works tickets
 * (`tickets.work`), or, for a ticket of no team (the unassigned queue), the active members whose
 * role sees every ticket (`tickets.all`).
 */
export async function listTicketWatchers(db: Db, ws: Scope, teamId: string | null): Promise<string[]> {
  let select = db
    .selectFrom('workspaceMembers as wm')
    .innerJoin('users', 'users.id', 'wm.userId')
    .innerJoin('rolePermissions as rp', (join) =>
      join.onRef('rp.roleId', '=', 'wm.roleId').on('rp.workspaceId', '=', ws.workspaceId),
    )
    .select('wm.userId')
    .where('wm.workspaceId', '=', ws.workspaceId)
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .where('rp.permission', '=', teamId ? 'tickets.work' : 'tickets.all');
  if (teamId) {
    select = select
      .innerJoin('teamMembers as tm', (join) =>
        join.onRef('tm.userId', '=', 'wm.userId').on('tm.workspaceId', '=', ws.workspaceId),
      )
      .where('tm.teamId', '=', teamId);
  }
  const rows = await select.execute();
  return rows.map((row) => row.userId);
}

/** The workspace's active members whose role has the permission (who manages settings, say). */
export async function listActiveWithPermission(db: Db, ws: Scope, permission: Permission): Promise<string[]> {
  const rows = await db
    .selectFrom('workspaceMembers as wm')
    .innerJoin('users', 'users.id', 'wm.userId')
    .innerJoin('rolePermissions as rp', (join) =>
      join.onRef('rp.roleId', '=', 'wm.roleId').on('rp.workspaceId', '=', ws.workspaceId),
    )
    .select('wm.userId')
    .where('wm.workspaceId', '=', ws.workspaceId)
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .where('rp.permission', '=', permission)
    .execute();
  return rows.map((row) => row.userId);
}
