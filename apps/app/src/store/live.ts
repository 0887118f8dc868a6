import type { RealtimeStatus } from '@parley/client';
import type { PresenceStatus } from '@parley/protocol';
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

/** Ephemeral realtime state: the connection, who is online, who is typing where. */
export interface LiveState {
  connection: RealtimeStatus;
  presence: Record<string, PresenceStatus>;
  /** conversationId -> userId -> until (epoch ms). */
  typing: Record<string, Record<string, number>>;
}

const initialState: LiveState = { connection: 'idle', presence: {}, typing: {} };

const live = createSlice({
  name: 'live',
  initialState,
  reducers: {
    connectionChanged(state, action: PayloadAction<RealtimeStatus>) {
      state.connection = action.payload;
    },
    presenceChanged(state, action: PayloadAction<{ userId: string; status: PresenceStatus }>) {
      state.presence[action.payload.userId] = action.payload.status;
    },
    typingStarted(state, action: PayloadAction<{ conversationId: string; userId: string; until: number }>) {
      const { conversationId, userId, until } = action.payload;
      (state.typing[conversationId] ??= {})[userId] = until;
    },
    /** A message from someone ends their typing indicator at once. */
    typingStopped(state, action: PayloadAction<{ conversationId: string; userId: string }>) {
      delete state.typing[action.payload.conversationId]?.[action.payload.userId];
    },
  },
});

export const { connectionChanged, presenceChanged, typingStarted, typingStopped } = live.actions;
export default live.reducer;
