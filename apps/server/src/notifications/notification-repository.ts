import { MysqlAdapter } from 'kysely';
import type { Db } from '../db/connect';
import type { NotificationsTable } from '../db/schema';

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
 * Gathers an event into the one entry of its user and conversation: an unread entry counts it,
 * a read one starts counting again, and a missing one is created. Each step is one conditional
 * statement, so writers on other nodes can interleave; whichever step loses a race leaves the
 * row to the next. `newId` is used only if a row must be created.
 */
export async function gatherIntoEntry(db: Db, event: EntryEvent, newId: string): Promise<void> {
  const { userId, conversationId, kind, data, seq, count, at } = event;
  const ofEntry = db
    .updateTable('notifications')
    .where('userId', '=', userId)
    .where('conversationId', '=', conversationId);
  for (let attempt = 0; attempt < 3; attempt++) {
    const counted = await ofEntry
      .set((eb) => ({
        kind,
        data,
        updatedAt: at,
        count: eb('count', '+', count),
        // The newest message it covers; an event without one (a new assignee) keeps what it had.
        ...(seq !== null && {
          seq: eb.case().when('seq', 'is', null).then(seq).when('seq', '<', seq).then(seq).else(eb.ref('seq')).end(),
        }),
      }))
      .where('readAt', 'is', null)
      .executeTakeFirst();
    if (Number(counted.numUpdatedRows) > 0) return;
    const reopened = await ofEntry
      .set({ kind, data, updatedAt: at, count, seq, readAt: null })
      .where('readAt', 'is not', null)
      .executeTakeFirst();
    if (Number(reopened.numUpdatedRows) > 0) return;
    const insert = db.insertInto('notifications').values({
      id: newId,
      userId,
      conversationId,
      kind,
      data,
      seq,
      count,
      createdAt: at,
      updatedAt: at,
      readAt: null,
    });
    // A unique violation would abort a PostgreSQL transaction: ask the database to skip instead.
    await (
      db.getExecutor().adapter instanceof MysqlAdapter
        ? insert.onDuplicateKeyUpdate((eb) => ({ id: eb.ref('notifications.id') }))
        : insert.onConflict((oc) => oc.columns(['userId', 'conversationId']).doNothing())
    ).execute();
    if (await db.selectFrom('notifications').select('id').where('id', '=', newId).executeTakeFirst()) return;
  }
  throw new Error(`Could not gather a notification for ${userId} in ${conversationId}`);
}

export function findEntries(db: Db, userIds: readonly string[], conversationId: string): Promise<NotificationRow[]> {
  return db
    .selectFrom('notifications')
    .selectAll()
    .where('conversationId', '=', conversationId)
    .where('userId', 'in', [...userIds])
    .execute();
}

/** The user's unread entries of a conversation; with `upToSeq`, only those a read up to it answers. */
export async function findUnreadOfConversation(
  db: Db,
  userId: string,
  conversationId: string,
  upToSeq?: number,
): Promise<string[]> {
  let select = db
    .selectFrom('notifications')
    .select('id')
    .where('userId', '=', userId)
    .where('conversationId', '=', conversationId)
    .where('readAt', 'is', null);
  if (upToSeq !== undefined) select = select.where((eb) => eb.or([eb('seq', 'is', null), eb('seq', '<=', upToSeq)]));
  return (await select.execute()).map((row) => row.id);
}

/** Marks the user's entries read; returns those that were unread until now. */
export async function markEntriesRead(db: Db, userId: string, ids: readonly string[], at: number): Promise<string[]> {
  if (ids.length === 0) return [];
  const unread = await db
    .selectFrom('notifications')
    .select('id')
    .where('userId', '=', userId)
    .where('id', 'in', [...ids])
    .where('readAt', 'is', null)
    .execute();
  if (unread.length === 0) return [];
  await db
    .updateTable('notifications')
    .set({ readAt: at })
    .where(
      'id',
      'in',
      unread.map((row) => row.id),
    )
    .where('readAt', 'is', null)
    .execute();
  return unread.map((row) => row.id);
}

export async function markAllEntriesRead(db: Db, userId: string, at: number): Promise<void> {
  await db
    .updateTable('notifications')
    .set({ readAt: at })
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .execute();
}

export function findNotification(db: Db, userId: string, id: string) {
  return db
    .selectFrom('notifications')
    .select('readAt')
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
}

/** A page of the user's entries, latest activity first (`after`: the last row's key). */
export function listEntries(
  db: Db,
  userId: string,
  query: { unread?: boolean | undefined; limit: number },
  after: [number, string] | null,
): Promise<NotificationRow[]> {
  let select = db.selectFrom('notifications').selectAll().where('userId', '=', userId);
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

export async function countUnread(db: Db, userId: string): Promise<number> {
  const { count } = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll().as('count'))
    .where('userId', '=', userId)
    .where('readAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(count);
}

// Who hears of it: the few reads that decide the recipients of an event.

/** The ticket whose thread this conversation is, if it is one. */
export function findTicketOfConversation(db: Db, conversationId: string) {
  return db
    .selectFrom('tickets')
    .select(['id', 'subject', 'requesterId', 'assigneeId'])
    .where('conversationId', '=', conversationId)
    .executeTakeFirst();
}

export function findPerson(db: Db, userId: string) {
  return db.selectFrom('users').select(['id', 'displayName', 'role']).where('id', '=', userId).executeTakeFirst();
}

/** When the message before `seq` was written (undefined: `seq` is the first). */
export async function previousMessageAt(db: Db, conversationId: string, seq: number): Promise<number | undefined> {
  const row = await db
    .selectFrom('messages')
    .select('createdAt')
    .where('conversationId', '=', conversationId)
    .where('seq', '<', seq)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.createdAt;
}

export async function listOtherMembers(db: Db, conversationId: string, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('conversationMembers')
    .select('userId')
    .where('conversationId', '=', conversationId)
    .where('userId', '!=', userId)
    .execute();
  return rows.map((row) => row.userId);
}

/** Active agents of the team, or (no team) active admins: who picks a new ticket up. */
export async function listTicketWatchers(db: Db, teamId: string | null): Promise<string[]> {
  const rows = teamId
    ? await db
        .selectFrom('teamMembers')
        .innerJoin('users', 'users.id', 'teamMembers.userId')
        .select('users.id')
        .where('teamMembers.teamId', '=', teamId)
        .where('users.role', '=', 'agent')
        .where('users.deactivatedAt', 'is', null)
        .execute()
    : await db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('deactivatedAt', 'is', null)
        .execute();
  return rows.map((row) => row.id);
}
