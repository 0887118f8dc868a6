import { mentionsOf } from '@parley/markdown';
import { sql } from 'kysely';
import type { Actor, Scope } from '../auth/actor';
import { isTrue } from './conversation-access';
import type { Db } from '../db/connect';
import { MESSAGE_COLUMNS, type MessageRow } from '../db/schema';

// What a list shows of each thread, for a whole page at once: its newest message and the
// reader's unread count. Shared by the conversation list and the ticket queue, so both say the
// same. `hideNotes`: the reader may not see internal notes, which then neither show nor count.

/**
 * The newest message of each conversation (that the reader may see), in one query: the one at
 * the thread's last seq, or its last public seq for a reader who may not see notes. Seqs are
 * kept with every message written (a merge included) and messages are never removed, so this
 * is an index lookup per thread where ranking all of a thread's messages grew with its length.
 */
export async function lastVisibleMessages(
  db: Db,
  ws: Scope,
  conversationIds: string[],
  hideNotes: boolean,
): Promise<MessageRow[]> {
  if (conversationIds.length === 0) return [];
  return db
    .selectFrom('conversations')
    .innerJoin('messages', (join) =>
      join
        .onRef('messages.conversationId', '=', 'conversations.id')
        .onRef('messages.seq', '=', hideNotes ? 'conversations.publicLastSeq' : 'conversations.lastSeq'),
    )
    .select(MESSAGE_COLUMNS.map((column) => `messages.${column}` as const))
    .where('conversations.workspaceId', '=', ws.workspaceId)
    .where('conversations.id', 'in', conversationIds)
    .where('messages.workspaceId', '=', ws.workspaceId)
    .execute();
}

/**
 * The messages after the reader's read cursor in these conversations that they may see and did
 * not send themselves, deleted ones aside: what counts as unread. A reader who is no member (an
 * agent of the ticket's team who never opened it) has read nothing yet.
 */
function unreadMessages(db: Db, actor: Actor, conversationIds: string[], hideNotes: boolean) {
  return db
    .selectFrom('messages')
    .leftJoin('conversationMembers as me', (join) =>
      join
        .onRef('me.conversationId', '=', 'messages.conversationId')
        .on('me.workspaceId', '=', actor.workspaceId)
        .on('me.userId', '=', actor.id),
    )
    .where('messages.workspaceId', '=', actor.workspaceId)
    .where('messages.conversationId', 'in', conversationIds)
    .where((eb) => eb('messages.seq', '>', eb.fn.coalesce('me.lastReadSeq', eb.lit(0))))
    .where('messages.deletedAt', 'is', null)
    .where((eb) => eb.or([eb('messages.senderId', 'is', null), eb('messages.senderId', '!=', actor.id)]))
    .$if(hideNotes, (q) => q.where('messages.kind', '!=', 'note'));
}

/** Per conversation, how many of its messages are unread (`unreadMessages`), in one query. */
export async function countUnread(
  db: Db,
  actor: Actor,
  conversationIds: string[],
  hideNotes: boolean,
): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const rows = await unreadMessages(db, actor, conversationIds, hideNotes)
    .select(['messages.conversationId', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('messages.conversationId')
    .execute();
  return new Map(rows.map((u) => [u.conversationId, Number(u.count)]));
}

/**
 * Per conversation, the unread messages (as `countUnread` counts them) that mention the reader:
 * `@username`, or `@all` from an admin of a group. The database narrows them to bodies that
 * contain either word; the markdown parser then drops those where it is no mention (code, links).
 */
export async function countUnreadMentions(
  db: Db,
  actor: Actor,
  conversationIds: string[],
  hideNotes: boolean,
): Promise<Map<string, number>> {
  if (conversationIds.length === 0) return new Map();
  const me = await db.selectFrom('users').select('usernameKey').where('id', '=', actor.id).executeTakeFirst();
  if (!me) return new Map();
  const lowered = sql<string>`lower(messages.body)`;
  const rows = await unreadMessages(db, actor, conversationIds, hideNotes)
    .leftJoin('conversationMembers as sender', (join) =>
      join
        .onRef('sender.conversationId', '=', 'messages.conversationId')
        .on('sender.workspaceId', '=', actor.workspaceId)
        .onRef('sender.userId', '=', 'messages.senderId'),
    )
    .select(['messages.conversationId', 'messages.body', 'sender.isAdmin'])
    .where('messages.kind', '!=', 'system') // a group named "@all" mentions no one
    // (`_` in a username matches any character here: that only lets a few more rows through.)
    .where((eb) => eb.or([eb(lowered, 'like', `%@${me.usernameKey}%`), eb(lowered, 'like', '%@all%')]))
    .execute();
  const counts = new Map<string, number>();
  for (const row of rows) {
    const names = mentionsOf(row.body);
    const mentioned = names.includes(me.usernameKey) || (names.includes('all') && isTrue(row.isAdmin));
    if (mentioned) counts.set(row.conversationId, (counts.get(row.conversationId) ?? 0) + 1);
  }
  return counts;
}
