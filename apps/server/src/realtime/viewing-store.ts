import type { Redis } from 'ioredis';

/**
 * Which conversation each socket shows its user right now (open, in a visible window), over
 * every node, so the node that derives a notification can skip it for whoever is looking.
 */
export interface ViewingStore {
  /** What this node's socket shows (null: nothing, or it is hidden, or it closed). */
  set(userId: string, socketId: string, conversationId: string | null): Promise<void>;
  /** Of these users, those with a socket on any node that shows the conversation. */
  viewers(userIds: readonly string[], conversationId: string): Promise<Set<string>>;
  close(): void;
}

/** One node: this process knows every socket. */
export function createLocalViewingStore(): ViewingStore {
  const byUser = new Map<string, Map<string, string>>();
  return {
    async set(userId, socketId, conversationId) {
      const sockets = byUser.get(userId) ?? new Map<string, string>();
      if (conversationId) sockets.set(socketId, conversationId);
      else sockets.delete(socketId);
      if (sockets.size > 0) byUser.set(userId, sockets);
      else byUser.delete(userId);
    },
    async viewers(userIds, conversationId) {
      return new Set(userIds.filter((id) => [...(byUser.get(id)?.values() ?? [])].includes(conversationId)));
    },
    close() {},
  };
}

/**
 * Several nodes: a hash per user, one field per socket (`node/socket`), `conversationId:expiresAtMs`,
 * refreshed by the node that holds the socket, like presence (presence-store.ts). A node that
 * dies stops refreshing, and its sockets count as looking at nothing once their entries expire.
 */
export function createRedisViewingStore(redis: Redis, nodeId: string, ttlMs: number, now = Date.now): ViewingStore {
  const key = (userId: string) => `parley:viewing:${userId}`;
  const mine = createLocalViewingStore();
  const held = new Map<string, { userId: string; conversationId: string }>();
  const write = (userId: string, field: string, conversationId: string) =>
    redis
      .multi()
      .hset(key(userId), field, `${conversationId}:${now() + ttlMs}`)
      .pexpire(key(userId), ttlMs * 2)
      .exec();
  const refresher = setInterval(() => {
    for (const [field, { userId, conversationId }] of held) void write(userId, field, conversationId).catch(() => {});
  }, ttlMs / 3);
  refresher.unref();
  return {
    async set(userId, socketId, conversationId) {
      await mine.set(userId, socketId, conversationId);
      const field = `${nodeId}/${socketId}`;
      if (conversationId) {
        held.set(field, { userId, conversationId });
        await write(userId, field, conversationId);
      } else {
        held.delete(field);
        await redis.hdel(key(userId), field);
      }
    },
    async viewers(userIds, conversationId) {
      // This node's own sockets need no round trip; Redis answers for the others.
      const found = await mine.viewers(userIds, conversationId);
      const rest = userIds.filter((id) => !found.has(id));
      if (rest.length === 0) return found;
      const pipeline = redis.pipeline();
      for (const id of rest) pipeline.hgetall(key(id));
      const results = (await pipeline.exec()) ?? [];
      rest.forEach((id, i) => {
        const fields = (results[i]?.[1] ?? {}) as Record<string, string>;
        const looking = Object.values(fields).some((value) => {
          const at = value.lastIndexOf(':');
          return value.slice(0, at) === conversationId && Number(value.slice(at + 1)) > now();
        });
        if (looking) found.add(id);
      });
      return found;
    },
    close: () => clearInterval(refresher),
  };
}
