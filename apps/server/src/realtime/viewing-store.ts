import type { Redis } from 'ioredis';

/**
 * Which conversation each socket shows its user right now (open, in a visible window), over
 * every node, so the node that derives a notification can skip it for whoever is looking.
 */
export interface ViewingStore {
  /**
   * What this node's socket shows (null: nothing, or it is hidden, or it closed). `staff`: the
   * user is staff, whose viewing other staff see (collision); the previous conversation of the
   * socket is forgotten there too.
   */
  set(userId: string, socketId: string, conversationId: string | null, staff?: boolean): Promise<void>;
  /** Of these users, those with a socket on any node that shows the conversation. */
  viewers(userIds: readonly string[], conversationId: string): Promise<Set<string>>;
  /** The staff with a socket on any node that shows the conversation, sorted (for the `viewers` frame). */
  staffViewing(conversationId: string): Promise<string[]>;
  close(): void;
}

/** One node: this process knows every socket. */
export function createLocalViewingStore(): ViewingStore {
  const byUser = new Map<string, Map<string, string>>();
  /** Per conversation, the staff sockets that show it (socket id -> user id). */
  const staffByConversation = new Map<string, Map<string, string>>();
  const leaveStaff = (socketId: string, conversationId: string | undefined) => {
    const sockets = conversationId ? staffByConversation.get(conversationId) : undefined;
    if (!sockets) return;
    sockets.delete(socketId);
    if (sockets.size === 0) staffByConversation.delete(conversationId!);
  };
  return {
    async set(userId, socketId, conversationId, staff = false) {
      const sockets = byUser.get(userId) ?? new Map<string, string>();
      leaveStaff(socketId, sockets.get(socketId));
      if (conversationId) sockets.set(socketId, conversationId);
      else sockets.delete(socketId);
      if (sockets.size > 0) byUser.set(userId, sockets);
      else byUser.delete(userId);
      if (conversationId && staff) {
        const viewing = staffByConversation.get(conversationId) ?? new Map<string, string>();
        staffByConversation.set(conversationId, viewing.set(socketId, userId));
      }
    },
    async viewers(userIds, conversationId) {
      return new Set(userIds.filter((id) => [...(byUser.get(id)?.values() ?? [])].includes(conversationId)));
    },
    async staffViewing(conversationId) {
      return [...new Set(staffByConversation.get(conversationId)?.values() ?? [])].sort();
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
  /** Staff viewers of a conversation: one field per socket (`node/socket`), `userId:expiresAtMs`. */
  const staffKey = (conversationId: string) => `parley:viewing-staff:${conversationId}`;
  const mine = createLocalViewingStore();
  const held = new Map<string, { userId: string; conversationId: string; staff: boolean }>();
  const write = (userId: string, field: string, conversationId: string, staff: boolean) => {
    const until = now() + ttlMs;
    const multi = redis
      .multi()
      .hset(key(userId), field, `${conversationId}:${until}`)
      .pexpire(key(userId), ttlMs * 2);
    if (staff)
      multi.hset(staffKey(conversationId), field, `${userId}:${until}`).pexpire(staffKey(conversationId), ttlMs * 2);
    return multi.exec();
  };
  const refresher = setInterval(() => {
    for (const [field, { userId, conversationId, staff }] of held)
      void write(userId, field, conversationId, staff).catch(() => {});
  }, ttlMs / 3);
  refresher.unref();
  return {
    async set(userId, socketId, conversationId, staff = false) {
      await mine.set(userId, socketId, conversationId, staff);
      const field = `${nodeId}/${socketId}`;
      const before = held.get(field);
      if (before?.staff && before.conversationId !== conversationId) {
        await redis.hdel(staffKey(before.conversationId), field);
      }
      if (conversationId) {
        held.set(field, { userId, conversationId, staff });
        await write(userId, field, conversationId, staff);
      } else {
        held.delete(field);
        await redis.hdel(key(userId), field);
      }
    },
    async staffViewing(conversationId) {
      const fields = await redis.hgetall(staffKey(conversationId));
      const users = Object.values(fields).flatMap((value) => {
        const at = value.lastIndexOf(':');
        return Number(value.slice(at + 1)) > now() ? [value.slice(0, at)] : [];
      });
      return [...new Set(users)].sort();
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
