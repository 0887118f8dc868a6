import { createSlice, type PayloadAction } from '@reduxjs/toolkit';
import type { AppDispatch, RootState } from './index';
import { deleteMessage } from './messages';

/**
 * Deleting with Undo (like Gmail): the message shows as deleted at once, but the request goes
 * out only when the Undo time runs out, when the user leaves the chat, or when the page closes.
 * The server cannot bring a deleted message back (its files are removed), so the only honest
 * Undo is not to send the delete yet. One deletion is undoable at a time: a second one sends
 * the first, so nothing waits unseen behind a bar that no longer offers it.
 */
export const UNDO_MS = 5_000;

export interface MessageRef {
  conversationId: string;
  messageId: string;
}

export interface UndoDeleteState {
  /** Messages shown as deleted whose delete is not confirmed yet (waiting for Undo, or on its way). */
  hidden: Record<string, string>;
  /** The deletion the bar offers to undo. */
  undoable: MessageRef | null;
  /** The last deletion the server refused: the message is back and the user is told. */
  failed: MessageRef | null;
}

const initialState: UndoDeleteState = { hidden: {}, undoable: null, failed: null };

/** The timer of the undoable deletion (kept out of the store: it is not data). */
let timer: ReturnType<typeof setTimeout> | undefined;

const slice = createSlice({
  name: 'undoDelete',
  initialState,
  reducers: {
    deleteScheduled(state, { payload }: PayloadAction<MessageRef>) {
      state.hidden[payload.messageId] = payload.conversationId;
      state.undoable = payload;
      state.failed = null;
    },
    deleteUndone(state, { payload }: PayloadAction<MessageRef>) {
      delete state.hidden[payload.messageId];
      if (state.undoable?.messageId === payload.messageId) state.undoable = null;
    },
    deleteSending(state, { payload }: PayloadAction<MessageRef>) {
      if (state.undoable?.messageId === payload.messageId) state.undoable = null;
    },
    failureDismissed(state) {
      state.failed = null;
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(deleteMessage.fulfilled, (state, { meta }) => {
        delete state.hidden[meta.arg.messageId];
      })
      .addCase(deleteMessage.rejected, (state, { meta, error }) => {
        if (!(meta.arg.messageId in state.hidden)) return;
        delete state.hidden[meta.arg.messageId];
        // Deleted meanwhile (another device) or gone: what the user wanted is true already.
        if (error.code === 'conflict' || error.code === 'not_found') return;
        // Otherwise the message is back on screen, and the user is told it is.
        state.failed = { conversationId: meta.arg.conversationId, messageId: meta.arg.messageId };
      });
  },
});

export const { failureDismissed } = slice.actions;
const { deleteScheduled, deleteUndone, deleteSending } = slice.actions;

type Thunk<R = void> = (dispatch: AppDispatch, getState: () => RootState) => R;

/**
 * Sends the undoable deletion now (time ran out, the user left the chat, or a new deletion
 * takes the bar). `keepalive` when the page is closing, so the request outlives it.
 */
export const sendPendingDelete =
  ({ keepalive = false }: { keepalive?: boolean } = {}): Thunk<Promise<void>> =>
  async (dispatch, getState) => {
    clearTimeout(timer);
    const ref = getState().undoDelete.undoable;
    if (!ref) return;
    dispatch(deleteSending(ref));
    await dispatch(deleteMessage({ ...ref, keepalive }));
  };

/** Shows the message as deleted, with Undo, and sends the deletion once the time runs out. */
export const deleteWithUndo =
  (ref: MessageRef): Thunk =>
  (dispatch) => {
    void dispatch(sendPendingDelete());
    dispatch(deleteScheduled(ref));
    timer = setTimeout(() => void dispatch(sendPendingDelete()), UNDO_MS);
  };

/** Takes the deletion back before it was sent: nobody else ever saw it. */
export const undoDelete = (): Thunk => (dispatch, getState) => {
  const ref = getState().undoDelete.undoable;
  if (!ref) return;
  clearTimeout(timer);
  dispatch(deleteUndone(ref));
};

export default slice.reducer;
