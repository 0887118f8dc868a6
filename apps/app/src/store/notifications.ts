import type { NotificationItem } from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';

export interface NotificationsState {
  items: NotificationItem[];
  unreadCount: number;
  loading: boolean;
}

/** An unread direct-message notification of this conversation that reading up to `seq` answers. */
export const isDirectNotificationOf = (item: NotificationItem, conversationId: string, seq: number): boolean =>
  !item.readAt &&
  item.kind === 'direct.message' &&
  item.data.conversationId === conversationId &&
  typeof item.data.seq === 'number' &&
  item.data.seq <= seq;

const initialState: NotificationsState = { items: [], unreadCount: 0, loading: false };

export const loadNotifications = createAsyncThunk('notifications/load', () => parley.notifications.list({ limit: 50 }));
export const markNotificationRead = createAsyncThunk('notifications/read', async (id: string) => {
  await parley.notifications.markRead(id);
  return id;
});
export const markAllNotificationsRead = createAsyncThunk('notifications/readAll', () =>
  parley.notifications.markAllRead(),
);

const notifications = createSlice({
  name: 'notifications',
  initialState,
  reducers: {
    notificationArrived(state, action: PayloadAction<NotificationItem>) {
      if (state.items.some((n) => n.id === action.payload.id)) return;
      state.items.unshift(action.payload);
      if (!action.payload.readAt) state.unreadCount += 1;
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
        const item = state.items.find((n) => n.id === payload);
        if (item && !item.readAt) {
          item.readAt = new Date().toISOString();
          state.unreadCount = Math.max(0, state.unreadCount - 1);
        }
      })
      .addCase(markAllNotificationsRead.fulfilled, (state) => {
        const now = new Date().toISOString();
        for (const item of state.items) item.readAt ??= now;
        state.unreadCount = 0;
      });
  },
});

export const { notificationArrived } = notifications.actions;
export default notifications.reducer;
