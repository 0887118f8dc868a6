import type { Me, MyWorkspace, Workspace } from '@parley/protocol';
import { createAction, createAsyncThunk, createSlice } from '@reduxjs/toolkit';
import { parley } from '../api/parley';

/**
 * The person's workspaces, for the switcher: each with their role and unread count there. The
 * current one's count on screen is the live one of the notifications slice; the others' come
 * from `GET /me/workspaces`, fetched again on focus and after notification frames.
 */
export interface WorkspacesState {
  items: MyWorkspace[];
  /** The workspace being switched to, while the switch is under way. */
  switchingTo: string | null;
}

const initialState: WorkspacesState = { items: [], switchingTo: null };

export const loadWorkspaces = createAsyncThunk('workspaces/load', async () => (await parley.me.workspaces()).items);

/**
 * Everything of the workspace left behind is dropped when this is dispatched (see the root
 * reducer): nothing of A may show on B's screens. Carries the user as the new session has it.
 */
export const workspaceSwitched = createAction<Me>('workspaces/switched');

/** A new session in another workspace; the socket moves with it (the SDK does that). */
export const switchWorkspace = createAsyncThunk('workspaces/switch', async (workspaceId: string, { dispatch }) => {
  const { user } = await parley.auth.switchWorkspace(workspaceId);
  dispatch(workspaceSwitched(user));
  void dispatch(loadWorkspaces());
  return user.workspace.id;
});

/** Joins an invite's workspace as the signed-in person, and moves there like a switch. */
export const joinWorkspace = createAsyncThunk('workspaces/join', async (invite: string, { dispatch }) => {
  const { user } = await parley.auth.join({ invite });
  dispatch(workspaceSwitched(user));
  void dispatch(loadWorkspaces());
  return user.workspace.id;
});

/** The workspace was renamed or rebranded (a `workspace.updated` frame, or an admin's own change). */
export const workspaceUpdated = createAction<Workspace>('workspaces/updated');

const workspaces = createSlice({
  name: 'workspaces',
  initialState,
  reducers: {},
  extraReducers: (builder) => {
    builder
      .addCase(loadWorkspaces.fulfilled, (state, { payload }) => ({ ...state, items: payload }))
      .addCase(switchWorkspace.pending, (state, { meta }) => ({ ...state, switchingTo: meta.arg }))
      .addCase(switchWorkspace.rejected, (state) => ({ ...state, switchingTo: null }))
      .addCase(workspaceSwitched, (state, { payload }) => ({
        switchingTo: null,
        items: state.items.map((item) => ({ ...item, current: item.workspace.id === payload.workspace.id })),
      }))
      .addCase(workspaceUpdated, (state, { payload }) => {
        for (const item of state.items) if (item.workspace.id === payload.id) item.workspace = payload;
      });
  },
});

export default workspaces.reducer;
