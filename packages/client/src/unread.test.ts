import { describe, expect, it } from 'vitest';
import { onMessage, onRead, unreadCount, type UnreadMessage } from './unread';

const ME = 'me';
const m = (seq: number, senderId: string | null = 'other', deletedAt: string | null = null): UnreadMessage => ({
  id: `m${seq}`,
  seq,
  senderId,
  deletedAt,
});

describe('unread', () => {
  it('counts messages after lastReadSeq, except our own and deleted ones, once per id', () => {
    const messages = [m(1), m(2), m(3, ME), m(4, null), m(5, 'other', '2026-01-01T00:00:00Z'), m(6), m(6)];
    expect(unreadCount({ lastReadSeq: 1, messages, selfId: ME })).toBe(3); // 2, 4 (system), 6
    expect(unreadCount({ lastReadSeq: 6, messages, selfId: ME })).toBe(0);
  });

  it('follows live messages and read receipts', () => {
    let s = { lastReadSeq: 2, unreadCount: 1, lastSeq: 3 };
    s = onMessage(s, m(4), ME);
    s = onMessage(s, m(5, ME), ME); // own messages never count
    s = onMessage(s, m(4), ME); // a redelivery
    expect(s).toEqual({ lastReadSeq: 2, unreadCount: 2, lastSeq: 5 });
    expect(onRead(s, { userId: 'other', seq: 5 }, ME)).toBe(s); // someone else's receipt
    expect(onRead(s, { userId: ME, seq: 4 }, ME).unreadCount).toBe(1); // at most seq 5 is left
    expect(onRead(s, { userId: ME, seq: 5 }, ME)).toEqual({ lastReadSeq: 5, unreadCount: 0, lastSeq: 5 });
    expect(onRead(s, { userId: ME, seq: 3 }, ME, [m(3), m(4), m(5, ME)]).unreadCount).toBe(1);
    expect(onRead(s, { userId: ME, seq: 1 }, ME)).toBe(s); // never moves back
  });

  it('moves back where "mark unread" on another device put it, with the count it brings', () => {
    const read = { lastReadSeq: 9, unreadCount: 0, lastSeq: 9 };
    const marked = onRead(read, { userId: ME, seq: 6, markedUnread: { unreadCount: 2 } }, ME);
    expect(marked).toEqual({ lastReadSeq: 6, unreadCount: 2, lastSeq: 9 });
    // Someone else's cursor is theirs.
    expect(onRead(read, { userId: 'other', seq: 6, markedUnread: { unreadCount: 2 } }, ME)).toBe(read);
  });
});
