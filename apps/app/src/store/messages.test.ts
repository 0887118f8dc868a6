import { view } from '@parley/client';
import type { Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import reducer, {
  disconnected,
  liveMessage,
  openTimeline,
  pendingChanged,
  subscribed,
  type MessagesState,
} from './messages';

const C = 'conv1';
const message = (seq: number, changes: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  conversationId: C,
  seq,
  senderId: 'sam',
  clientMsgId: null,
  body: `message ${seq}`,
  kind: 'text',
  system: null,
  createdAt: new Date(Date.UTC(2026, 10, 25, 10, seq)).toISOString(),
  editedAt: null,
  deletedAt: null,
  reactions: [],
  attachments: [],
  replyTo: null,
  ...changes,
});

/** A conversation opened on its newest page (seqs 1..3), then subscribed after seq 3. */
function opened(): MessagesState {
  const arg = { conversationId: C, selfId: 'carla' };
  let state = reducer(undefined, openTimeline.pending('r1', arg));
  const page = { items: [message(1), message(2), message(3)], hasMore: false, lastSeq: 3 };
  state = reducer(state, openTimeline.fulfilled(page, 'r1', arg));
  return reducer(state, subscribed({ conversationId: C, afterSeq: 3, lastSeq: 3 }));
}

const bodies = (state: MessagesState) =>
  view(state.byConversation[C]!).map((item) =>
    item.kind === 'message' ? item.message.body : `(${item.pending.state}) ${item.pending.body}`,
  );

describe('the messages slice', () => {
  it('shows history, then live messages, in order and once each', () => {
    let state = opened();
    state = reducer(state, liveMessage(message(4)));
    state = reducer(state, liveMessage(message(4))); // a redelivery
    expect(bodies(state)).toEqual(['message 1', 'message 2', 'message 3', 'message 4']);
  });

  it('keeps my unsent messages after the conversation until the server confirms them', () => {
    let state = opened();
    const pending = {
      clientMsgId: 'c-1',
      conversationId: C,
      body: 'on my way',
      state: 'pending' as const,
      createdAt: '',
    };
    state = reducer(
      state,
      pendingChanged([pending, { ...pending, clientMsgId: 'c-2', body: 'other chat', conversationId: 'x' }]),
    );
    expect(bodies(state)).toEqual(['message 1', 'message 2', 'message 3', '(pending) on my way']);
    state = reducer(state, liveMessage(message(4, { senderId: 'carla', clientMsgId: 'c-1', body: 'on my way' })));
    state = reducer(state, pendingChanged([]));
    expect(bodies(state)).toEqual(['message 1', 'message 2', 'message 3', 'on my way']);
  });

  it('after a reconnect, shows the replayed messages as one thread again once the resume is confirmed', () => {
    let state = reducer(opened(), disconnected());
    // The resume replays what was missed (5..6; 4 was an internal note this customer never gets).
    for (const seq of [5, 6]) state = reducer(state, liveMessage(message(seq)));
    expect(bodies(state)).not.toContain('message 1'); // 3 -> 5 is not known to be complete yet
    state = reducer(state, subscribed({ conversationId: C, afterSeq: 3, lastSeq: 6 }));
    state = reducer(state, liveMessage(message(7)));
    expect(bodies(state)).toEqual(['message 1', 'message 2', 'message 3', 'message 5', 'message 6', 'message 7']);
  });
});
