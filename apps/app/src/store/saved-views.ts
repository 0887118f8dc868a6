import type { CreateSavedViewBody, Me, SavedView, UpdateSavedViewBody } from '@parley/protocol';
import { createAsyncThunk, createSlice } from '@reduxjs/toolkit';
import { parley } from '../api/parley';
import { can } from '../api/permissions';
import { formThunk } from './form-thunk';

/**
 * Saved views (staff): shared ones and the reader's own, each with its count for them. Counts
 * stay live by asking again, debounced, when a ticket changes (`ticketChangedLive`): a count is
 * the reader's own (what they may see, what is theirs), so one `GET /views` per burst is cheaper
 * and simpler than the server recounting every view of every reader on each ticket change.
 */
export interface SavedViewsState {
  items: SavedView[];
  loaded: boolean;
}

const initialState: SavedViewsState = { items: [], loaded: false };

const staffOnly = (getState: () => unknown) =>
  can((getState() as { session: { user: Me | null } }).session.user, 'tickets.work');

export const loadSavedViews = createAsyncThunk('savedViews/load', () => parley.views.list(), {
  condition: (_: void, { getState }) => staffOnly(getState),
});

export const createSavedView = formThunk('savedViews/create', (body: CreateSavedViewBody) => parley.views.create(body));

export const updateSavedView = formThunk(
  'savedViews/update',
  ({ id, changes }: { id: string; changes: UpdateSavedViewBody }) => parley.views.update(id, changes),
);

export const deleteSavedView = createAsyncThunk('savedViews/delete', async (id: string) => {
  await parley.views.remove(id);
  return id;
});

const byPosition = (a: SavedView, b: SavedView) => a.position - b.position || a.id.localeCompare(b.id);

const savedViews = createSlice({
  name: 'savedViews',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(loadSavedViews.fulfilled, (state, { payload }) => {
        state.items = payload.items;
        state.loaded = true;
      })
      .addCase(createSavedView.fulfilled, (state, { payload }) => {
        state.items = [...state.items.filter((v) => v.id !== payload.id), payload].sort(byPosition);
      })
      .addCase(updateSavedView.fulfilled, (state, { payload }) => {
        state.items = state.items.map((v) => (v.id === payload.id ? payload : v)).sort(byPosition);
      })
      .addCase(deleteSavedView.fulfilled, (state, { payload }) => {
        state.items = state.items.filter((v) => v.id !== payload);
      });
  },
});

export default savedViews.reducer;
