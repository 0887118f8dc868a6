import { confirmedMessages } from '@parley/client';
import type { NotifyLevel } from '@parley/protocol';
import { createAsyncThunk } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import { unreadCountsOf } from '../chat/mention-count';
import {
  conversationMuted,
  loadConversation,
  readArrived,
  readsSettled,
  type ConversationsState,
} from './conversations';
import type { RootState } from './index';
import type { TicketsState } from './tickets';

/**
 * The count on the Messages place: every unread message of the conversations listed, but of a
 * muted one only those that mention the user ([RT-READ]: a muted conversation stays out of the
 * badge), and of one set to notify of nothing, none.
 */
export function selectMessagesBadge(state: { conversations: ConversationsState }): number {
  const { ids, byId } = state.conversations;
  let sum = 0;
  for (const id of ids) {
    const conversation = byId[id];
    if (!conversation || conversation.notify === 'none') continue;
    sum += conversation.muted ? conversation.mentionCount : conversation.unreadCount;
  }
  return sum;
}

/** The user's read cursor in a conversation or ticket thread, as this device knows it (undefined: not known). */
export function selectReadCursor(
  state: { conversations: ConversationsState; tickets: TicketsState },
  conversationId: string,
): number | undefined {
  const conversation = state.conversations.byId[conversationId] ?? state.conversations.gone[conversationId];
  if (conversation) return conversation.lastReadSeq;
  for (const ticket of Object.values(state.tickets.byId)) {
    if (ticket.conversationId === conversationId) return ticket.lastReadSeq;
  }
  return undefined;
}

/**
 * "Mark unread from here": the user's cursor goes back to just before message `seq`, here at
 * once (counted from the messages loaded), then on the server, whose `read` frame (with
 * `markedUnread`) sets the exact counts here and on the user's other devices.
 */
export const markUnread = createAsyncThunk(
  'conversations/markUnread',
  async ({ id, seq }: { id: string; seq: number }, { dispatch, getState }) => {
    const state = getState() as RootState;
    const user = state.session.user;
    const cursor = selectReadCursor(state, id);
    if (user && cursor !== undefined && cursor >= seq) {
      const conversation = state.conversations.byId[id] ?? { kind: 'ticket' as const, adminIds: [] };
      const timeline = state.messages.byConversation[id];
      const counts = unreadCountsOf(
        timeline ? confirmedMessages(timeline) : [],
        seq - 1,
        { selfId: user.id, username: user.username },
        conversation,
      );
      dispatch(
        readArrived({ conversationId: id, userId: user.id, seq: seq - 1, selfId: user.id, markedUnread: counts }),
      );
    }
    // A read the SDK still holds back would move the cursor forward again right after.
    await readsSettled(id);
    try {
      await parley.conversations.markUnread(id, seq);
    } catch (error) {
      // Not moved after all: the server's counts again.
      void dispatch(loadConversation(id));
      throw error;
    }
  },
);

/** What of a conversation notifies the user (all, mentions, none): here at once, back if the server says no. */
export const setNotify = createAsyncThunk(
  'conversations/setNotify',
  async ({ id, level }: { id: string; level: NotifyLevel }, { dispatch, getState }) => {
    const was = (getState() as RootState).conversations.byId[id]?.notify ?? 'all';
    dispatch(conversationMuted({ conversationId: id, muted: level !== 'all', notify: level }));
    try {
      await parley.conversations.setNotify(id, level);
    } catch (error) {
      dispatch(conversationMuted({ conversationId: id, muted: was !== 'all', notify: was }));
      throw error;
    }
  },
);
