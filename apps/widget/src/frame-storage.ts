import type { KeyValueStorage } from '@parley/client';

/**
 * The frame's `localStorage`, or memory where the browser refuses it (storage blocked for
 * third-party frames): the chat then lasts as long as the page. A third-party frame's storage
 * is partitioned by the site embedding it, so each site has its own guest.
 */
export interface FrameStorage {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}

export function frameStorage(): FrameStorage {
  const memory = new Map<string, string>();
  const attempt = <T>(use: (storage: Storage) => T, fallback: () => T): T => {
    try {
      return use(window.localStorage);
    } catch {
      return fallback();
    }
  };
  return {
    get: (key) =>
      attempt(
        (s) => s.getItem(key),
        () => memory.get(key) ?? null,
      ),
    set: (key, value) =>
      attempt(
        (s) => s.setItem(key, value),
        () => void memory.set(key, value),
      ),
    remove: (key) =>
      attempt(
        (s) => s.removeItem(key),
        () => void memory.delete(key),
      ),
  };
}

/** The same storage as the SDK's outbox wants it. */
export function asKeyValueStorage(storage: FrameStorage): KeyValueStorage {
  return {
    getItem: async (key) => storage.get(key),
    setItem: async (key, value) => storage.set(key, value),
    removeItem: async (key) => storage.remove(key),
  };
}
