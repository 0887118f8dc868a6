import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { DomainEventSchema } from './domain-events';
import { createLocalDelivery, type EventBus } from './event-bus';

const CHANNEL = 'parley:events';

const EnvelopeSchema = z.object({ node: z.string(), event: DomainEventSchema });

export interface RedisBusOptions {
  url: string;
  onError: (error: unknown, context: string) => void;
}

/**
 * Several nodes: an event is delivered to this node's sockets at once and published on Redis
 * for the others. If Redis is down, this node keeps serving its own sockets; the others miss
 * those events live and catch up by seq when their clients resubscribe. The database, not
 * Redis, is the source of truth.
 */
export async function createRedisBus(options: RedisBusOptions): Promise<EventBus & { nodeId: string }> {
  const nodeId = randomUUID();
  const local = createLocalDelivery((error) => options.onError(error, 'event handler'));
  const redisOptions = { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false };
  const publisher = new Redis(options.url, redisOptions);
  const subscriber = new Redis(options.url, redisOptions);
  for (const [client, name] of [
    [publisher, 'redis publisher'],
    [subscriber, 'redis subscriber'],
  ] as const) {
    client.on('error', (error) => options.onError(error, name));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.subscribe(CHANNEL);
  subscriber.on('message', (_channel, raw: string) => {
    let envelope: z.infer<typeof EnvelopeSchema>;
    try {
      envelope = EnvelopeSchema.parse(JSON.parse(raw));
    } catch (error) {
      options.onError(error, 'malformed event on redis'); // validate at the edge; drop, never crash
      return;
    }
    if (envelope.node !== nodeId) local.deliver(envelope.event);
  });

  return {
    nodeId,
    publish(event) {
      local.deliver(event);
      publisher
        .publish(CHANNEL, JSON.stringify({ node: nodeId, event }))
        .catch((error) => options.onError(error, 'redis publish'));
    },
    subscribe: local.subscribe,
    isConnected: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
