import { AppState } from 'react-native';
import type { AppStore } from './index';
import { loadWorkspaces } from './workspaces';

/** Several frames in a burst, or focus right after a frame, make one request. */
const QUIET_MS = 2_000;

/**
 * Keeps the switcher's unread counts of the other workspaces current, cheaply: the socket only
 * speaks for the current workspace, so the list is fetched again when the app comes back into
 * view and, for people with several workspaces, after a notification frame (at most one request
 * per quiet spell). Returns `poke` (call it on a notification frame) and `stop`.
 */
export function keepWorkspacesFresh(store: AppStore): { poke: () => void; stop: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const signedIn = () => store.getState().session.status === 'signedIn';
  const refetch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      if (signedIn()) void store.dispatch(loadWorkspaces());
    }, QUIET_MS);
  };
  const onVisible = () => {
    if (typeof document === 'undefined' || document.visibilityState === 'visible') refetch();
  };
  const subscription = AppState.addEventListener('change', (state) => state === 'active' && refetch());
  const web = typeof window !== 'undefined' && typeof window.addEventListener === 'function';
  if (web) window.addEventListener('focus', onVisible);
  return {
    poke() {
      if (store.getState().workspaces.items.length > 1) refetch();
    },
    stop() {
      clearTimeout(timer);
      subscription.remove();
      if (web) window.removeEventListener('focus', onVisible);
    },
  };
}
