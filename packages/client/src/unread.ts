import type { Message } from '@parley/protocol';

/**
 * Unread counts, computed the way the server does: messages after the reader's `lastReadSeq`,
 * not deleted, not sent by the reader (system messages, `senderId: null`, do count). Notes never
 * reach customers, so counting what was received is enough.
 */

export type UnreadMessage = Pick<Message, 'id' | 'seq' | 'senderId' | 'deletedAt'>;

/** Whether a message counts as unread for `selfId` at `lastReadSeq`. */
export function isUnread(message: UnreadMessage, lastReadSeq: number, selfId: string): boolean {
  return message.seq > lastReadSeq && message.deletedAt === null && message.senderId !== selfId;
}

/** Unread messages among `messages` (duplicates by id count once, the last version wins). */
export function unreadCount(input: { lastReadSeq: number; messages: Iterable<UnreadMessage>; selfId: string }): number {
  const latest = new Map<string, UnreadMessage>();
  for (const m of input.messages) latest.set(m.id, m);
  let count = 0;
  for (const m of latest.values()) if (isUnread(m, input.lastReadSeq, input.selfId)) count++;
  return count;
}

/** A conversation's unread state, as `Conversation` gives it, kept current by realtime frames. */
export interface UnreadState {
  lastReadSeq: number;
  unreadCount: number;
  /** The highest seq known (bounds the count when a receipt lands between unseen messages). */
  lastSeq: number;
}

/** A new message (`message` frame, not `message.updated`): one more unread unless it is ours. */
export function onMessage(state: UnreadState, message: UnreadMessage, selfId: string): UnreadState {
  if (message.seq <= state.lastSeq) return state; // a redelivery: already counted (or read)
  const unread = isUnread(message, state.lastReadSeq, selfId) ? 1 : 0;
  return { ...state, lastSeq: message.seq, unreadCount: state.unreadCount + unread };
}

/**
 * A `read` receipt. Only our own (from another device, or this one) moves our `lastReadSeq`:
 * forward, or back to where a "mark unread" (`markedUnread`) put it.
 * With the loaded `messages` the count is recomputed from them; without, it drops to 0 when the
 * receipt reaches `lastSeq` and otherwise to at most the number of seqs left after it.
 */
export function onRead(
  state: UnreadState,
  receipt: { userId: string; seq: number; markedUnread?: { unreadCount: number } | undefined },
  selfId: string,
  messages?: Iterable<UnreadMessage>,
): UnreadState {
  if (receipt.userId !== selfId) return state;
  // "Mark unread" on another device: the cursor goes back, with the server's count.
  if (receipt.markedUnread) {
    return {
      lastReadSeq: receipt.seq,
      lastSeq: Math.max(state.lastSeq, receipt.seq),
      unreadCount: receipt.markedUnread.unreadCount,
    };
  }
  if (receipt.seq <= state.lastReadSeq) return state;
  const lastReadSeq = receipt.seq;
  const lastSeq = Math.max(state.lastSeq, receipt.seq);
  const count =
    messages === undefined
      ? Math.min(state.unreadCount, lastSeq - lastReadSeq)
      : unreadCount({ lastReadSeq, messages, selfId });
  return { lastReadSeq, lastSeq, unreadCount: count };
}
