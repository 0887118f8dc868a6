import type { Conversation, Message, PublicUser } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import reducer, {
  conversationCreated,
  conversationLabelsChanged,
  conversationRemoved,
  conversationUpdated,
  loadConversation,
  loadConversations,
  messageArrived,
  readArrived,
  selectChat,
} from './conversations';
import { removeGroupMember, updateGroup } from './groups';
import { labelDeleted, labelSaved } from './labels';
import { messageUpdated } from './messages';

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

  it('keeps a read and a new message that came live while an older answer was on its way', () => {
    // Opening a chat fetches it and reads it: the read's receipt may come before the answer.
    const stale = conversation('a', { lastSeq: 5, lastReadSeq: 2, unreadCount: 3, mentionCount: 1 });
    let state = reducer(loaded(), loadConversation.fulfilled(stale, 'r1', 'a'));
    state = reducer(state, readArrived({ conversationId: 'a', userId: 'me', seq: 5, selfId: 'me' }));
    state = reducer(state, loadConversation.fulfilled(stale, 'r2', 'a'));
    expect(state.byId.a).toMatchObject({ lastReadSeq: 5, unreadCount: 0, mentionCount: 0 });

    // A list that loads while a message comes in does not take the message back out.
    state = reducer(state, messageArrived({ message: message('a', 6, 'dan'), selfId: 'me' }));
    state = reducer(state, loadConversations.fulfilled({ items: [stale], nextCursor: null }, 'r3', undefined));
    expect(state.byId.a).toMatchObject({ lastSeq: 6, unreadCount: 1, lastMessage: { seq: 6 } });
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

const person = (id: string): PublicUser => ({
  id,
  username: id,
  displayName: id.toUpperCase(),
  avatarUrl: null,
  statusText: null,
  role: 'agent',
  roleId: 'agent',
  roleName: 'Agent',
  bot: false,
});

const group = (changes: Partial<Conversation> = {}) =>
  conversation('g', {
    kind: 'group',
    title: 'Launch',
    members: [person('me'), person('dan'), person('eve')],
    adminIds: ['me'],
    updatedAt: '2026-11-25T10:45:00.000Z',
    ...changes,
  });

describe('groups in the conversations slice', () => {
  const withGroup = () => reducer(loaded(), conversationCreated(group()));

  it('[RT-GROUPS] applies conversation.updated to a stale group as a fresh load would show it', () => {
    let state = reducer(withGroup(), messageArrived({ message: message('g', 3, 'dan'), selfId: 'me' }));
    const info = {
      id: 'g',
      title: 'Launch day',
      topic: 'Friday 9:00',
      members: [person('me'), person('dan'), person('fay')],
      adminIds: ['me', 'dan'],
    };
    state = reducer(state, conversationUpdated(info));
    const fresh = reducer(
      undefined,
      loadConversation.fulfilled(
        { ...state.byId.g!, ...info, lastSeq: 3, lastMessage: message('g', 3, 'dan') },
        'r',
        'g',
      ),
    );
    expect(state.byId.g).toEqual(fresh.byId.g);
    // What only this reader has (unread, last message) stays as it was.
    expect(state.byId.g).toMatchObject({ unreadCount: 1, lastMessage: { seq: 3 } });
    // A group this device does not list (yet) is not made up from the frame.
    expect(reducer(state, conversationUpdated({ ...info, id: 'x' })).byId.x).toBeUndefined();
  });

  it('[RT-GROUPS] drops a group the user was removed from: out of the list and its count, kept for the open chat', () => {
    let state = reducer(withGroup(), messageArrived({ message: message('g', 3, 'dan'), selfId: 'me' }));
    expect(state.ids).toContain('g');
    state = reducer(state, conversationRemoved('g'));
    expect(state.ids).toEqual(['b', 'a']);
    expect(state.byId.g).toBeUndefined();
    expect(selectChat({ conversations: state }, 'g')).toMatchObject({ title: 'Launch', unreadCount: 1 });
    // Nothing later counts (the server sends nothing more; a stray frame changes nothing).
    state = reducer(state, messageArrived({ message: message('g', 4, 'dan'), selfId: 'me' }));
    expect(state.ids).toEqual(['b', 'a']);
    // Added again: listed again, and no longer "gone".
    state = reducer(state, conversationCreated(group({ lastSeq: 6 })));
    expect(state.ids[0]).toBe('g');
    expect(state.gone.g).toBeUndefined();
  });

  it('takes a removed member out of the group at once, and the group out of the list when I leave', () => {
    let state = reducer(
      withGroup(),
      removeGroupMember.fulfilled({ id: 'g', userId: 'dan', leaving: false }, 'r', {
        id: 'g',
        userId: 'dan',
        leaving: false,
      }),
    );
    expect(state.byId.g!.members.map((m) => m.id)).toEqual(['me', 'eve']);
    const leave = { id: 'g', userId: 'me', leaving: true };
    state = reducer(state, removeGroupMember.fulfilled(leave, 'r', leave));
    expect(state.ids).not.toContain('g');
    expect(state.gone.g).toBeDefined();
  });

  it('takes the name and topic from the answer to a rename, but not an older unread count', () => {
    let state = reducer(withGroup(), messageArrived({ message: message('g', 3, 'dan'), selfId: 'me' }));
    // Answered before the message came: the group's info is news, its counts are not.
    const renamed = group({ title: 'Launch day', topic: 'Friday' });
    state = reducer(state, updateGroup.fulfilled(renamed, 'r', { id: 'g', title: 'Launch day' }));
    expect(state.byId.g).toMatchObject({ title: 'Launch day', topic: 'Friday', unreadCount: 1, lastSeq: 3 });
  });

  it('[RT-LABELS] a chat shows its labels as conversation.labels says, renamed and deleted with the label', () => {
    let state = reducer(loaded(), conversationLabelsChanged({ conversationId: 'a', labels: [vip, refund] }));
    expect(state.byId.a!.labels).toEqual([vip, refund]);
    expect(state.byId.b!.labels).toBeUndefined();
    state = reducer(
      state,
      labelSaved({ ...vip, name: 'Key account', description: null, createdAt: '', updatedAt: '' }),
    );
    expect(state.byId.a!.labels!.map((l) => l.name)).toEqual(['Key account', 'Refund']);
    state = reducer(state, labelDeleted(refund.id));
    expect(state.byId.a!.labels!.map((l) => l.name)).toEqual(['Key account']);
  });
});

const vip = { id: 'l1', name: 'VIP', colour: '#d73a4a' };
const refund = { id: 'l2', name: 'Refund', colour: '#0366d6' };
