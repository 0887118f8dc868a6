import type { Redis } from 'ioredis';

export type LiveStatus = 'online' | 'away';
export type Status = LiveStatus | 'offline';

/** Where each node records its users' status, so any node can tell a user's overall status. */
export interface PresenceStore {
  /** This node's view of the user; null when the user has no socket here any more. */
  put(userId: string, status: LiveStatus | null): Promise<void>;
  /** The user's status over all nodes: online beats away beats offline. */
  get(userIds: readonly string[]): Promise<Map<string, Status>>;
  /** Re-asserts this node's entries before they expire. */
  refresh(entries: ReadonlyMap<string, LiveStatus>): Promise<void>;
}

export const combine = (statuses: Iterable<Status>): Status => {
  let best: Status = 'offline';
  for (const s of statuses) if (s === 'online' || (s === 'away' && best === 'offline')) best = s;
  return best;
};

/** One node: this process knows everything. */
export function createLocalPresenceStore(): PresenceStore {
  const statuses = new Map<string, LiveStatus>();
  return {
    async put(userId, status) {
      if (status) statuses.set(userId, status);
      else statuses.delete(userId);
    },
    async get(userIds) {
      return new Map(userIds.map((id) => [id, statuses.get(id) ?? 'offline']));
    },
    async refresh() {},
  };
}

/**
 * Several nodes: a hash per user, one field per node, `status:expiresAtMs`. A node that dies
 * stops refreshing its fields, which then count as offline once expired: no node has to
 * notice the death. Redis 7.0 has no per-field TTL, hence the expiry inside the value.
 */
export function createRedisPresenceStore(redis: Redis, nodeId: string, ttlMs: number, now = Date.now): PresenceStore {
  const key = (userId: string) => `parley:presence:${userId}`;
  const write = (userId: string, status: LiveStatus) =>
    redis
      .multi()
      .hset(key(userId), nodeId, `${status}:${now() + ttlMs}`)
      .pexpire(key(userId), ttlMs * 2)
      .exec();
  return {
    async put(userId, status) {
      if (status) await write(userId, status);
      else await redis.hdel(key(userId), nodeId);
    },
    async get(userIds) {
      const pipeline = redis.pipeline();
      for (const id of userIds) pipeline.hgetall(key(id));
      const results = (await pipeline.exec()) ?? [];
      return new Map(
        userIds.map((id, i) => {
          const fields = (results[i]?.[1] ?? {}) as Record<string, string>;
          const fresh = Object.values(fields).flatMap((value): LiveStatus[] => {
            const [status, expiresAt] = value.split(':');
            return Number(expiresAt) > now() && (status === 'online' || status === 'away') ? [status] : [];
          });
          return [id, combine(fresh)] as const;
        }),
      );
    },
    async refresh(entries) {
      await Promise.all([...entries].map(([userId, status]) => write(userId, status)));
    },
  };
}
