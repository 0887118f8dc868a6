import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { DataExportsTable, TicketRow } from '../db/schema';

export type DataExportRow = DataExportsTable;

export const insertExportRow = (db: Db, row: DataExportRow) => db.insertInto('dataExports').values(row).execute();

/** The person's exports still kept at `now`, newest first. */
export const listExportRows = (db: Db, ws: Scope, userId: string, now: number): Promise<DataExportRow[]> =>
  db
    .selectFrom('dataExports')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('expiresAt', '>', now)
    .orderBy('id', 'desc')
    .execute();

/** One export of the person's, or undefined (someone else's is as good as missing). */
export const findExportRow = (db: Db, ws: Scope, userId: string, id: string): Promise<DataExportRow | undefined> =>
  db
    .selectFrom('dataExports')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('id', '=', id)
    .executeTakeFirst();

/** For the job, which knows the export by its id alone. */
export const findExportById = (db: Db, ws: Scope, id: string): Promise<DataExportRow | undefined> =>
  db
    .selectFrom('dataExports')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

/** Makes a pending export `ready` (or `failed`); false when it was pending no more (or is gone). */
export async function finishExportRow(
  db: Db,
  ws: Scope,
  id: string,
  change: Pick<DataExportRow, 'status' | 'sizeBytes' | 'readyAt' | 'expiresAt'>,
): Promise<boolean> {
  const result = await db
    .updateTable('dataExports')
    .set(change)
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

// --- Across workspaces (`db` spans them): the sweep's -------------------------------------------

/** Exports of any workspace whose time is up. */
export const listExpiredRows = (db: Db, now: number, limit: number): Promise<DataExportRow[]> =>
  db.selectFrom('dataExports').selectAll().where('expiresAt', '<=', now).orderBy('expiresAt').limit(limit).execute();

export const deleteExportRows = (db: Db, rows: readonly DataExportRow[]) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .deleteFrom('dataExports')
        .where(
          'id',
          'in',
          rows.map((row) => row.id),
        )
        .execute();

/** Exports of any workspace pending since before `cutoff`: their job gave up without saying so. */
export const failStalePendingRows = (db: Db, cutoff: number) =>
  db
    .updateTable('dataExports')
    .set({ status: 'failed' })
    .where('status', '=', 'pending')
    .where('createdAt', '<', cutoff)
    .execute();

// --- What goes into an export ---------------------------------------------------------------------

/** A page of the messages the person sent (not deleted ones), in id order, after `afterId`. */
export function listSentMessagesPage(db: Db, ws: Scope, userId: string, afterId: string | null, limit: number) {
  let query = db
    .selectFrom('messages')
    .leftJoin('tickets', (join) =>
      join
        .onRef('tickets.conversationId', '=', 'messages.conversationId')
        .on('tickets.workspaceId', '=', ws.workspaceId),
    )
    .select([
      'messages.id',
      'messages.conversationId',
      'tickets.id as ticketId',
      'messages.kind',
      'messages.body',
      'messages.replyToId',
      'messages.createdAt',
      'messages.editedAt',
    ])
    .where('messages.workspaceId', '=', ws.workspaceId)
    .where('messages.senderId', '=', userId)
    .where('messages.deletedAt', 'is', null);
  if (afterId !== null) query = query.where('messages.id', '>', afterId);
  return query.orderBy('messages.id').limit(limit).execute();
}

/** The files sent with these messages, in the order they were uploaded. */
export const listFilesOfMessages = (db: Db, ws: Scope, messageIds: readonly string[]) =>
  messageIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('attachments')
        .select(['messageId', 'fileName', 'contentType', 'sizeBytes'])
        .where('workspaceId', '=', ws.workspaceId)
        .where('messageId', 'in', messageIds)
        .orderBy('id')
        .execute();

/** A page of the tickets the person asked for (is the requester of), in id order, after `afterId`. */
export function listRequestedTicketsPage(
  db: Db,
  ws: Scope,
  userId: string,
  afterId: string | null,
  limit: number,
): Promise<TicketRow[]> {
  let query = db
    .selectFrom('tickets')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('requesterId', '=', userId);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id').limit(limit).execute();
}
