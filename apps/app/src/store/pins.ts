import type { Message, PinList, PinnedMessage } from '@parley/protocol';
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { FormError } from '../api/errors';
import { parley } from '../api/parley';
import { formThunk } from './form-thunk';
import type { AppDispatch, RootState } from './index';
import { messageUpdated } from './messages';

/**
 * Each open conversation's pin board, newest pin first, as the server answers it. Every pin and
 * unpin is a line in the thread (`message.pinned` / `message.unpinned`), so a board is read
 * again when such a line arrives live ([RT-READ]); edits and deletions of pinned messages are
 * applied from `message.updated` in between.
 */
export interface PinsState {
  byConversation: Record<string, readonly PinnedMessage[]>;
  /** Why the last pin or unpin in a conversation was refused (until the next one). */
  refused: Record<string, FormError['code']>;
}

const initialState: PinsState = { byConversation: {}, refused: {} };

const NO_PINS: readonly PinnedMessage[] = [];

export const selectPins = (state: { pins: PinsState }, conversationId: string): readonly PinnedMessage[] =>
  state.pins.byConversation[conversationId] ?? NO_PINS;

export const selectIsPinned = (state: { pins: PinsState }, conversationId: string, messageId: string): boolean =>
  selectPins(state, conversationId).some((pin) => pin.message.id === messageId);

export const loadPins = formThunk('pins/load', (conversationId: string) => parley.conversations.pins(conversationId));

/** Pins or unpins a message; the server answers with the board as it is now. */
export const setPinned = formThunk(
  'pins/set',
  ({ conversationId, messageId, pinned }: { conversationId: string; messageId: string; pinned: boolean }) =>
    pinned
      ? parley.conversations.pin(conversationId, messageId)
      : parley.conversations.unpin(conversationId, messageId),
);

/** A line saying a message was pinned or unpinned. */
export const isPinLine = (message: Pick<Message, 'system'>): boolean =>
  message.system?.event === 'message.pinned' || message.system?.event === 'message.unpinned';

/**
 * A live message: a pin or unpin line reloads that conversation's board, if it is shown (a
 * board nobody has opened is read when it is).
 */
export const pinLineArrived = (message: Message) => (dispatch: AppDispatch, getState: () => RootState) => {
  if (isPinLine(message) && getState().pins.byConversation[message.conversationId]) {
    void dispatch(loadPins(message.conversationId));
  }
};

const pins = createSlice({
  name: 'pins',
  initialState,
  reducers: {
    refusalDismissed(state, action: PayloadAction<string>) {
      delete state.refused[action.payload];
    },
  },
  extraReducers: (builder) => {
    const store = (state: PinsState, conversationId: string, list: PinList) => {
      state.byConversation[conversationId] = list.items;
    };
    builder
      .addCase(loadPins.fulfilled, (state, { payload, meta }) => store(state, meta.arg, payload))
      .addCase(setPinned.pending, (state, { meta }) => {
        delete state.refused[meta.arg.conversationId];
      })
      .addCase(setPinned.fulfilled, (state, { payload, meta }) => store(state, meta.arg.conversationId, payload))
      .addCase(setPinned.rejected, (state, { payload, meta }) => {
        state.refused[meta.arg.conversationId] = payload?.code ?? 'internal';
      })
      // The board shows a pinned message as it is now; a deleted one leaves it (as on the server).
      .addCase(messageUpdated, (state, { payload: message }) => {
        const board = state.byConversation[message.conversationId];
        if (!board?.some((pin) => pin.message.id === message.id)) return;
        state.byConversation[message.conversationId] =
          message.deletedAt !== null
            ? board.filter((pin) => pin.message.id !== message.id)
            : board.map((pin) => (pin.message.id === message.id ? { ...pin, message } : pin));
      });
  },
});

export const { refusalDismissed } = pins.actions;
export default pins.reducer;
