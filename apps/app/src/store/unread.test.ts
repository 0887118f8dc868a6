import type { Conversation, Message, Ticket, TicketListItem } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { mentionsReader, unreadCountsOf } from '../chat/mention-count';
import reducer, {
  conversationMuted,
  loadConversation,
  loadConversations,
  markRead,
  messageArrived,
  readArrived,
  type ConversationsState,
} from './conversations';
import ticketsReducer, { loadTickets } from './tickets';
import { selectMessagesBadge } from './unread';

const conversation = (id: string, changes: Partial<Conversation> = {}): Conversation => ({
  id,
  kind: 'direct',
  ticketId: null,
  title: null,
  topic: null,
  members: [],
  adminIds: [],
  readSeqs: {},
  lastMessage: null,
  lastSeq: 2,
  lastReadSeq: 2,
  unreadCount: 0,
  mentionCount: 0,
  muted: false,
  notify: 'all',
  updatedAt: '2026-11-25T10:00:00.000Z',
  ...changes,
});

const message = (conversationId: string, seq: number, senderId: string, body = 'hi'): Message => ({
  id: `${conversationId}-${seq}`,
  conversationId,
  seq,
  senderId,
  clientMsgId: null,
  body,
  kind: 'text',
  system: null,
  createdAt: `2026-11-25T11:0${seq}:00.000Z`,
  editedAt: null,
  deletedAt: null,
  reactions: [],
  attachments: [],
  replyTo: null,
});

const me = { selfId: 'me', selfUsername: 'Carla' };
const loaded = (...items: Conversation[]) =>
  reducer(undefined, loadConversations.fulfilled({ items, nextCursor: null }, 'r', undefined));
const arrive = (state: ConversationsState, m: Message) => reducer(state, messageArrived({ message: m, ...me }));
const ownRead = (seq: number, markedUnread?: { unreadCount: number; mentionCount: number }) =>
  readArrived({ conversationId: 'a', userId: 'me', seq, selfId: 'me', markedUnread });

describe('mentions of the reader', () => {
  const reader = { selfId: 'me', username: 'Carla' };
  const direct = { kind: 'direct' as const, adminIds: [] };
  const group = { kind: 'group' as const, adminIds: ['boss'] };

  it('[RT-READ] counts @username (any case) and @all from an admin of a group, not from others', () => {
    expect(mentionsReader(message('a', 3, 'sam', 'Hi @carla, look'), reader, direct)).toBe(true);
    expect(mentionsReader(message('a', 3, 'sam', 'Hi @carlos'), reader, direct)).toBe(false);
    expect(mentionsReader(message('a', 3, 'sam', 'Hi `@carla`'), reader, direct)).toBe(false);
    expect(mentionsReader(message('g', 3, 'boss', '@all standup'), reader, group)).toBe(true);
    expect(mentionsReader(message('g', 3, 'sam', '@all standup'), reader, group)).toBe(false);
    expect(mentionsReader(message('a', 3, 'sam', '@all standup'), reader, direct)).toBe(false);
  });

  it('counts what is unread after a cursor, and the mentions among it, each message once', () => {
    const messages = [
      message('a', 1, 'sam', '@carla early'),
      message('a', 2, 'sam', 'hello'),
      message('a', 3, 'me', 'hi @carla (my own)'),
      message('a', 4, 'sam', '@carla ping'),
      { ...message('a', 5, 'sam', ''), deletedAt: '2026-11-25T12:00:00.000Z' },
      message('a', 4, 'sam', '@carla ping'),
    ];
    expect(unreadCountsOf(messages, 1, reader, direct)).toEqual({ unreadCount: 2, mentionCount: 1 });
    expect(unreadCountsOf(messages, 0, reader, direct)).toEqual({ unreadCount: 3, mentionCount: 2 });
  });
});

