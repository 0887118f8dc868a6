import type { Label } from '@parley/protocol';
import { createAsyncThunk, createSlice } from '@reduxjs/toolkit';
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
  reducers: {},
  extraReducers: (builder) => {
    builder.addCase(loadLabels.fulfilled, (state, { payload }) => {
      state.items = payload;
      state.loaded = true;
    });
  },
});

export default labels.reducer;
