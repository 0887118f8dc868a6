import { combineReducers, configureStore, isAnyOf, type UnknownAction } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import contacts from './contacts';
import conversations from './conversations';
import live from './live';
import messages from './messages';
import notifications from './notifications';
import preferences, { persistPreferences } from './preferences';
import session, { signedOut, signOut } from './session';
import tickets from './tickets';
import undoDelete from './undo-delete';

const appReducer = combineReducers({
  session,
  tickets,
  conversations,
  messages,
  live,
  contacts,
  notifications,
  preferences,
  undoDelete,
});
type AppState = ReturnType<typeof appReducer>;

/** Signing out (or being signed out) forgets everything of that user; only device preferences stay. */
function rootReducer(state: AppState | undefined, action: UnknownAction): AppState {
  if (isAnyOf(signOut.fulfilled, signedOut)(action)) {
    return appReducer(state && ({ preferences: state.preferences } as AppState), action);
  }
  return appReducer(state, action);
}

export function createStore() {
  const store = configureStore({
    reducer: rootReducer,
    middleware: (getDefault) =>
      getDefault({
        // Timelines hold Maps: immutable values from the SDK, replaced whole, never mutated.
        serializableCheck: { ignoredPaths: ['messages'] },
        immutableCheck: { ignoredPaths: ['messages'] },
      }),
  });
  let saved = store.getState().preferences;
  store.subscribe(() => {
    const { preferences: now } = store.getState();
    if (now !== saved) void persistPreferences((saved = now));
  });
  return store;
}

export type AppStore = ReturnType<typeof createStore>;
export type RootState = ReturnType<AppStore['getState']>;
export type AppDispatch = AppStore['dispatch'];

export const useAppDispatch = useDispatch.withTypes<AppDispatch>();
export const useAppSelector = useSelector.withTypes<RootState>();
