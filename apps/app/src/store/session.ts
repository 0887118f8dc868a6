import type { UploadFile } from '@parley/client';
import type { LoginBody, Me, RegisterBody, UpdateMeBody } from '@parley/protocol';
import { createAsyncThunk, createSlice } from '@reduxjs/toolkit';
import { forgetOfflineData } from '../api/offline';
import { parley } from '../api/parley';
import { devicePush } from '../api/device-push';
import { formThunk } from './form-thunk';
import { setLanguage, type Language } from './preferences';
import { workspaceSwitched, workspaceUpdated } from './workspaces';

export interface SessionState {
  status: 'restoring' | 'signedOut' | 'signedIn';
  user: Me | null;
}

const initialState: SessionState = { status: 'restoring', user: null };

/** At launch: a stored session is resumed (and the socket connected); otherwise sign-in. */
export const restoreSession = createAsyncThunk('session/restore', async () => {
  await parley.session.load();
  if (!parley.session.get()) return null;
  try {
    const me = await parley.me.get();
    await parley.connect();
    return me;
  } catch {
    // Offline at launch: keep the stored user and go live anyway, so the socket comes up (and
    // the outbox kept from before is sent) as soon as the network returns.
    const user = parley.session.get()?.user ?? null;
    if (user) await parley.connect();
    return user;
  }
});

export const signIn = formThunk('session/signIn', async (body: LoginBody) => {
  const { user } = await parley.auth.login(body);
  await parley.connect();
  return user;
});

export const register = formThunk('session/register', async (body: RegisterBody) => {
  const { user } = await parley.auth.register(body);
  await parley.connect();
  return user;
});

/**
 * The signed-in person as the server has them now. Called whenever the socket is ready: the
 * server closes it (4401) when their role or its permissions change, so the one that replaces it
 * brings the app's decisions (`can`) up to date at once.
 */
export const refreshUser = createAsyncThunk('session/refreshUser', () => parley.me.get());

export const signOut = createAsyncThunk('session/signOut', async () => {
  // While still signed in (the server forgets this browser as a push device): no notifications
  // for the person who just left. Offline or refused, signing out goes on regardless.
  await devicePush.disable().catch(() => undefined);
  await parley.logout();
  await forgetOfflineData();
});

export const updateProfile = formThunk('session/updateProfile', (body: UpdateMeBody) => parley.me.update(body));

/**
 * The app's language, and (signed in) the person's mail language too: they read their mails in
 * the language they read the app in. The server is told in the background; offline, the app
 * still switches.
 */
export const chooseLanguage = createAsyncThunk<void, Language, { state: { session: SessionState } }>(
  'session/chooseLanguage',
  async (language, { dispatch, getState }) => {
    dispatch(setLanguage(language));
    const user = getState().session.user;
    if (user && user.locale !== language) await dispatch(updateProfile({ locale: language }));
  },
);

export const uploadAvatar = formThunk(
  'session/uploadAvatar',
  async ({ file, name }: { file: UploadFile; name: string }) => (await parley.me.setAvatar(file, name)).avatarUrl,
);

/** Staff: away (no auto-assigned tickets) or available again in this workspace. */
export const setAvailability = createAsyncThunk('session/setAvailability', (away: boolean) =>
  parley.me.setAvailability({ away }),
);

const session = createSlice({
  name: 'session',
  initialState,
  reducers: {
    /** The refresh token died: back to sign-in. */
    signedOut: () => ({ status: 'signedOut' as const, user: null }),
  },
  extraReducers: (builder) => {
    builder
      .addCase(restoreSession.fulfilled, (_, { payload }) =>
        payload ? { status: 'signedIn', user: payload } : { status: 'signedOut', user: null },
      )
      .addCase(restoreSession.rejected, () => ({ status: 'signedOut', user: null }))
      .addCase(signIn.fulfilled, (_, { payload }) => ({ status: 'signedIn', user: payload }))
      .addCase(register.fulfilled, (_, { payload }) => ({ status: 'signedIn', user: payload }))
      .addCase(signOut.fulfilled, () => ({ status: 'signedOut', user: null }))
      .addCase(workspaceSwitched, (_, { payload }) => ({ status: 'signedIn', user: payload }))
      .addCase(workspaceUpdated, (state, { payload }) => {
        if (state.user?.workspace.id === payload.id) state.user.workspace = payload;
      })
      .addCase(updateProfile.fulfilled, (state, { payload }) => ({ ...state, user: payload }))
      .addCase(refreshUser.fulfilled, (state, { payload }) =>
        state.status === 'signedIn' && state.user?.id === payload.id ? { ...state, user: payload } : state,
      )
      .addCase(setAvailability.fulfilled, (state, { payload }) => {
        if (state.user) state.user.awaySince = payload.awaySince;
      })
      .addCase(uploadAvatar.fulfilled, (state, { payload }) => {
        if (state.user) state.user.avatarUrl = payload;
      });
  },
});

export const { signedOut } = session.actions;
export default session.reducer;
