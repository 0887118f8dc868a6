import { onMessage, onRead } from '@parley/client';
import type { Conversation, Message } from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import { formThunk } from './form-thunk';
import { messageUpdated } from './messages';

export interface ConversationsState {
  byId: Record<string, Conversation>;
  /** Direct conversations, most recent activity first (ticket threads live with their tickets). */
  ids: string[];
  /** Others' read positions, for the "seen" marks: conversationId -> userId -> seq. */
  readers: Record<string, Record<string, number>>;
  loading: boolean;
}

const initialState: ConversationsState = { byId: {}, ids: [], readers: {}, loading: false };

export const loadConversations = createAsyncThunk('conversations/load', () =>
  parley.conversations.list({ limit: 100 }),
);

export const loadConversation = createAsyncThunk('conversations/loadOne', (id: string) => parley.conversations.get(id));

export const openDirect = formThunk('conversations/openDirect', (userId: string) =>
  parley.conversations.openDirect(userId),
);

/**
 * Marks everything up to `seq` read, over the socket when it is up (REST otherwise); the server
 * then marks the conversation's notifications read and tells every device (`notifications.read`).
 */
export const markRead = createAsyncThunk('conversations/markRead', async (p: { id: string; seq: number }) => {
  if (parley.realtime.status === 'open') parley.realtime.markRead(p.id, p.seq);
  else await parley.conversations.read(p.id, p.seq);
  return p;
});

/**
 * Others' read positions as the server keeps them (`readSeqs`), so "seen" marks survive a
 * reload; a receipt that came live meanwhile may be further along and wins.
 */
function rememberReaders(state: ConversationsState, conversation: Conversation) {
  const readers = (state.readers[conversation.id] ??= {});
  for (const [userId, seq] of Object.entries(conversation.readSeqs)) {
    readers[userId] = Math.max(readers[userId] ?? 0, seq);
  }
}

function sortIds(state: ConversationsState) {
  state.ids = Object.values(state.byId)
    .filter((c) => c.kind !== 'ticket')
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
    .map((c) => c.id);
}

const conversations = createSlice({
  name: 'conversations',
  initialState,
  reducers: {
    /** Someone opened a conversation with us (or we did, in another tab): it is listed at once. */
    conversationCreated(state, action: PayloadAction<Conversation>) {
      if (state.byId[action.payload.id]) return; // known already, and maybe newer than this
      state.byId[action.payload.id] = action.payload;
      sortIds(state);
    },
    /** A new message, live: last message, unread count and order change. */
    messageArrived(state, action: PayloadAction<{ message: Message; selfId: string }>) {
      const { message, selfId } = action.payload;
      const conversation = state.byId[message.conversationId];
      if (!conversation) return;
      const unread = onMessage(conversation, message, selfId);
      state.byId[message.conversationId] = {
        ...conversation,
        ...unread,
        lastMessage: message.seq >= conversation.lastSeq ? message : conversation.lastMessage,
        updatedAt: message.createdAt > conversation.updatedAt ? message.createdAt : conversation.updatedAt,
      };
      sortIds(state);
    },
    /** A `read` receipt: ours moves our unread count (any device), others' feed the seen marks. */
    readArrived(state, action: PayloadAction<{ conversationId: string; userId: string; seq: number; selfId: string }>) {
      const { conversationId, userId, seq, selfId } = action.payload;
      const readers = (state.readers[conversationId] ??= {});
      readers[userId] = Math.max(readers[userId] ?? 0, seq);
      const conversation = state.byId[conversationId];
      if (conversation && userId === selfId) {
        state.byId[conversationId] = { ...conversation, ...onRead(conversation, { userId, seq }, selfId) };
      }
    },
  },
  extraReducers: (builder) => {
    const store = (state: ConversationsState, conversation: Conversation) => {
      state.byId[conversation.id] = conversation;
      rememberReaders(state, conversation);
      sortIds(state);
    };
    builder
      // An edit or a deletion of the last message changes the list's preview of it.
      .addCase(messageUpdated, (state, { payload: message }) => {
        const conversation = state.byId[message.conversationId];
        if (conversation?.lastMessage?.id === message.id) conversation.lastMessage = message;
      })
      .addCase(loadConversations.pending, (state) => {
        state.loading = true;
      })
      .addCase(loadConversations.fulfilled, (state, { payload }) => {
        for (const conversation of payload.items) {
          state.byId[conversation.id] = conversation;
          rememberReaders(state, conversation);
        }
        sortIds(state);
        state.loading = false;
      })
      .addCase(loadConversations.rejected, (state) => {
        state.loading = false;
      })
      .addCase(loadConversation.fulfilled, (state, { payload }) => store(state, payload))
      .addCase(openDirect.fulfilled, (state, { payload }) => store(state, payload))
      .addCase(markRead.fulfilled, (state, { payload }) => {
        const conversation = state.byId[payload.id];
        if (conversation && payload.seq > conversation.lastReadSeq) {
          state.byId[payload.id] = { ...conversation, lastReadSeq: payload.seq, unreadCount: 0 };
        }
      });
  },
});

export const { conversationCreated, messageArrived, readArrived } = conversations.actions;
export default conversations.reducer;
