import type { NotificationItem } from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';

/**
 * One entry per conversation (a ticket, a direct chat) and one per friend request; the badge
 * counts unread entries, so three messages in one ticket count once.
 */
export interface NotificationsState {
  items: NotificationItem[];
  unreadCount: number;
  loading: boolean;
}

const initialState: NotificationsState = { items: [], unreadCount: 0, loading: false };

export const loadNotifications = createAsyncThunk('notifications/load', () => parley.notifications.list({ limit: 50 }));
export const markNotificationRead = createAsyncThunk('notifications/read', async (id: string) => {
  await parley.notifications.markRead(id);
  return id;
});
export const markAllNotificationsRead = createAsyncThunk('notifications/readAll', () =>
  parley.notifications.markAllRead(),
);

function markRead(state: NotificationsState, ids: readonly string[] | 'all', readAt: string) {
  for (const item of state.items) {
    if (item.readAt || (ids !== 'all' && !ids.includes(item.id))) continue;
    item.readAt = readAt;
    state.unreadCount = Math.max(0, state.unreadCount - 1);
  }
  if (ids === 'all') state.unreadCount = 0;
}

const notifications = createSlice({
  name: 'notifications',
  initialState,
  reducers: {
    /** A new entry, or one that gathered another event: it replaces the old one, at the top. */
    notificationArrived(state, action: PayloadAction<NotificationItem>) {
      const item = action.payload;
      const old = state.items.find((n) => n.id === item.id);
      if (old && old.updatedAt > item.updatedAt) return; // a later version is here already
      state.items = [item, ...state.items.filter((n) => n.id !== item.id)];
      state.unreadCount += (item.readAt ? 0 : 1) - (old && !old.readAt ? 1 : 0);
    },
    /** Read here or on another device (`all`: every one of them). */
    notificationsRead(state, action: PayloadAction<{ ids: string[]; all?: boolean; readAt: string }>) {
      const { ids, all, readAt } = action.payload;
      markRead(state, all ? 'all' : ids, readAt);
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadNotifications.pending, (state) => {
        state.loading = true;
      })
      .addCase(loadNotifications.fulfilled, (_, { payload }) => ({
        items: payload.items,
        unreadCount: payload.unreadCount,
        loading: false,
      }))
      .addCase(loadNotifications.rejected, (state) => {
        state.loading = false;
      })
      .addCase(markNotificationRead.fulfilled, (state, { payload }) => {
        markRead(state, [payload], new Date().toISOString());
      })
      .addCase(markAllNotificationsRead.fulfilled, (state) => {
        markRead(state, 'all', new Date().toISOString());
      });
  },
});

export const { notificationArrived, notificationsRead } = notifications.actions;
export default notifications.reducer;
