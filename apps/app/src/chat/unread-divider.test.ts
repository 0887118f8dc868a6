import type { TimelineItem } from '@parley/client';
import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { firstUnreadOf } from './unread-divider';

const row = (seq: number, senderId = 'sam', deleted = false): TimelineItem => {
  const message: Message = {
    id: `m${seq}`,
    conversationId: 'c',
    seq,
    senderId,
    clientMsgId: null,
    body: deleted ? '' : `message ${seq}`,
    kind: 'text',
    system: null,
    createdAt: '2026-11-25T10:00:00.000Z',
    editedAt: null,
    deletedAt: deleted ? '2026-11-25T11:00:00.000Z' : null,
    reactions: [],
    attachments: [],
    replyTo: null,
  };
  return { kind: 'message', key: message.id, message };
};

describe('where the unread divider goes', () => {
  const items = [row(1), row(2, 'me'), row(3, 'me'), row(4, 'sam', true), row(5), row(6)];

  it('[RT-READ] above the first message after the cursor that is unread: not mine, not deleted', () => {
    expect(firstUnreadOf(items, 2, 'me', false)).toEqual({ kind: 'shown', key: 'm5', seq: 5, index: 4 });
    expect(firstUnreadOf(items, 0, 'me', false)).toEqual({ kind: 'shown', key: 'm1', seq: 1, index: 0 });
  });

  it('nowhere once everything shown is read', () => {
    expect(firstUnreadOf(items, 6, 'me', false)).toEqual({ kind: 'none' });
    expect(firstUnreadOf([], 0, 'me', false)).toEqual({ kind: 'none' });
  });

  it('in older history when messages between the cursor and the first one shown are not loaded', () => {
    const newest = items.slice(4); // 5 and 6, with older pages not loaded
    expect(firstUnreadOf(newest, 2, 'me', true)).toEqual({ kind: 'older' });
    // The cursor is right before the first shown: it is the first unread.
    expect(firstUnreadOf(newest, 4, 'me', true)).toEqual({ kind: 'shown', key: 'm5', seq: 5, index: 0 });
    // Everything loaded back to the start: the rows shown are all there is.
    expect(firstUnreadOf(newest, 2, 'me', false)).toEqual({ kind: 'shown', key: 'm5', seq: 5, index: 0 });
  });
});
