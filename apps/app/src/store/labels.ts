import type { Label } from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { parley } from '../api/parley';

/** The workspace's labels (staff only), by name: for chips, the ticket's picker and the queue filter. */
export interface LabelsState {
  items: Label[];
  loaded: boolean;
}

const initialState: LabelsState = { items: [], loaded: false };

export const loadLabels = createAsyncThunk('labels/load', async () => (await parley.labels.list()).items);

const labels = createSlice({
  name: 'labels',
  initialState,
  reducers: {
    /** Live `label.updated`: a new label, or one renamed or recoloured (kept in name order). */
    labelSaved(state, { payload }: PayloadAction<Label>) {
      state.items = [...state.items.filter((l) => l.id !== payload.id), payload].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
    },
    /** Live `label.deleted`: gone from the picker and the filter (tickets drop its chip too). */
    labelDeleted(state, { payload }: PayloadAction<string>) {
      state.items = state.items.filter((l) => l.id !== payload);
    },
  },
  extraReducers: (builder) => {
    builder.addCase(loadLabels.fulfilled, (state, { payload }) => {
      state.items = payload;
      state.loaded = true;
    });
  },
});

export const { labelSaved, labelDeleted } = labels.actions;
export default labels.reducer;
