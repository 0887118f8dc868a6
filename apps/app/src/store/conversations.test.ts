import type { Conversation, Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import reducer, {
  conversationCreated,
  loadConversation,
  loadConversations,
  messageArrived,
  readArrived,
} from './conversations';
import { messageUpdated } from './messages';

const conversation = (id: string, changes: Partial<Conversation> = {}): Conversation => ({
  id,
  kind: 'direct',
  ticketId: null,
  title: null,
  members: [],
  readSeqs: {},
  lastMessage: null,
  lastSeq: 2,
  lastReadSeq: 2,
  unreadCount: 0,
  updatedAt: '2026-11-25T10:00:00.000Z',
  ...changes,
});

const message = (conversationId: string, seq: number, senderId: string): Message => ({
  id: `${conversationId}-${seq}`,
  conversationId,
  seq,
  senderId,
  clientMsgId: null,
  body: 'hi',
  kind: 'text',
  system: null,
  createdAt: `2026-11-25T11:0${seq}:00.000Z`,
  editedAt: null,
  deletedAt: null,
  reactions: [],
  attachments: [],
  replyTo: null,
});

const loaded = () =>
  reducer(
    undefined,
    loadConversations.fulfilled(
      { items: [conversation('a'), conversation('b', { updatedAt: '2026-11-25T10:30:00.000Z' })], nextCursor: null },
      'r',
      undefined,
    ),
  );

describe('the conversations slice', () => {
  it('counts unread live and moves the conversation to the top; my own messages do not count', () => {
    let state = loaded();
    expect(state.ids).toEqual(['b', 'a']);
    state = reducer(state, messageArrived({ message: message('a', 3, 'dan'), selfId: 'me' }));
    state = reducer(state, messageArrived({ message: message('a', 4, 'me'), selfId: 'me' }));
    expect(state.ids).toEqual(['a', 'b']);
    expect(state.byId.a).toMatchObject({ unreadCount: 1, lastSeq: 4, lastMessage: { seq: 4 } });
  });

  it('shows the last message edited or deleted in the preview, and leaves older ones be', () => {
    let state = reducer(loaded(), messageArrived({ message: message('a', 3, 'dan'), selfId: 'me' }));
    const deleted = { ...message('a', 3, 'dan'), body: '', deletedAt: '2026-11-25T11:00:00.000Z' };
    state = reducer(state, messageUpdated(deleted));
    expect(state.byId.a?.lastMessage).toMatchObject({ id: 'a-3', deletedAt: '2026-11-25T11:00:00.000Z' });
    state = reducer(state, messageUpdated({ ...message('a', 2, 'dan'), body: 'edited' }));
    expect(state.byId.a?.lastMessage).toMatchObject({ id: 'a-3', body: '' });
  });

  it('lists a conversation someone just opened with me, then counts its first message unread', () => {
    const fresh = conversation('c', { lastSeq: 0, lastReadSeq: 0, updatedAt: '2026-11-25T10:45:00.000Z' });
    let state = reducer(loaded(), conversationCreated(fresh));
    expect(state.ids).toEqual(['c', 'b', 'a']);
    state = reducer(state, messageArrived({ message: message('c', 1, 'dan'), selfId: 'me' }));
    expect(state.byId.c).toMatchObject({ unreadCount: 1, lastSeq: 1, lastMessage: { seq: 1 } });
    // Told again (another tab opened it too): what we know already stays.
    state = reducer(state, conversationCreated(fresh));
    expect(state.byId.c).toMatchObject({ unreadCount: 1, lastSeq: 1 });
  });

  it('clears unread when I read on another device, and remembers how far others have read', () => {
    let state = reducer(loaded(), messageArrived({ message: message('a', 3, 'dan'), selfId: 'me' }));
    state = reducer(state, readArrived({ conversationId: 'a', userId: 'dan', seq: 3, selfId: 'me' }));
    expect(state.byId.a!.unreadCount).toBe(1);
    expect(state.readers.a).toEqual({ dan: 3 });
    state = reducer(state, readArrived({ conversationId: 'a', userId: 'me', seq: 3, selfId: 'me' }));
    expect(state.byId.a).toMatchObject({ unreadCount: 0, lastReadSeq: 3 });
  });

  it('remembers how far others have read from a fresh load, so "seen" marks survive a reload', () => {
    let state = reducer(
      undefined,
      loadConversations.fulfilled(
        { items: [conversation('a', { readSeqs: { me: 2, dan: 2 } })], nextCursor: null },
        'r',
        undefined,
      ),
    );
    expect(state.readers.a).toEqual({ me: 2, dan: 2 });
    // A receipt that came live is not undone by an older snapshot.
    state = reducer(state, readArrived({ conversationId: 'a', userId: 'dan', seq: 5, selfId: 'me' }));
    state = reducer(
      state,
      loadConversation.fulfilled(conversation('a', { readSeqs: { me: 2, dan: 4, eve: 1 } }), 'r', 'a'),
    );
    expect(state.readers.a).toEqual({ me: 2, dan: 5, eve: 1 });
  });
});
