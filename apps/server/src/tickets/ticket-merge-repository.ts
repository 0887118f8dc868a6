import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { MESSAGE_COLUMNS, type MessageRow, type TicketMergesTable } from '../db/schema';
import { newId } from '../ids';

export const findMergeOf = (db: Db, ws: Scope, sourceTicketId: string) =>
  db
    .selectFrom('ticketMerges')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('sourceTicketId', '=', sourceTicketId)
    .executeTakeFirst();

/** Claims the merge of a source ticket: a second claim fails on the primary key. */
export const insertMerge = (db: Db, merge: TicketMergesTable) => db.insertInto('ticketMerges').values(merge).execute();

/** What a merge carries over: the people's messages and notes, not system lines, not tombstones. */
export const listMessagesToCopy = (db: Db, ws: Scope, conversationId: string) =>
  db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('kind', 'in', ['text', 'note'])
    .where('deletedAt', 'is', null)
    .orderBy('seq')
    .execute();

const CHUNK = 200;

/**
 * Appends copies of `originals` to a conversation, in their order, with their sender, kind,
 * text and times, under new seqs after its last one: the seqs a client has seen never change
 * (docs/decisions/0010-ticket-merge.md). Must run in a transaction; the conversation's activity
 * moves to `at` (the merge), not back to the copies' times.
 */
export async function appendCopies(
  trx: Db,
  ws: Scope,
  conversationId: string,
  originals: readonly MessageRow[],
  at: number,
): Promise<MessageRow[]> {
  if (originals.length === 0) return [];
  const n = originals.length;
  await trx
    .updateTable('conversations')
    .set((eb) => ({ lastSeq: eb('lastSeq', '+', n), updatedAt: at }))
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', conversationId)
    .execute();
  const { lastSeq } = await trx
    .selectFrom('conversations')
    .select('lastSeq')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', conversationId)
    .executeTakeFirstOrThrow();
  const first = Number(lastSeq) - n + 1;
  const ids = new Map(originals.map((m) => [m.id, newId()]));
  const rows: MessageRow[] = originals.map((m, i) => ({
    id: ids.get(m.id)!,
    workspaceId: ws.workspaceId,
    conversationId,
    seq: first + i,
    senderId: m.senderId,
    kind: m.kind,
    body: m.body,
    clientMsgId: null,
    createdAt: m.createdAt,
    editedAt: m.editedAt,
    deletedAt: null,
    systemEvent: null,
    // A reply answers the copy of its original; one whose original was not copied answers nothing.
    replyToId: (m.replyToId && ids.get(m.replyToId)) ?? null,
  }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await trx
      .insertInto('messages')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
  const lastPublic = rows.findLast((r) => r.kind !== 'note');
  if (lastPublic) {
    await trx
      .updateTable('conversations')
      .set({ publicLastSeq: lastPublic.seq, publicUpdatedAt: at })
      .where('workspaceId', '=', ws.workspaceId)
      .where('id', '=', conversationId)
      .execute();
  }
  return rows;
}

/** Members of a conversation with their read cursors. */
export const listMembers = (db: Db, ws: Scope, conversationId: string) =>
  db
    .selectFrom('conversationMembers')
    .select(['userId', 'lastReadSeq'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .execute();

export const touchTicket = (db: Db, ws: Scope, ticketId: string, at: number) =>
  db
    .updateTable('tickets')
    .set({ updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', ticketId)
    .execute();
