import type { EventBus } from '../events/event-bus';
import { combine, type LiveStatus, type PresenceStore, type Status } from './presence-store';

export interface PresenceTracker {
  /** A socket of this user is connected with this status (connecting counts as online). */
  set(userId: string, socketId: string, status: LiveStatus): void;
  /** The socket closed. The user goes offline only if no socket is back within the grace period. */
  remove(userId: string, socketId: string): void;
  statusOf(userIds: readonly string[]): Promise<Map<string, Status>>;
  close(): void;
}

/**
 * Turns sockets coming and going into `presence` events: one per real change of a user's overall
 * status (across tabs, devices and nodes), not one per socket.
 */
export function createPresenceTracker(opts: {
  events: EventBus;
  store: PresenceStore;
  graceMs: number;
  refreshMs: number;
  onError: (error: unknown) => void;
}): PresenceTracker {
  const sockets = new Map<string, Map<string, LiveStatus>>();
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const announced = new Map<string, Status>();

  const localStatus = (userId: string): LiveStatus | null => {
    const mine = sockets.get(userId);
    if (!mine || mine.size === 0) return null;
    return combine(mine.values()) as LiveStatus;
  };

  // Store writes are serialised per user, so a quick connect/disconnect cannot land out of order.
  const queues = new Map<string, Promise<void>>();
  const sync = (userId: string) => {
    const next = (queues.get(userId) ?? Promise.resolve()).then(async () => {
      try {
        await opts.store.put(userId, localStatus(userId));
        const status = (await opts.store.get([userId])).get(userId) ?? 'offline';
        if (announced.get(userId) !== status) {
          announced.set(userId, status);
          if (status === 'offline') announced.delete(userId);
          opts.events.publish({ type: 'presence', userId, status });
        }
      } catch (error) {
        opts.onError(error);
      }
    });
    queues.set(userId, next);
    void next.then(() => {
      if (queues.get(userId) === next) queues.delete(userId);
    });
  };

  const refresher = setInterval(() => {
    const live = new Map<string, LiveStatus>();
    for (const userId of sockets.keys()) {
      const status = localStatus(userId);
      if (status) live.set(userId, status);
    }
    opts.store.refresh(live).catch(opts.onError);
  }, opts.refreshMs);
  refresher.unref();

  return {
    set(userId, socketId, status) {
      clearTimeout(graceTimers.get(userId));
      graceTimers.delete(userId);
      const mine = sockets.get(userId) ?? new Map<string, LiveStatus>();
      const before = localStatus(userId);
      mine.set(socketId, status);
      sockets.set(userId, mine);
      if (localStatus(userId) !== before || !announced.has(userId)) sync(userId);
    },
    remove(userId, socketId) {
      const mine = sockets.get(userId);
      if (!mine?.delete(socketId)) return;
      if (mine.size > 0) {
        sync(userId); // e.g. the last "online" tab closed and an "away" one remains
        return;
      }
      sockets.delete(userId);
      clearTimeout(graceTimers.get(userId));
      graceTimers.set(
        userId,
        setTimeout(() => {
          graceTimers.delete(userId);
          if (!sockets.has(userId)) sync(userId);
        }, opts.graceMs),
      );
    },
    statusOf: (userIds) => opts.store.get(userIds),
    close() {
      clearInterval(refresher);
      for (const timer of graceTimers.values()) clearTimeout(timer);
    },
  };
}
