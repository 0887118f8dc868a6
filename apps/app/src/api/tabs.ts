import { SESSION_STORAGE_KEY, type StoredSession } from '@parley/client';

/**
 * The browser's lock across the tabs of this origin, so one tab refreshes the shared session
 * while the others wait and then use its result. Undefined where there are no Web Locks.
 */
export function tabLock(): (<T>(name: string, task: () => Promise<T>) => Promise<T>) | undefined {
  if (typeof navigator === 'undefined' || !navigator.locks) return undefined;
  const locks = navigator.locks;
  // The lock's typing nests the task's promise; at run time it resolves to the task's value.
  return <T>(name: string, task: () => Promise<T>) => locks.request(name, task) as Promise<T>;
}

export interface SessionElsewhere {
  /** Another tab signed out (or was signed out). */
  signedOut(): void;
  /** Another tab signed in while this one was signed out, as someone else, or in another workspace. */
  signedIn(session: StoredSession, previous: StoredSession | null): void;
}

/**
 * Follows what other tabs do with the shared session: their refreshed tokens, their sign-outs
 * and sign-ins (the `storage` event fires in every tab but the one that wrote). Returns the
 * function that stops following.
 */
export function followSessionInOtherTabs(
  session: { get(): StoredSession | null; reload(): Promise<StoredSession | null> },
  on: SessionElsewhere,
): () => void {
  if (typeof window === 'undefined' || typeof window.addEventListener !== 'function') return () => undefined;
  const listener = (event: StorageEvent) => {
    // A null key means the whole storage was cleared.
    if (event.key !== SESSION_STORAGE_KEY && event.key !== null) return;
    const previous = session.get();
    void session.reload().then((current) => {
      if (!current) {
        if (previous) on.signedOut();
      } else if (
        current.user?.id !== previous?.user?.id ||
        // Another tab switched workspace: this one's screens belong to the old one.
        current.user?.workspace?.id !== previous?.user?.workspace?.id
      ) {
        on.signedIn(current, previous);
      }
    });
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}
