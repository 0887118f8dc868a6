import type { SystemEvent } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { compiledStatement } from '../db/compiled-statement';
import { MESSAGE_COLUMNS, type MessageKind, type MessageRow } from '../db/schema';
import { newId } from '../ids';

export interface NewMessage {
  conversationId: string;
  senderId: string | null;
  kind: MessageKind;
  body: string;
  clientMsgId: string | null;
  at: number;
  /** For system messages: what happened, as data (`body` says it in English). */
  systemEvent?: SystemEvent | undefined;
  /** The message of the same conversation it answers. */
  replyToId?: string | null;
}

/**
 * Inserts a message with the next `seq` of its conversation. Must run inside a transaction:
 * bumping `conversations.last_seq` first takes that row's write lock, so concurrent senders to
 * one conversation queue up and each gets its own seq (SQLite has a single writer anyway).
 * A note leaves the public seq and time alone: customers must not learn it exists.
 */
export async function insertMessage(trx: Db, ws: Scope, m: NewMessage): Promise<MessageRow> {
  const values = { workspaceId: ws.workspaceId, conversationId: m.conversationId, at: m.at };
  const bumped = await bumpSeq(trx, values, m.kind === 'note' ? 'note' : 'public');
  // MariaDB has no RETURNING: it reads the row it has just locked and changed.
  const lastSeq = Number(
    trx.getExecutor().adapter.supportsReturning
      ? bumped.rows[0]!.lastSeq
      : (await readLastSeq(trx, values)).rows[0]!.lastSeq,
  );
  const row: MessageRow = {
    id: newId(),
    workspaceId: ws.workspaceId,
    conversationId: m.conversationId,
    seq: lastSeq,
    senderId: m.senderId,
    kind: m.kind,
    body: m.body,
    clientMsgId: m.clientMsgId,
    createdAt: m.at,
    editedAt: null,
    deletedAt: null,
    systemEvent: m.systemEvent ? JSON.stringify(m.systemEvent) : null,
    replyToId: m.replyToId ?? null,
  };
  await insertRow(trx, row);
  return row;
}

/** The conversation's next seq; a note leaves the public seq and time alone. */
const bumpSeq = compiledStatement(
  (trx, v: { workspaceId: string; conversationId: string; at: number }, shape: 'note' | 'public') => {
    const bump = trx
      .updateTable('conversations')
      .set((eb) => ({
        // Before `lastSeq`: MariaDB assigns left to right and would read the new value otherwise.
        ...(shape === 'public' && { publicLastSeq: eb('lastSeq', '+', 1), publicUpdatedAt: v.at }),
        lastSeq: eb('lastSeq', '+', 1),
        updatedAt: v.at,
      }))
      .where('workspaceId', '=', v.workspaceId)
      .where('id', '=', v.conversationId);
    return trx.getExecutor().adapter.supportsReturning ? bump.returning('lastSeq') : bump;
  },
);

const readLastSeq = compiledStatement((trx, v: { workspaceId: string; conversationId: string }) =>
  trx
    .selectFrom('conversations')
    .select('lastSeq')
    .where('workspaceId', '=', v.workspaceId)
    .where('id', '=', v.conversationId),
);

const insertRow = compiledStatement((trx, row: MessageRow) =>
  trx.insertInto('messages').values({
    id: row.id,
    workspaceId: row.workspaceId,
    conversationId: row.conversationId,
    seq: row.seq,
    senderId: row.senderId,
    kind: row.kind,
    body: row.body,
    clientMsgId: row.clientMsgId,
    createdAt: row.createdAt,
    editedAt: row.editedAt,
    deletedAt: row.deletedAt,
    systemEvent: row.systemEvent,
    replyToId: row.replyToId,
  }),
);

export const findMessageByClientId = (db: Db, ws: Scope, senderId: string, clientMsgId: string) =>
  db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('workspaceId', '=', ws.workspaceId)
    .where('senderId', '=', senderId)
    .where('clientMsgId', '=', clientMsgId)
    .executeTakeFirst();

export const findMessage = (db: Db, ws: Scope, conversationId: string, messageId: string) =>
  db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', messageId)
    .where('conversationId', '=', conversationId)
    .executeTakeFirst();

