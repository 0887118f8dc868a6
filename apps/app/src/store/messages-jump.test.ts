import { hasNewerThanView, view } from '@parley/client';
import type { Message, MessagePage } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aMessage } from '../testing/message';
import { createStore } from './index';
import reducer, {
  jumpCleared,
  jumpRequested,
  jumpToMessage,
  loadAround,
  loadNewer,
  openTimeline,
  type MessagesState,
} from './messages';

const C = 'c1';
const LAST = 120;
const message = (seq: number): Message => aMessage({ id: `m${seq}`, seq, body: `message ${seq}`, clientMsgId: null });
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const page = (seqs: number[], hasMore: boolean, lastSeq = LAST): MessagePage =>
  ({ items: seqs.map(message), hasMore, lastSeq }) as MessagePage;
const seqsOf = (state: MessagesState) =>
  view(state.byConversation[C]!).flatMap((i) => (i.kind === 'message' ? [i.message.seq] : []));

/** A conversation of 120 messages, opened on its newest page (71..120). */
function opened(): MessagesState {
  const arg = { conversationId: C, selfId: 'carla' };
  const state = reducer(undefined, openTimeline.pending('r1', arg));
  return reducer(state, openTimeline.fulfilled(page(range(71, LAST), true), 'r1', arg));
}

describe('opening a conversation at a message far back', () => {
  it('shows the history around it, then newer pages until they join the newest', () => {
    const arg = { conversationId: C, seq: 5 };
    let state = reducer(opened(), jumpRequested(arg));
    expect(state.jumps[C]?.seq).toBe(5);
    expect(seqsOf(state)).toEqual([]); // not loaded yet: nothing, rather than the newest
    state = reducer(state, loadAround.pending('r2', arg));
    expect(C in state.loadingAround).toBe(true);
    state = reducer(
      state,
      loadAround.fulfilled({ before: page(range(1, 5), false), after: page(range(6, 55), true) }, 'r2', arg),
    );
    expect(seqsOf(state)).toEqual(range(1, 55));
    expect(seqsOf(state)).not.toContain(60); // nothing between it and the newest was read
    expect(hasNewerThanView(state.byConversation[C]!)).toBe(true);

    state = reducer(state, loadNewer.fulfilled({ afterSeq: 55, page: page(range(56, 105), true) }, 'r3', C));
    expect(state.byConversation[C]!.anchor).toBeNull(); // it met the newest page: following it again
    expect(seqsOf(state)).toEqual(range(1, LAST));
  });

  it('goes back to the newest on request, and when the history around the message cannot be read', () => {
    const arg = { conversationId: C, seq: 5 };
    let state = reducer(opened(), jumpRequested(arg));
    state = reducer(state, loadAround.rejected(new Error('offline'), 'r2', arg));
    expect(seqsOf(state)).toEqual(range(71, LAST));

    state = reducer(state, jumpRequested(arg));
    state = reducer(
      state,
      loadAround.fulfilled({ before: page(range(1, 5), false), after: page(range(6, 55), true) }, 'r3', arg),
    );
    state = reducer(state, jumpCleared(C));
    expect(seqsOf(state)).toEqual(range(71, LAST));
    expect(state.jumps[C]).toBeUndefined();
  });

  it('keeps the latest jump when an earlier one fails or answers late', () => {
    const first = { conversationId: C, seq: 5 };
    const second = { conversationId: C, seq: 30 };
    let state = reducer(opened(), jumpRequested(first));
    state = reducer(state, loadAround.pending('r1', first));
    state = reducer(state, jumpRequested(second));
    state = reducer(state, loadAround.pending('r2', second));
    state = reducer(state, loadAround.rejected(new Error('offline'), 'r1', first));
    expect(state.byConversation[C]!.anchor).toBe(30);
    expect(C in state.loadingAround).toBe(true); // the second is still on its way
    const around30 = { before: page(range(1, 30), false), after: page(range(31, 60), true) };
    state = reducer(state, loadAround.fulfilled(around30, 'r2', second));
    expect(seqsOf(state)).toEqual(range(1, 60));
    expect(C in state.loadingAround).toBe(false);
  });

  it('asks a new jump of its own each time, so the same message is scrolled to again', () => {
    const once = reducer(opened(), jumpRequested({ conversationId: C, seq: 100 }));
    const twice = reducer(once, jumpRequested({ conversationId: C, seq: 100 }));
    expect(twice.jumps[C]!.id).not.toBe(once.jumps[C]!.id);
    // Within the newest page: no anchor, nothing else to read.
    expect(twice.byConversation[C]!.anchor).toBeNull();
  });
});

describe('jumpToMessage', () => {
  afterEach(() => vi.unstubAllGlobals());

  /** The server's message pages for one conversation of 120 messages: which queries were asked. */
  function fakeServer() {
    const asked: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      const query = new URL(url).searchParams;
      asked.push(
        [...query.entries()]
          .map(([key, value]) => `${key}=${value}`)
          .sort()
          .join('&'),
      );
      const before = Number(query.get('beforeSeq') ?? LAST + 1);
      const after = Number(query.get('afterSeq') ?? 0);
      const limit = Number(query.get('limit'));
      const all = range(1, LAST).filter((s) => s < before && s > after);
      const seqs = query.has('afterSeq') ? all.slice(0, limit) : all.slice(-limit);
      return new Response(JSON.stringify(page(seqs, seqs.length < all.length)), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    return asked;
  }

  it('reads the two pages around a message not loaded, both at once, and none for one that is', async () => {
    const asked = fakeServer();
    const store = createStore();
    await store.dispatch(openTimeline({ conversationId: C, selfId: 'carla' }));
    asked.length = 0;

    store.dispatch(jumpToMessage({ conversationId: C, seq: 5 }));
    await vi.waitFor(() => expect(C in store.getState().messages.loadingAround).toBe(false));
    expect(asked.sort()).toEqual(['afterSeq=5&limit=50', 'beforeSeq=6&limit=50']);
    expect(seqsOf(store.getState().messages)).toEqual(range(1, 55));

    asked.length = 0;
    store.dispatch(jumpToMessage({ conversationId: C, seq: 30 }));
    store.dispatch(jumpToMessage({ conversationId: C, seq: 110 }));
    expect(asked).toEqual([]);
    expect(seqsOf(store.getState().messages)).toEqual(range(71, LAST));
  });
});
