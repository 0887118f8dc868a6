import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { DomainEventSchema } from './domain-events';
import { createLocalDelivery, type EventBus } from './event-bus';
import { reportOutages, type OutageReport } from './redis-outages';

/**
 * One channel per workspace (`parley:events:<workspace id>`), and `parley:events:nodes` for the
 * nodes' own notices; a node listens to them all by pattern. A node that serves a subset of the
 * workspaces could subscribe to theirs only.
 */
const CHANNELS = 'parley:events:*';
const workspaceChannel = (workspaceId: string) => `parley:events:${workspaceId}`;
const NODES_CHANNEL = 'parley:events:nodes';

const EnvelopeSchema = z.union([
  z.object({ node: z.string(), event: DomainEventSchema }),
  /** "Events I published while cut off from Redis never reached you: catch up." */
  z.object({ node: z.string(), missed: z.literal(true) }),
]);

export interface RedisBusOptions {
  url: string;
  onError: (error: unknown, context: string) => void;
  outages: OutageReport;
}

/**
 * Several nodes: an event is delivered to this node's sockets at once and published on Redis
 * for the others. If Redis is down, this node keeps serving its own sockets. The database, not
 * Redis, is the source of truth: when the link is back, `onMissedEvents` tells the gateway to
 * read what went by unheard, on this node (its subscriber reconnected) and on the others
 * (this node announces that some of its publishes failed).
 */
export async function createRedisBus(options: RedisBusOptions): Promise<EventBus & { nodeId: string }> {
  const nodeId = randomUUID();
  const local = createLocalDelivery((error) => options.onError(error, 'event handler'));
  const own = createLocalDelivery((error) => options.onError(error, 'event handler'));
  const redisOptions = { maxRetriesPerRequest: 1, lazyConnect: true, enableOfflineQueue: false };
  const publisher = new Redis(options.url, redisOptions);
  const subscriber = new Redis(options.url, redisOptions);
  reportOutages(publisher, 'redis publisher', options.outages);
  reportOutages(subscriber, 'redis subscriber', options.outages);
  const missedHandlers = new Set<() => void>();
  const missedEvents = () => {
    for (const handler of missedHandlers) handler();
  };
  let publishFailed = false;

  await Promise.all([publisher.connect(), subscriber.connect()]);
  await subscriber.psubscribe(CHANNELS);
  subscriber.on('ready', () => {
    // A reconnect (the first connect is awaited above). Subscribed again, the gap is closed.
    subscriber.psubscribe(CHANNELS).then(missedEvents, (error) => options.onError(error, 'redis resubscribe'));
  });
  publisher.on('ready', () => {
    if (!publishFailed) return;
    publishFailed = false;
    publisher
      .publish(NODES_CHANNEL, JSON.stringify({ node: nodeId, missed: true }))
      .catch((error) => options.onError(error, 'redis publish'));
  });
  // This node's own publishes come back to it: told apart by their first bytes (the envelope is
  // written node first), before the JSON parse and the schema check every other event gets.
  const ownPrefix = JSON.stringify({ node: nodeId }).slice(0, -1) + ',';
  subscriber.on('pmessage', (_pattern, channel: string, raw: string) => {
    if (raw.startsWith(ownPrefix)) return;
    let envelope: z.infer<typeof EnvelopeSchema>;
    try {
      envelope = EnvelopeSchema.parse(JSON.parse(raw));
    } catch (error) {
      options.onError(error, 'malformed event on redis'); // validate at the edge; drop, never crash
      return;
    }
    if (!('event' in envelope)) missedEvents();
    // An event on another workspace's channel is malformed, whoever sent it: never cross over.
    else if (channel === workspaceChannel(envelope.event.workspaceId)) local.deliver(envelope.event);
    else options.onError(new Error(`event of another workspace on ${channel}`), 'malformed event on redis');
  });

  return {
    nodeId,
    publish(event) {
      local.deliver(event);
      own.deliver(event);
      publisher.publish(workspaceChannel(event.workspaceId), JSON.stringify({ node: nodeId, event })).catch((error) => {
        if (!publishFailed)
          options.onError(error, 'redis publish (further failures are not logged until Redis is back)');
        publishFailed = true;
      });
    },
    subscribe: local.subscribe,
    subscribeLocal: own.subscribe,
    onMissedEvents(handler) {
      missedHandlers.add(handler);
      return () => void missedHandlers.delete(handler);
    },
    isConnected: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}
