import { onMessage, onRead } from '@parley/client';
import type { Conversation, GroupInfo, LabelChip, Message, ServerFrame } from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import { mentionsReader } from '../chat/mention-count';
import { formThunk } from './form-thunk';
import { addGroupMembers, createGroup, removeGroupMember, setGroupAdmin, updateGroup } from './groups';
import { labelDeleted, labelSaved } from './labels';
import { messageUpdated } from './messages';

/** What a "mark unread" set the counts to (the `read` frame's `markedUnread`). */
export type MarkedUnread = NonNullable<Extract<ServerFrame, { type: 'read' }>['markedUnread']>;

export interface ConversationsState {
  byId: Record<string, Conversation>;
  /** Direct conversations, most recent activity first (ticket threads live with their tickets). */
  ids: string[];
  /** Others' read positions, for the "seen" marks: conversationId -> userId -> seq. */
  readers: Record<string, Record<string, number>>;
  /**
   * Groups the user was taken out of or left, as they last knew them: listed nowhere, but a chat
   * still open on one shows that it ended rather than vanishing under the reader.
   */
  gone: Record<string, Conversation>;
  /**
   * The last "mark unread" per conversation (from any device of the user's): where it put the
   * cursor, and a count that changes with each, so an open chat moves its divider there.
   */
  unreadMarks: Record<string, { seq: number; n: number }>;
  loading: boolean;
}

const initialState: ConversationsState = {
  byId: {},
  ids: [],
  readers: {},
  gone: {},
  unreadMarks: {},
  loading: false,
};

/** A conversation the user is in, or a group they are no longer in (see `gone`). */
export const selectChat = (state: { conversations: ConversationsState }, id: string): Conversation | undefined =>
  state.conversations.byId[id] ?? state.conversations.gone[id];

export const loadConversations = createAsyncThunk('conversations/load', () =>
  parley.conversations.list({ limit: 100 }),
);

export const loadConversation = createAsyncThunk('conversations/loadOne', (id: string) => parley.conversations.get(id));

export const openDirect = formThunk('conversations/openDirect', (userId: string) =>
  parley.conversations.openDirect(userId),
);

/** When the app last handed the SDK a read, per conversation (see `readsSettled`). */
const readsHandedAt = new Map<string, number>();

/**
 * Marks everything up to `seq` read, over the socket when it is up (REST otherwise); the server
 * then marks the conversation's notifications read and tells every device (`notifications.read`).
 */
export const markRead = createAsyncThunk('conversations/markRead', async (p: { id: string; seq: number }) => {
  readsHandedAt.set(p.id, Date.now());
  if (parley.realtime.status === 'open') parley.realtime.markRead(p.id, p.seq);
  else await parley.conversations.read(p.id, p.seq);
  return p;
});

/** The SDK holds reads back for up to a second (one `read` frame per second): this long. */
const READ_HOLD_MS = 1_000;

/**
 * Resolves once a read handed to the SDK for this conversation has gone out: a "mark unread"
 * sent before it would be undone by it.
 */
export function readsSettled(id: string): Promise<void> {
  const wait = (readsHandedAt.get(id) ?? 0) + READ_HOLD_MS + 100 - Date.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}

/**
 * A conversation as an answer from the server has it, unless live frames took it further while
 * the answer was on its way (opening a chat fetches it and reads it at once; a list loads while
 * messages come): the answer's counts are from before, and would put them back.
 */
function fetched(current: Conversation | undefined, answer: Conversation): Conversation {
  if (!current) return answer;
  if (current.lastSeq > answer.lastSeq) {
    // A message came live after the answer was made: it and what it counted stay.
    const { lastSeq, lastMessage, updatedAt, lastReadSeq, unreadCount, mentionCount } = current;
    return { ...answer, lastSeq, lastMessage, updatedAt, lastReadSeq, unreadCount, mentionCount };
  }
  if (current.lastReadSeq <= answer.lastReadSeq) return answer;
  // Our own read, so the same id twice (who we are does not matter here).
  const unread = onRead(answer, { userId: 'self', seq: current.lastReadSeq }, 'self');
  const mentionCount = unread.lastReadSeq >= unread.lastSeq ? 0 : Math.min(answer.mentionCount, unread.unreadCount);
  return { ...answer, ...unread, mentionCount };
}

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

/**
 * What every member of a group sees alike (name, topic, members, admins), from a frame or an
 * answer; what is the reader's own (unread, last message) stays as live frames left it.
 */
function mergeGroupInfo(state: ConversationsState, { id, title, topic, members, adminIds }: GroupInfo) {
  const conversation = state.byId[id];
  if (conversation) state.byId[id] = { ...conversation, title, topic, members, adminIds };
}

