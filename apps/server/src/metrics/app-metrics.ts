import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../db/connect';
import type { GatewayStats } from '../realtime/gateway';
import type { EventBus } from '../events/event-bus';
import { processMetrics } from './process-metrics';

/** The label of requests that matched no route: raw URLs would make a series per scanner probe. */
export const UNMATCHED_ROUTE = '(unmatched)';

export interface AppMetrics {
  /** This app's metrics and the process's, what `GET /metrics` serves. */
  registry: Registry;
  observeRequest(labels: { method: string; route: string; statusCode: number }, seconds: number): void;
  /**
   * The bus, counting the messages created on this node. Counted where they are published, not
   * where they are delivered: with Redis, every node delivers every node's events, and summing
   * the nodes' counters would count each message once per node.
   */
  countMessagesPublished(bus: EventBus): EventBus;
}

/** What the gauges read, when scraped. */
export interface GaugeSources {
  openSockets(): number;
  gatewayStats(): GatewayStats;
  poolStats(): PoolStats;
  /** Only when clustered through Redis: a single node has no Redis to be down. */
  redisUp?: () => boolean;
}

/** A registry of its own per app: tests build several apps in one process. */
export function createAppMetrics(): AppMetrics {
  const registry = Registry.merge([processMetrics()]);
  const requestDuration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code, and how long they took',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const messagesCreated = new Counter({
    name: 'parley_messages_total',
    help: 'Messages created on this node (sum over the nodes for the cluster)',
    registers: [registry],
  });
  return {
    registry,
    observeRequest: ({ method, route, statusCode }, seconds) =>
      requestDuration.observe({ method, route, status_code: statusCode }, seconds),
    countMessagesPublished: (bus) => ({
      ...bus,
      publish(event) {
        if (event.type === 'message.created' && !event.resent) messagesCreated.inc();
        bus.publish(event);
      },
    }),
  };
}

/** Gauges that read their source at scrape time, so they are never stale. */
export function addGauges(registry: Registry, sources: GaugeSources): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('parley_ws_open_sockets', 'WebSockets connected to this node, signed in or not', sources.openSockets);
  const stats = sources.gatewayStats;
  gauge('parley_ws_users', 'Signed-in users with a socket on this node', () => stats().users);
  gauge('parley_ws_conversations', 'Conversations followed by a socket on this node', () => stats().conversations);
  gauge('parley_ws_watched_users', 'Users whose presence a socket on this node follows', () => stats().watched);
  gauge('parley_ws_subscriptions', 'Subscriptions of the sockets on this node', () => stats().subscriptions);
  gauge('parley_ws_pending_events', 'Live events held back for a replay or a missing seq', () => stats().pendingEvents);
  gauge('parley_ws_backlog_bytes', 'Bytes of frames received and not handled yet', () => stats().backlogBytes);
  gauge('parley_db_pool_connections', 'Database connections open, in use or idle', () => sources.poolStats().total);
  // SQLite shares one connection and reports neither: no series rather than a made-up zero.
  const { idle, waiting } = sources.poolStats();
  if (idle !== undefined) {
    gauge('parley_db_pool_idle_connections', 'Database connections open and idle', () => sources.poolStats().idle!);
  }
  if (waiting !== undefined) {
    gauge(
      'parley_db_pool_waiting_queries',
      'Queries waiting for a database connection to come free',
      () => sources.poolStats().waiting!,
    );
  }
  const { redisUp } = sources;
  if (redisUp)
    gauge('parley_redis_up', '1 while Redis (pub/sub and presence) answers, 0 otherwise', () => (redisUp() ? 1 : 0));
}
