import { isUnread, type UnreadMessage } from '@parley/client';
import { mentionsOf } from '@parley/markdown';
import type { Conversation, Message } from '@parley/protocol';

/** Who reads: their id (their own messages never count) and username (what `@` names them by). */
export interface Reader {
  selfId: string;
  username: string;
}

export type MentionMessage = UnreadMessage & Pick<Message, 'body'>;

/**
 * Whether a message mentions the reader as the server counts it ([RT-READ], `mentionCount`):
 * `@username`, or `@all` from an admin of a group.
 */
export function mentionsReader(
  message: MentionMessage,
  reader: Reader,
  conversation: Pick<Conversation, 'kind' | 'adminIds'>,
): boolean {
  if (!message.body || !reader.username) return false;
  const names = mentionsOf(message.body);
  if (names.includes(reader.username.toLowerCase())) return true;
  return (
    names.includes('all') &&
    conversation.kind === 'group' &&
    message.senderId !== null &&
    conversation.adminIds.includes(message.senderId)
  );
}

/**
 * What is unread after `lastReadSeq` among `messages` (each once, by id), and how much of it
 * mentions the reader: the counts a "mark unread" sets before the server confirms them.
 */
export function unreadCountsOf(
  messages: Iterable<MentionMessage>,
  lastReadSeq: number,
  reader: Reader,
  conversation: Pick<Conversation, 'kind' | 'adminIds'>,
): { unreadCount: number; mentionCount: number } {
  const latest = new Map<string, MentionMessage>();
  for (const m of messages) latest.set(m.id, m);
  let unreadCount = 0;
  let mentionCount = 0;
  for (const m of latest.values()) {
    if (!isUnread(m, lastReadSeq, reader.selfId)) continue;
    unreadCount++;
    if (mentionsReader(m, reader, conversation)) mentionCount++;
  }
  return { unreadCount, mentionCount };
}
