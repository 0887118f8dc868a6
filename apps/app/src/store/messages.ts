import {
  addLive,
  addPage,
  addSubscribed,
  coveredRanges,
  emptyTimeline,
  newestShownSeq,
  oldestSeq,
  resetLive,
  setAnchor,
  setPending,
  updateMessage,
  type PendingSend,
  type Timeline,
} from '@parley/client';
import type { Message } from '@parley/protocol';
import { createAction, createAsyncThunk, type UnknownAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import type { AppDispatch, RootState } from './index';

/**
 * Each conversation's timeline: the SDK's pure merge of history pages, live frames and pending
 * sends. Timelines are immutable values (with Maps inside), so this reducer is plain, without
 * Immer: every change replaces a timeline with the one the SDK returns.
 */
export interface MessagesState {
  byConversation: Record<string, Timeline>;
  loadingOlder: Record<string, boolean>;
  /** Newer pages, while the timeline is anchored back in history (see `jumpToMessage`). */
  loadingNewer: Record<string, boolean>;
  /** The two pages around a message jumped to: the request under way (the latest jump's). */
  loadingAround: Record<string, string>;
  /**
   * The message each conversation was last asked to open at (a link, a search result, a quote,
   * a pin): a new `id` per ask, so asking for the same message again scrolls there again.
   */
  jumps: Record<string, Jump>;
}

export interface Jump {
  seq: number;
  id: number;
}

const initialState: MessagesState = {
  byConversation: {},
  loadingOlder: {},
  loadingNewer: {},
  loadingAround: {},
  jumps: {},
};

const PAGE = 50;

/** Opens a conversation: its newest page, then a subscription resuming right after it. */
export const openTimeline = createAsyncThunk(
  'messages/open',
  async ({ conversationId }: { conversationId: string; selfId: string }) => {
    const page = await parley.conversations.messages(conversationId, { limit: PAGE });
    parley.realtime.subscribe(conversationId, page.lastSeq);
    return page;
  },
);

/** Older history, before the first message shown. */
export const loadOlder = createAsyncThunk('messages/older', async (conversationId: string, { getState }) => {
  const timeline = (getState() as { messages: MessagesState }).messages.byConversation[conversationId];
  const beforeSeq = (timeline && oldestSeq(timeline)) ?? undefined;
  const page = await parley.conversations.messages(conversationId, { limit: PAGE, ...(beforeSeq && { beforeSeq }) });
  return { beforeSeq, page };
});

let jumps = 0;
/** Opens the timeline at message `seq` (see `jumpToMessage`). */
export const jumpRequested = createAction('messages/jump', (p: { conversationId: string; seq: number }) => ({
  payload: { ...p, id: ++jumps },
}));
/** Back to the newest messages: no anchor, no message to mark. */
export const jumpCleared = createAction<string>('messages/jumpCleared');

/**
 * The history both ways around `seq`, in two pages at once: up to and including it, and after it.
 */
export const loadAround = createAsyncThunk(
  'messages/around',
  async ({ conversationId, seq }: { conversationId: string; seq: number }) => {
    const [before, after] = await Promise.all([
      parley.conversations.messages(conversationId, { limit: PAGE, beforeSeq: seq + 1 }),
      parley.conversations.messages(conversationId, { limit: PAGE, afterSeq: seq }),
    ]);
    return { before, after };
  },
);

/** Newer history after the last message shown, while anchored back in history. */
export const loadNewer = createAsyncThunk('messages/newer', async (conversationId: string, { getState }) => {
  const timeline = (getState() as { messages: MessagesState }).messages.byConversation[conversationId];
  const afterSeq = (timeline && newestShownSeq(timeline)) ?? 0;
  const page = await parley.conversations.messages(conversationId, { limit: PAGE, afterSeq });
  return { afterSeq, page };
});

const isCovered = (t: Timeline, seq: number) => coveredRanges(t).some((r) => r.from <= seq && seq <= r.to);

/**
 * Opens a conversation's timeline at message `seq` (a link, a search result, a reply's quote, a
 * pin): the timeline is anchored there and, unless that part of the history is loaded already,
 * the pages on both sides of it are fetched at once, not every page between it and the newest.
 * The chat marks and focuses the message once it is shown (see `jumps`).
 */
export const jumpToMessage =
  (p: { conversationId: string; seq: number }) => (dispatch: AppDispatch, getState: () => RootState) => {
    dispatch(jumpRequested(p));
    const timeline = getState().messages.byConversation[p.conversationId];
    if (timeline && timeline.anchor !== null && !isCovered(timeline, p.seq)) void dispatch(loadAround(p));
  };

/** Edits one of the user's own messages; the answer (and the live `message.updated`) replaces it. */
export const editMessage = createAsyncThunk(
  'messages/edit',
  ({ conversationId, messageId, body }: { conversationId: string; messageId: string; body: string }) =>
    parley.conversations.edit(conversationId, messageId, body),
);

/**
 * Deletes one of the user's own messages: it stays as a tombstone. The app deletes through
 * `deleteWithUndo` (undo-delete.ts), which sends this when the Undo time is over.
 */
export const deleteMessage = createAsyncThunk(
  'messages/delete',
  ({ conversationId, messageId, keepalive }: { conversationId: string; messageId: string; keepalive?: boolean }) =>
    parley.conversations.remove(conversationId, messageId, { keepalive: keepalive ?? false }),
);

/** Toggles the user's reaction with `emoji` on a message. */
export const toggleReaction = createAsyncThunk(
  'messages/react',
  ({ conversationId, messageId, emoji }: { conversationId: string; messageId: string; emoji: string }) =>
    parley.conversations.react(conversationId, messageId, emoji),
);

export const liveMessage = createAction<Message>('messages/live');
export const messageUpdated = createAction<Message>('messages/updated');
export const subscribed = createAction<{ conversationId: string; afterSeq: number | null; lastSeq: number }>(
  'messages/subscribed',
);
/** The socket dropped: live continuity is broken until the next `subscribed`. */
export const disconnected = createAction('messages/disconnected');
export const pendingChanged = createAction<PendingSend[]>('messages/pendingChanged');

function change(state: MessagesState, id: string, update: (timeline: Timeline) => Timeline): MessagesState {
  const timeline = state.byConversation[id];
  return timeline ? { ...state, byConversation: { ...state.byConversation, [id]: update(timeline) } } : state;
}

const mapAll = (state: MessagesState, update: (timeline: Timeline, id: string) => Timeline): MessagesState => ({
  ...state,
  byConversation: Object.fromEntries(Object.entries(state.byConversation).map(([id, t]) => [id, update(t, id)])),
});

const flag = (state: MessagesState, key: 'loadingNewer', id: string, on: boolean): MessagesState => ({
  ...state,
  [key]: { ...state[key], [id]: on },
});

export default function messagesReducer(state = initialState, action: UnknownAction): MessagesState {
  if (liveMessage.match(action)) {
    return change(state, action.payload.conversationId, (t) => addLive(t, action.payload, { contiguous: true }));
  }
  if (
    messageUpdated.match(action) ||
    editMessage.fulfilled.match(action) ||
    deleteMessage.fulfilled.match(action) ||
    toggleReaction.fulfilled.match(action)
  ) {
    return change(state, action.payload.conversationId, (t) => updateMessage(t, action.payload));
  }
  if (subscribed.match(action)) {
    const { conversationId, afterSeq, lastSeq } = action.payload;
    return change(state, conversationId, (t) => addSubscribed(t, { afterSeq, lastSeq }));
  }
  if (disconnected.match(action)) return mapAll(state, resetLive);
  if (pendingChanged.match(action)) {
    return mapAll(state, (t, id) =>
      setPending(
        t,
        action.payload.filter((p) => p.conversationId === id),
      ),
    );
  }
  if (openTimeline.pending.match(action)) {
    // Made on open, so live frames that arrive before the first page are kept.
    const { conversationId, selfId } = action.meta.arg;
    if (state.byConversation[conversationId]) return state;
    return {
      ...state,
      byConversation: { ...state.byConversation, [conversationId]: emptyTimeline(conversationId, { selfId }) },
    };
  }
  if (openTimeline.fulfilled.match(action)) {
    return change(state, action.meta.arg.conversationId, (t) => addPage(t, {}, action.payload));
  }
  if (loadOlder.pending.match(action) || loadOlder.rejected.match(action)) {
    return { ...state, loadingOlder: { ...state.loadingOlder, [action.meta.arg]: loadOlder.pending.match(action) } };
  }
  if (jumpRequested.match(action)) {
    const { conversationId, seq, id } = action.payload;
    const next = change(state, conversationId, (t) => setAnchor(t, seq));
    return { ...next, jumps: { ...next.jumps, [conversationId]: { seq, id } } };
  }
  if (jumpCleared.match(action)) {
    const id = action.payload;
    if (!state.jumps[id] && (state.byConversation[id]?.anchor ?? null) === null) return state;
    const { [id]: _cleared, ...jumps } = state.jumps;
    return { ...change(state, id, (t) => setAnchor(t, null)), jumps };
  }
  if (loadAround.pending.match(action)) {
    const { conversationId } = action.meta.arg;
    return { ...state, loadingAround: { ...state.loadingAround, [conversationId]: action.meta.requestId } };
  }
  if (loadAround.fulfilled.match(action) || loadAround.rejected.match(action)) {
    const { conversationId, seq } = action.meta.arg;
    const next = loadAround.fulfilled.match(action)
      ? change(state, conversationId, (t) =>
          addPage(addPage(t, { beforeSeq: seq + 1 }, action.payload.before), { afterSeq: seq }, action.payload.after),
        )
      : // Nothing to show there: the newest messages rather than an empty timeline (unless the
        // reader has jumped elsewhere meanwhile).
        change(state, conversationId, (t) => (t.anchor === seq ? setAnchor(t, null) : t));
    if (next.loadingAround[conversationId] !== action.meta.requestId) return next;
    const { [conversationId]: _done, ...loadingAround } = next.loadingAround;
    return { ...next, loadingAround };
  }
  if (loadNewer.pending.match(action) || loadNewer.rejected.match(action)) {
    return flag(state, 'loadingNewer', action.meta.arg, loadNewer.pending.match(action));
  }
  if (loadNewer.fulfilled.match(action)) {
    const { afterSeq, page } = action.payload;
    const next = change(state, action.meta.arg, (t) => addPage(t, { afterSeq }, page));
    return flag(next, 'loadingNewer', action.meta.arg, false);
  }
  if (loadOlder.fulfilled.match(action)) {
    const { beforeSeq, page } = action.payload;
    const next = change(state, action.meta.arg, (t) => addPage(t, beforeSeq === undefined ? {} : { beforeSeq }, page));
    return { ...next, loadingOlder: { ...next.loadingOlder, [action.meta.arg]: false } };
  }
  return state;
}
