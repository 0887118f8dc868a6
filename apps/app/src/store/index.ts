import { combineReducers, configureStore, isAnyOf, type Middleware, type UnknownAction } from '@reduxjs/toolkit';
import { useDispatch, useSelector } from 'react-redux';
import calls from './calls';
import contacts from './contacts';
import conversations from './conversations';
import labels from './labels';
import live from './live';
import messages from './messages';
import notifications from './notifications';
import pins from './pins';
import preferences, { persistPreferences } from './preferences';
import session, { signedOut, signOut } from './session';
import savedMessages from './saved-messages';
import savedViews from './saved-views';
import tickets from './tickets';
import undoDelete from './undo-delete';
import workspaces, { workspaceSwitched } from './workspaces';

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
  workspaces,
  savedViews,
  labels,
  pins,
  savedMessages,
  calls,
});
type AppState = ReturnType<typeof appReducer>;

/** Signing out (or being signed out) forgets everything of that user; only device preferences stay. */
function rootReducer(state: AppState | undefined, action: UnknownAction): AppState {
  if (isAnyOf(signOut.fulfilled, signedOut)(action)) {
    return appReducer(state && ({ preferences: state.preferences } as AppState), action);
  }
  // Another workspace: the same person, but none of the old workspace's tickets, chats,
  // notifications or people may show there. The device's preferences and the list of
  // workspaces (for the switcher) stay.
  if (workspaceSwitched.match(action)) {
    return appReducer(state && ({ preferences: state.preferences, workspaces: state.workspaces } as AppState), action);
  }
  return appReducer(state, action);
}

const workspaceOf = (state: AppState) => state.session.user?.workspace.id;

/**
 * Drops the answer of a request that started in another workspace than the current one (it was
 * on its way when the person switched): it would put A's tickets on B's screens.
 */
const dropAnswersFromAnotherWorkspace: Middleware<object, AppState> = (api) => {
  const startedIn = new Map<string, string | undefined>();
  return (next) => (action) => {
    const meta = (action as { meta?: { requestId?: string; requestStatus?: string } }).meta;
    if (!meta?.requestId || !meta.requestStatus) return next(action);
    if (meta.requestStatus === 'pending') {
      startedIn.set(meta.requestId, workspaceOf(api.getState()));
      return next(action);
    }
    const started = startedIn.get(meta.requestId);
    startedIn.delete(meta.requestId);
    if (started !== undefined && started !== workspaceOf(api.getState())) return action;
    return next(action);
  };
};

export function createStore() {
  const store = configureStore({
    reducer: rootReducer,
    middleware: (getDefault) =>
      getDefault({
        // Timelines hold Maps: immutable values from the SDK, replaced whole, never mutated.
        serializableCheck: { ignoredPaths: ['messages'] },
        immutableCheck: { ignoredPaths: ['messages'] },
      }).concat(dropAnswersFromAnotherWorkspace),
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