/** Out of a group: it leaves the list (and the unread badge) at once. */
function dropGroup(state: ConversationsState, id: string) {
  const conversation = state.byId[id];
  if (!conversation) return;
  state.gone[id] = conversation;
  delete state.byId[id];
  sortIds(state);
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
      delete state.gone[action.payload.id]; // added to a group again
      sortIds(state);
    },
    /** A group's name, topic, members or admins changed: what every member sees alike. */
    conversationUpdated(state, action: PayloadAction<GroupInfo>) {
      mergeGroupInfo(state, action.payload);
    },
    /** The user is no longer in this group (removed, or left on another device). */
    conversationRemoved(state, action: PayloadAction<string>) {
      dropGroup(state, action.payload);
    },
    /**
     * A new message, live: last message, unread count and order change; one that mentions the
     * user (`selfUsername`) counts as a mention too.
     */
    messageArrived(state, action: PayloadAction<{ message: Message; selfId: string; selfUsername?: string }>) {
      const { message, selfId, selfUsername = '' } = action.payload;
      const conversation = state.byId[message.conversationId];
      if (!conversation) return;
      const unread = onMessage(conversation, message, selfId);
      const counted = unread.unreadCount > conversation.unreadCount;
      const mention = counted && mentionsReader(message, { selfId, username: selfUsername }, conversation);
      state.byId[message.conversationId] = {
        ...conversation,
        ...unread,
        mentionCount: conversation.mentionCount + (mention ? 1 : 0),
        lastMessage: message.seq >= conversation.lastSeq ? message : conversation.lastMessage,
        updatedAt: message.createdAt > conversation.updatedAt ? message.createdAt : conversation.updatedAt,
      };
      sortIds(state);
    },
    /**
     * A `read` receipt: ours moves our unread and mention counts (any device; `markedUnread`: a
     * "mark unread" set them), others' feed the seen marks.
     */
    readArrived(
      state,
      action: PayloadAction<{
        conversationId: string;
        userId: string;
        seq: number;
        selfId: string;
        markedUnread?: MarkedUnread | undefined;
      }>,
    ) {
      const { conversationId, userId, seq, selfId, markedUnread } = action.payload;
      // A mark unread moves only our own cursor back: what others were shown stays.
      if (!markedUnread) {
        const readers = (state.readers[conversationId] ??= {});
        readers[userId] = Math.max(readers[userId] ?? 0, seq);
      }
      if (userId !== selfId) return;
      if (markedUnread) {
        state.unreadMarks[conversationId] = { seq, n: (state.unreadMarks[conversationId]?.n ?? 0) + 1 };
      }
      const conversation = state.byId[conversationId];
      if (!conversation) return;
      const unread = onRead(conversation, { userId, seq, markedUnread }, selfId);
      // Read to the end: no mention is left; a partial read leaves at most as many as unread.
      const mentionCount = markedUnread
        ? markedUnread.mentionCount
        : unread.lastReadSeq >= unread.lastSeq
          ? 0
          : Math.min(conversation.mentionCount, unread.unreadCount);
      state.byId[conversationId] = { ...conversation, ...unread, mentionCount };
    },
    /** A chat's labels now (its staff members): their own change, or a live `conversation.labels`. */
    conversationLabelsChanged(state, { payload }: PayloadAction<{ conversationId: string; labels: LabelChip[] }>) {
      const conversation = state.byId[payload.conversationId];
      if (conversation) conversation.labels = payload.labels;
    },
    /** Muted or unmuted, on this device or another (`conversation.muted`). */
    conversationMuted(
      state,
      { payload }: PayloadAction<{ conversationId: string; muted: boolean; notify?: Conversation['notify'] }>,
    ) {
      const conversation = state.byId[payload.conversationId];
      if (!conversation) return;
      conversation.muted = payload.muted;
      // Muting from this device is `mentions`; another device's frame says which level.
      conversation.notify = payload.notify ?? (payload.muted ? 'mentions' : 'all');
    },
  },
  extraReducers: (builder) => {
    const store = (state: ConversationsState, conversation: Conversation) => {
      state.byId[conversation.id] = fetched(state.byId[conversation.id], conversation);
      delete state.gone[conversation.id];
      rememberReaders(state, conversation);
      sortIds(state);
    };
    builder
      // A renamed or recoloured label shows so on every chat; a deleted one leaves them.
      .addCase(labelSaved, (state, { payload }) => {
        for (const conversation of Object.values(state.byId)) {
          conversation.labels = conversation.labels?.map((chip) =>
            chip.id === payload.id ? { id: payload.id, name: payload.name, colour: payload.colour } : chip,
          );
        }
      })
      .addCase(labelDeleted, (state, { payload }) => {
        for (const conversation of Object.values(state.byId)) {
          conversation.labels = conversation.labels?.filter((c) => c.id !== payload);
        }
      })
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
          state.byId[conversation.id] = fetched(state.byId[conversation.id], conversation);
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
      .addCase(createGroup.fulfilled, (state, { payload }) => store(state, payload))
      .addCase(updateGroup.fulfilled, (state, { payload }) => mergeGroupInfo(state, payload))
      .addCase(addGroupMembers.fulfilled, (state, { payload }) => mergeGroupInfo(state, payload))
      .addCase(setGroupAdmin.fulfilled, (state, { payload }) => mergeGroupInfo(state, payload))
      .addCase(removeGroupMember.fulfilled, (state, { payload: { id, userId, leaving } }) => {
        const conversation = state.byId[id];
        if (leaving) dropGroup(state, id);
        else if (conversation) {
          // Gone from the panel at once; `conversation.updated` says the same a moment later.
          conversation.members = conversation.members.filter((m) => m.id !== userId);
          conversation.adminIds = conversation.adminIds.filter((a) => a !== userId);
        }
      })
      .addCase(markRead.fulfilled, (state, { payload }) => {
        const conversation = state.byId[payload.id];
        if (conversation && payload.seq > conversation.lastReadSeq) {
          state.byId[payload.id] = { ...conversation, lastReadSeq: payload.seq, unreadCount: 0, mentionCount: 0 };
        }
      });
  },
});

export const {
  conversationCreated,
  conversationUpdated,
  conversationRemoved,
  conversationLabelsChanged,
  conversationMuted,
  messageArrived,
  readArrived,
} = conversations.actions;

/** A staff member gives a chat exactly these labels; its row and header show them at once. */
export const setConversationLabels = createAsyncThunk(
  'conversations/setLabels',
  async ({ conversationId, labelIds }: { conversationId: string; labelIds: string[] }, { dispatch }) => {
    const { labels } = await parley.conversations.setLabels(conversationId, labelIds);
    dispatch(conversationLabelsChanged({ conversationId, labels }));
    return labels;
  },
);
export default conversations.reducer;
