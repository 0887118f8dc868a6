import { Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { EventBus } from '../events/event-bus';
import { createLocalBus } from '../events/local-bus';
import { createRedisBus } from '../events/redis-bus';
import { reportOutages, type OutageReport } from '../events/redis-outages';
import { createLocalPresenceStore, createRedisPresenceStore, type PresenceStore } from './presence-store';
import { createLocalViewingStore, createRedisViewingStore, type ViewingStore } from './viewing-store';

export interface RealtimeInfrastructure {
  events: EventBus;
  presenceStore: PresenceStore;
  /** Which conversation each socket shows, over every node (notifications skip whoever looks). */
  viewingStore: ViewingStore;
  /** The shared Redis connection for commands (presence, counters), when clustered. */
  redis: Redis | undefined;
  /** Whether Redis (when configured) answers; always true on a single node. */
  isHealthy(): boolean;
  close(): Promise<void>;
}

/** One process: in-memory bus and presence. With REDIS_URL: both through Redis, for a cluster. */
export async function createRealtimeInfrastructure(
  redisUrl: string | undefined,
  log: FastifyBaseLogger,
  presenceTtlMs: number,
): Promise<RealtimeInfrastructure> {
  const onError = (error: unknown, context = 'realtime') => log.error({ err: error }, `${context} failed`);
  if (!redisUrl) {
    const events = createLocalBus(onError);
    return {
      events,
      presenceStore: createLocalPresenceStore(),
      viewingStore: createLocalViewingStore(),
      redis: undefined,
      isHealthy: () => true,
      close: () => events.close(),
    };
  }
  const outages: OutageReport = {
    lost: (error, name) =>
      log.error({ err: error }, `${name}: connection lost, retrying (logged again when it is back)`),
    back: (name, downForMs) => log.info({ downForMs }, `${name}: connected again`),
  };
  const events = await createRedisBus({ url: redisUrl, onError, outages });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: true });
  reportOutages(redis, 'redis commands', outages);
  await redis.connect();
  const viewingStore = createRedisViewingStore(redis, events.nodeId, presenceTtlMs);
  return {
    events,
    presenceStore: createRedisPresenceStore(redis, events.nodeId, presenceTtlMs),
    viewingStore,
    redis,
    isHealthy: () => events.isConnected() && redis.status === 'ready',
    async close() {
      viewingStore.close();
      redis.disconnect();
      await events.close();
    },
  };
}
