import type { Me } from '@parley/protocol';
import type { KeyValueStorage } from './storage';

/** What survives a restart: the token pair and the user it belongs to (null until known). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  user: Me | null;
}

export interface SessionStore {
  /** Reads the persisted session once at start-up; later calls return the value in memory. */
  load(): Promise<StoredSession | null>;
  /** The current session, as last loaded or set. */
  get(): StoredSession | null;
  /**
   * Reads storage again, for when something else may have written it (another tab of the app):
   * listeners hear of it only if the tokens changed.
   */
  reload(): Promise<StoredSession | null>;
  set(session: StoredSession): Promise<void>;
  clear(): Promise<void>;
  /** Called after every `set` and `clear`; returns the function that removes the listener. */
  onChange(listener: (session: StoredSession | null) => void): () => void;
}

/** Where the session is kept in the app's storage (other tabs of a web app watch this key). */
export const SESSION_STORAGE_KEY = 'parley.session';

export function createSessionStore(storage: KeyValueStorage, key = SESSION_STORAGE_KEY): SessionStore {
  let current: StoredSession | null = null;
  let loading: Promise<StoredSession | null> | undefined;
  const listeners = new Set<(session: StoredSession | null) => void>();

  const update = (session: StoredSession | null) => {
    current = session;
    // Once the app has set or cleared a session, a late `load` must not overwrite it.
    loading ??= Promise.resolve(session);
    for (const listener of listeners) listener(session);
  };

  return {
    load() {
      loading ??= storage.getItem(key).then((raw) => (current = parseSession(raw)));
      return loading;
    },
    get: () => current,
    async reload() {
      const stored = parseSession(await storage.getItem(key));
      if (stored?.refreshToken !== current?.refreshToken || stored?.accessToken !== current?.accessToken)
        update(stored);
      return current;
    },
    async set(session) {
      update(session);
      await storage.setItem(key, JSON.stringify(session));
    },
    async clear() {
      update(null);
      await storage.removeItem(key);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

/** Anything unreadable (old format, hand-edited storage) counts as signed out rather than crashing. */
function parseSession(raw: string | null): StoredSession | null {
  if (raw === null) return null;
  try {
    const value = JSON.parse(raw) as Partial<StoredSession> | null;
    if (typeof value?.accessToken !== 'string' || typeof value.refreshToken !== 'string') return null;
    return { accessToken: value.accessToken, refreshToken: value.refreshToken, user: value.user ?? null };
  } catch {
    return null;
  }
}
