import type { DomainEvent } from './domain-events';

export type EventHandler = (event: DomainEvent) => void;

/**
 * The port through which committed events reach every node's sockets. Publish only after the
 * transaction that made the change has committed: a subscriber may read the database at once.
 */
export interface EventBus {
  publish(event: DomainEvent): void;
  /** Every event published on any node, this one included. Returns the unsubscribe. */
  subscribe(handler: EventHandler): () => void;
  /**
   * Only the events this node publishes: for subscribers that must act once per event in the
   * cluster (store a notification), not once per node. Returns the unsubscribe.
   */
  subscribeLocal(handler: EventHandler): () => void;
  /** Whether events from other nodes can arrive now (always true for a single node). */
  isConnected(): boolean;
  /**
   * Called when events from other nodes may have gone by unheard (the link to them was cut and
   * is back). Whoever relays events live must then read what they missed from the database.
   */
  onMissedEvents(handler: () => void): () => void;
  close(): Promise<void>;
}

/**
 * Delivers to this process's subscribers, in publish order, on a later turn of the event loop:
 * the publisher finishes first (a sender gets its `ack` before the `message` echo), and a
 * handler that throws does not stop the others.
 */
export function createLocalDelivery(onHandlerError: (error: unknown) => void) {
  const handlers = new Set<EventHandler>();
  return {
    deliver(event: DomainEvent) {
      setImmediate(() => {
        for (const handler of handlers) {
          try {
            handler(event);
          } catch (error) {
            onHandlerError(error);
          }
        }
      });
    },
    subscribe(handler: EventHandler) {
      handlers.add(handler);
      return () => void handlers.delete(handler);
    },
  };
}