/** A member's row of a conversation: cursor, receipt, mute, group admin (undefined: no member). */
export const findMembership = (db: Db, ws: Scope, conversationId: string, userId: string) =>
  db
    .selectFrom('conversationMembers')
    .select(['lastReadSeq', 'receiptSeq', 'muted', 'isAdmin'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .executeTakeFirst();

/**
 * Adds the user to the conversation if missing (unless `join` is false), and moves their read
 * cursor (and their receipt, which never moves back) up to `seq`. Returns where their receipt
 * was before, as the others saw it (null: not a member).
 */
export async function markMemberRead(
  trx: Db,
  ws: Scope,
  conversationId: string,
  userId: string,
  seq: number,
  at: number,
  { join = true }: { join?: boolean } = {},
): Promise<number | null> {
  const member = await findMembership(trx, ws, conversationId, userId);
  if (!member) {
    if (!join) return null;
    await trx
      .insertInto('conversationMembers')
      .values({ workspaceId: ws.workspaceId, conversationId, userId, lastReadSeq: seq, receiptSeq: seq, createdAt: at })
      .execute();
  } else if (member.lastReadSeq < seq || member.receiptSeq < seq) {
    await trx
      .updateTable('conversationMembers')
      .set({ lastReadSeq: Math.max(member.lastReadSeq, seq), receiptSeq: Math.max(member.receiptSeq, seq) })
      .where('workspaceId', '=', ws.workspaceId)
      .where('conversationId', '=', conversationId)
      .where('userId', '=', userId)
      .execute();
  }
  return member?.receiptSeq ?? null;
}

/**
 * Moves a member's read cursor and receipt forward to `seq` (never back), in one statement.
 * Nothing happens to someone who is not a member: `markMemberRead` joins them.
 */
export async function advanceCursors(db: Db, ws: Scope, conversationId: string, userId: string, seq: number) {
  await advance(db, { workspaceId: ws.workspaceId, conversationId, userId, seq });
}

const advance = compiledStatement(
  (db, v: { workspaceId: string; conversationId: string; userId: string; seq: number }) =>
    db
      .updateTable('conversationMembers')
      .set((eb) => ({
        lastReadSeq: eb.case().when('lastReadSeq', '<', v.seq).then(eb.val(v.seq)).else(eb.ref('lastReadSeq')).end(),
        receiptSeq: eb.case().when('receiptSeq', '<', v.seq).then(eb.val(v.seq)).else(eb.ref('receiptSeq')).end(),
      }))
      .where('workspaceId', '=', v.workspaceId)
      .where('conversationId', '=', v.conversationId)
      .where('userId', '=', v.userId)
      .where((eb) => eb.or([eb('lastReadSeq', '<', v.seq), eb('receiptSeq', '<', v.seq)])),
);

/**
 * Moves the member's own cursor back to just before `seq` ("mark unread from here"); their
 * receipt stays. Returns the cursor now (null: not a member, nothing to mark).
 */
export async function moveCursorBack(
  trx: Db,
  ws: Scope,
  conversationId: string,
  userId: string,
  seq: number,
): Promise<number | null> {
  await trx
    .updateTable('conversationMembers')
    .set({ lastReadSeq: seq - 1 })
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('userId', '=', userId)
    .where('lastReadSeq', '>=', seq)
    .execute();
  return (await findMembership(trx, ws, conversationId, userId))?.lastReadSeq ?? null;
}

/**
 * A sender has read up to their own message. One statement when they are a member already (the
 * send path's usual case); otherwise as `markMemberRead`, which joins them. Their message is the
 * newest, so it is past their receipt too.
 */
export async function moveSenderCursor(
  trx: Db,
  ws: Scope,
  conversationId: string,
  userId: string,
  seq: number,
  at: number,
  options: { join: boolean },
): Promise<void> {
  const { numAffectedRows } = await moveCursorTo(trx, { workspaceId: ws.workspaceId, conversationId, userId, seq });
  if (!numAffectedRows) await markMemberRead(trx, ws, conversationId, userId, seq, at, options);
}

const moveCursorTo = compiledStatement(
  (trx, v: { workspaceId: string; conversationId: string; userId: string; seq: number }) =>
    trx
      .updateTable('conversationMembers')
      .set({ lastReadSeq: v.seq, receiptSeq: v.seq })
      .where('workspaceId', '=', v.workspaceId)
      .where('conversationId', '=', v.conversationId)
      .where('userId', '=', v.userId)
      .where('receiptSeq', '<', v.seq),
);

/** Where the thread stands now: its last seq, or the last one a reader who may not see notes sees. */
export async function currentLastSeq(db: Db, ws: Scope, conversationId: string, seesNotes: boolean): Promise<number> {
  const row = (await seqsOf(db, { workspaceId: ws.workspaceId, conversationId })).rows[0];
  return Number((seesNotes ? row?.lastSeq : row?.publicLastSeq) ?? 0);
}

const seqsOf = compiledStatement((db, v: { workspaceId: string; conversationId: string }) =>
  db
    .selectFrom('conversations')
    .select(['lastSeq', 'publicLastSeq'])
    .where('workspaceId', '=', v.workspaceId)
    .where('id', '=', v.conversationId),
);

/** The seq of the last message at or before `seq` that is not an internal note (0: none). */
export async function lastPublicSeqAtOrBelow(db: Db, ws: Scope, conversationId: string, seq: number): Promise<number> {
  const row = await db
    .selectFrom('messages')
    .select('seq')
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .where('seq', '<=', seq)
    .where('kind', '!=', 'note')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.seq ?? 0;
}

/**
 * Changes a message unless it is deleted; answers whether it did. Edits and deletions are
 * conditional so that one racing a deletion cannot bring text back into a tombstone.
 */
export async function updateLiveMessage(
  trx: Db,
  ws: Scope,
  messageId: string,
  set: Partial<Pick<MessageRow, 'body' | 'editedAt' | 'deletedAt'>>,
): Promise<boolean> {
  const result = await trx
    .updateTable('messages')
    .set(set)
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', messageId)
    .where('deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Takes a live message's row lock (an update that changes nothing), so its reactions change one
 * writer at a time and never after it is deleted. False if it is deleted.
 */
export const lockLiveMessage = (trx: Db, ws: Scope, messageId: string) =>
  updateLiveMessage(trx, ws, messageId, { deletedAt: null });

/** What a reply shows of the message it answers. */
export type ReplyTargetRow = Pick<MessageRow, 'id' | 'seq' | 'senderId' | 'body' | 'deletedAt'>;

export const listReplyTargets = (db: Db, ws: Scope, messageIds: readonly string[]): Promise<ReplyTargetRow[]> =>
  db
    .selectFrom('messages')
    .select(['id', 'seq', 'senderId', 'body', 'deletedAt'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', 'in', messageIds)
    .execute();

export async function listReactionEmoji(db: Db, ws: Scope, messageId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('reactions')
    .select('emoji')
    .distinct()
    .where('workspaceId', '=', ws.workspaceId)
    .where('messageId', '=', messageId)
    .execute();
  return rows.map((r) => r.emoji);
}

export async function listReactions(db: Db, ws: Scope, messageIds: readonly string[]) {
  if (messageIds.length === 0) return [];
  return db
    .selectFrom('reactions')
    .select(['messageId', 'userId', 'emoji'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('messageId', 'in', [...messageIds])
    .orderBy('createdAt')
    .orderBy('userId')
    .execute();
}

export async function insertMessageEdit(
  trx: Db,
  ws: Scope,
  edit: { messageId: string; editorId: string; body: string; editedAt: number },
): Promise<void> {
  await trx
    .insertInto('messageEdits')
    .values({ id: newId(), workspaceId: ws.workspaceId, ...edit })
    .execute();
}

export const listMessageEditRows = (db: Db, ws: Scope, messageId: string) =>
  db
    .selectFrom('messageEdits')
    .select(['body', 'editorId', 'editedAt'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('messageId', '=', messageId)
    .orderBy('editedAt')
    .orderBy('id')
    .execute();

export async function deleteMessageEdits(trx: Db, ws: Scope, messageId: string): Promise<void> {
  await trx
    .deleteFrom('messageEdits')
    .where('workspaceId', '=', ws.workspaceId)
    .where('messageId', '=', messageId)
    .execute();
}