describe('unread and mention counts in the conversations slice', () => {
  it('[RT-READ] counts a live mention of me, reading to the end clears it, a partial read keeps at most the unread', () => {
    let state = loaded(conversation('a'));
    state = arrive(state, message('a', 3, 'sam', 'Hi @carla'));
    state = arrive(state, message('a', 4, 'sam', 'Are you there?'));
    state = arrive(state, message('a', 4, 'sam', 'Are you there?')); // redelivered
    state = arrive(state, message('a', 5, 'me', '@carla note to self'));
    expect(state.byId.a).toMatchObject({ unreadCount: 2, mentionCount: 1 });
    state = arrive(state, message('a', 6, 'sam', '@CARLA again'));
    expect(state.byId.a).toMatchObject({ unreadCount: 3, mentionCount: 2 });
    state = reducer(state, ownRead(5));
    expect(state.byId.a).toMatchObject({ lastReadSeq: 5, unreadCount: 1, mentionCount: 1 });
    state = reducer(state, ownRead(6));
    expect(state.byId.a).toMatchObject({ lastReadSeq: 6, unreadCount: 0, mentionCount: 0 });
  });

  it('[RT-READ] a mark unread sets the cursor back with its counts, and leaves the seen marks of others be', () => {
    let state = loaded(conversation('a', { lastSeq: 6, lastReadSeq: 6, readSeqs: { me: 6, sam: 6 } }));
    state = reducer(state, ownRead(3, { unreadCount: 3, mentionCount: 1 }));
    expect(state.byId.a).toMatchObject({ lastReadSeq: 3, unreadCount: 3, mentionCount: 1, lastSeq: 6 });
    expect(state.readers.a).toEqual({ me: 6, sam: 6 });
    expect(state.unreadMarks.a).toEqual({ seq: 3, n: 1 });
    // Marked again at the same place: a new mark (an open chat moves its divider again).
    state = reducer(state, ownRead(3, { unreadCount: 3, mentionCount: 1 }));
    expect(state.unreadMarks.a).toEqual({ seq: 3, n: 2 });
    // Another member's receipt moves nothing of mine.
    state = reducer(state, readArrived({ conversationId: 'a', userId: 'sam', seq: 6, selfId: 'me' }));
    expect(state.byId.a).toMatchObject({ lastReadSeq: 3, unreadCount: 3 });
  });

  it('[RT-READ] applying the frames to stale state equals a fresh load', () => {
    let state = loaded(conversation('a', { lastSeq: 2, lastReadSeq: 2 }));
    state = arrive(state, message('a', 3, 'sam', '@carla one'));
    state = arrive(state, message('a', 4, 'sam', 'two'));
    state = reducer(state, ownRead(4));
    state = reducer(state, ownRead(2, { unreadCount: 2, mentionCount: 1 }));
    state = reducer(state, conversationMuted({ conversationId: 'a', muted: true, notify: 'mentions' }));
    const fresh = reducer(
      undefined,
      loadConversation.fulfilled(
        conversation('a', {
          lastSeq: 4,
          lastReadSeq: 2,
          unreadCount: 2,
          mentionCount: 1,
          muted: true,
          notify: 'mentions',
          lastMessage: message('a', 4, 'sam', 'two'),
          updatedAt: '2026-11-25T11:04:00.000Z',
        }),
        'r',
        'a',
      ),
    );
    expect(state.byId.a).toEqual(fresh.byId.a);
  });

  it('reading here to the end clears the mentions too', () => {
    let state = arrive(loaded(conversation('a')), message('a', 3, 'sam', '@carla'));
    state = reducer(state, markRead.fulfilled({ id: 'a', seq: 3 }, 'r', { id: 'a', seq: 3 }));
    expect(state.byId.a).toMatchObject({ unreadCount: 0, mentionCount: 0 });
  });
});

describe('the Messages badge', () => {
  it('[RT-READ] leaves a muted conversation out, but for its mentions', () => {
    let state = loaded(
      conversation('a', { unreadCount: 3, mentionCount: 0 }),
      conversation('b', { unreadCount: 4, mentionCount: 1, muted: true }),
      conversation('c', { unreadCount: 2, mentionCount: 0, muted: true }),
    );
    expect(selectMessagesBadge({ conversations: state })).toBe(3 + 1);
    state = reducer(state, conversationMuted({ conversationId: 'b', muted: false }));
    expect(selectMessagesBadge({ conversations: state })).toBe(3 + 4);
  });

  it('leaves out a conversation set to notify of nothing, mentions included', () => {
    let state = loaded(
      conversation('a', { unreadCount: 3, mentionCount: 0 }),
      conversation('b', { unreadCount: 4, mentionCount: 1, muted: true }),
    );
    state = reducer(state, conversationMuted({ conversationId: 'b', muted: true, notify: 'none' }));
    expect(selectMessagesBadge({ conversations: state })).toBe(3);
  });
});

describe('unread in the tickets slice', () => {
  const ticket: Ticket = {
    id: '1',
    subject: 'Ticket 1',
    description: '',
    status: 'open',
    priority: 'medium',
    requesterId: 'u1',
    assigneeId: null,
    teamId: null,
    conversationId: 'c1',
    createdAt: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    closedAt: null,
    snoozedUntil: null,
    followUpOf: null,
    channel: 'app',
    sla: null,
  };

  it('[RT-READ] a mark unread on another device sets the row unread again, with the server’s count', () => {
    const carla = { id: 'u1', username: 'carla', displayName: 'Carla', avatarUrl: null, statusText: null, bot: false };
    const requester = { ...carla, role: 'customer', roleId: 'customer', roleName: 'Customer' } as const;
    const row: TicketListItem = {
      ...ticket,
      requester,
      assignee: null,
      lastMessage: null,
      lastSeq: 5,
      lastReadSeq: 5,
      unreadCount: 0,
    };
    const sent = ticketsReducer(undefined, loadTickets.pending('list'));
    let state = ticketsReducer(sent, loadTickets.fulfilled({ items: [row], nextCursor: null }, 'list'));
    const mark = { conversationId: 'c1', userId: 'agent', seq: 2, selfId: 'agent' };
    state = ticketsReducer(state, readArrived({ ...mark, markedUnread: { unreadCount: 3, mentionCount: 0 } }));
    expect(state.byId['1']).toMatchObject({ lastReadSeq: 2, unreadCount: 3 });
    state = ticketsReducer(state, readArrived({ ...mark, seq: 5 }));
    expect(state.byId['1']).toMatchObject({ lastReadSeq: 5, unreadCount: 0 });
  });
});
