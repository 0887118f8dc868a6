import type { Scope } from '../auth/actor';
import type { EventBus } from '../events/event-bus';
import { combine, type LiveStatus, type PresenceStore, type Status } from './presence-store';

/**
 * Presence is per workspace: a person online in one of their workspaces is not online in the
 * others (nobody there may even know they exist). Keys of the tracker and the store are
 * `<workspace id>:<user id>`.
 */
export interface PresenceTracker {
  /** A socket of this user is connected with this status (connecting counts as online). */
  set(ws: Scope, userId: string, socketId: string, status: LiveStatus): void;
  /** The socket closed. The user goes offline only if no socket is back within the grace period. */
  remove(ws: Scope, userId: string, socketId: string): void;
  statusOf(ws: Scope, userIds: readonly string[]): Promise<Map<string, Status>>;
  close(): void;
}

const presenceKey = (ws: Scope, userId: string) => `${ws.workspaceId}:${userId}`;
const parseKey = (key: string) => {
  const [workspaceId, userId] = key.split(':') as [string, string];
  return { workspaceId, userId };
};

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
          opts.events.publish({ ...parseKey(userId), type: 'presence', status });
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
    set(ws, member, socketId, status) {
      const userId = presenceKey(ws, member);
      clearTimeout(graceTimers.get(userId));
      graceTimers.delete(userId);
      const mine = sockets.get(userId) ?? new Map<string, LiveStatus>();
      const before = localStatus(userId);
      mine.set(socketId, status);
      sockets.set(userId, mine);
      if (localStatus(userId) !== before || !announced.has(userId)) sync(userId);
    },
    remove(ws, member, socketId) {
      const userId = presenceKey(ws, member);
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
    async statusOf(ws, userIds) {
      const statuses = await opts.store.get(userIds.map((id) => presenceKey(ws, id)));
      return new Map([...statuses].map(([key, status]) => [parseKey(key).userId, status]));
    },
    close() {
      clearInterval(refresher);
      for (const timer of graceTimers.values()) clearTimeout(timer);
    },
  };
}
