import {
  addLive,
  addPage,
  addSubscribed,
  emptyTimeline,
  oldestSeq,
  resetLive,
  setPending,
  updateMessage,
  type PendingSend,
  type Timeline,
} from '@parley/client';
import type { Message } from '@parley/protocol';
import { createAction, createAsyncThunk, type UnknownAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';

/**
 * Each conversation's timeline: the SDK's pure merge of history pages, live frames and pending
 * sends. Timelines are immutable values (with Maps inside), so this reducer is plain, without
 * Immer: every change replaces a timeline with the one the SDK returns.
 */
export interface MessagesState {
  byConversation: Record<string, Timeline>;
  loadingOlder: Record<string, boolean>;
}

const initialState: MessagesState = { byConversation: {}, loadingOlder: {} };

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
  if (loadOlder.fulfilled.match(action)) {
    const { beforeSeq, page } = action.payload;
    const next = change(state, action.meta.arg, (t) => addPage(t, beforeSeq === undefined ? {} : { beforeSeq }, page));
    return { ...next, loadingOlder: { ...next.loadingOlder, [action.meta.arg]: false } };
  }
  return state;
}
