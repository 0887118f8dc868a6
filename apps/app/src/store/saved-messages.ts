import type { Message, SavedMessage, SavedMessagePage } from '@parley/protocol';
import { createAction, createSlice } from '@reduxjs/toolkit';
import type { FormError } from '../api/errors';
import { parley } from '../api/parley';
import { formThunk } from './form-thunk';
import type { AppDispatch, RootState } from './index';
import { messageUpdated } from './messages';

/**
 * The user's saved messages, newest saved first, as far as paged in, and which messages are
 * saved (for the row menu's "Save" / "Remove from saved"). Saves on this device change it at
 * once; those on the user's other devices arrive as `message.saved` frames ([RT-READ]).
 */
export interface SavedMessagesState {
  items: SavedMessage[];
  /** Where the next (older) page starts; null: the list is complete. */
  nextCursor: string | null;
  /** The first page is in. */
  loaded: boolean;
  loading: boolean;
  failed: FormError['code'] | null;
  /** Messages known to be saved: those listed, and those saved since, here or elsewhere. */
  ids: Record<string, true>;
}

const initialState: SavedMessagesState = {
  items: [],
  nextCursor: null,
  loaded: false,
  loading: false,
  failed: null,
  ids: {},
};

export const SAVED_PAGE = 50;

/** The first page again (`more`: the next, older one). */
export const loadSaved = formThunk(
  'savedMessages/load',
  async ({ more = false, cursor }: { more?: boolean; cursor?: string | null } = {}): Promise<SavedMessagePage> =>
    parley.me.savedMessages({ limit: SAVED_PAGE, ...(more && cursor && { cursor }) }),
);

/** The next page after the ones shown. */
export const loadMoreSaved = () => (dispatch: AppDispatch, getState: () => RootState) => {
  const { nextCursor, loading } = getState().savedMessages;
  if (nextCursor && !loading) void dispatch(loadSaved({ more: true, cursor: nextCursor }));
};

/** Saves a message, or takes it off the list. */
export const setSaved = formThunk(
  'savedMessages/set',
  async ({ message, saved }: { message: Message; saved: boolean }) => {
    await (saved ? parley.me.saveMessage(message.id) : parley.me.unsaveMessage(message.id));
    return { savedAt: new Date().toISOString() };
  },
);

/** `message.saved`: the user saved or unsaved a message on another device. */
export const savedChanged = createAction<{ messageId: string; saved: boolean }>('savedMessages/changed');

/**
 * The frame says which message, not what it is: a save elsewhere reads the first page again
 * (if the list was read at all); an unsave just leaves the list.
 */
export const savedChangedLive =
  (frame: { messageId: string; saved: boolean }) => (dispatch: AppDispatch, getState: () => RootState) => {
    dispatch(savedChanged(frame));
    if (frame.saved && getState().savedMessages.loaded) void dispatch(loadSaved());
  };

/** The server's order: newest saved first, then by message id, descending. */
const isOlder = (a: SavedMessage, b: SavedMessage) =>
  a.savedAt < b.savedAt || (a.savedAt === b.savedAt && a.message.id < b.message.id);

function drop(state: SavedMessagesState, messageId: string) {
  delete state.ids[messageId];
  state.items = state.items.filter((item) => item.message.id !== messageId);
}

const slice = createSlice({
  name: 'savedMessages',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(loadSaved.pending, (state) => {
        state.loading = true;
      })
      .addCase(loadSaved.rejected, (state, { payload }) => {
        state.loading = false;
        state.failed = payload?.code ?? 'internal';
      })
      .addCase(loadSaved.fulfilled, (state, { payload: page, meta }) => {
        state.loading = false;
        state.failed = null;
        for (const item of page.items) state.ids[item.message.id] = true;
        if (meta.arg?.more) {
          const known = new Set(state.items.map((item) => item.message.id));
          state.items.push(...page.items.filter((item) => !known.has(item.message.id)));
          state.nextCursor = page.nextCursor;
          return;
        }
        // The first page again: it says what is saved up to its last item; older pages already
        // read stay (and where the next one starts with them).
        const fresh = new Set(page.items.map((item) => item.message.id));
        const last = page.items.at(-1);
        const older =
          page.nextCursor === null || !last
            ? []
            : state.items.filter((item) => !fresh.has(item.message.id) && isOlder(item, last));
        for (const item of state.items) {
          if (!fresh.has(item.message.id) && !older.includes(item)) delete state.ids[item.message.id];
        }
        state.items = [...page.items, ...older];
        state.nextCursor = older.length > 0 ? state.nextCursor : page.nextCursor;
        state.loaded = true;
      })
      // The row menu says so at once; taken back if the server refuses.
      .addCase(setSaved.pending, (state, { meta }) => {
        const { message, saved } = meta.arg;
        if (saved) state.ids[message.id] = true;
        else delete state.ids[message.id];
      })
      .addCase(setSaved.fulfilled, (state, { payload, meta }) => {
        const { message, saved } = meta.arg;
        if (!saved) drop(state, message.id);
        else if (state.loaded && !state.items.some((item) => item.message.id === message.id)) {
          state.items.unshift({ message, savedAt: payload.savedAt });
        }
      })
      .addCase(setSaved.rejected, (state, { meta }) => {
        const { message, saved } = meta.arg;
        if (saved) delete state.ids[message.id];
        else state.ids[message.id] = true;
      })
      .addCase(savedChanged, (state, { payload }) => {
        if (payload.saved) state.ids[payload.messageId] = true;
        else drop(state, payload.messageId);
      })
      // The list shows a saved message as it is now; a deleted one leaves it (as on the server).
      .addCase(messageUpdated, (state, { payload: message }) => {
        const at = state.items.findIndex((item) => item.message.id === message.id);
        if (at < 0) return;
        if (message.deletedAt !== null) state.items.splice(at, 1);
        else state.items[at] = { ...state.items[at]!, message };
      });
  },
});

export default slice.reducer;
