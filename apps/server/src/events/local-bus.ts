import { createLocalDelivery, type EventBus } from './event-bus';

/** One node: events go straight to this process's sockets. */
export function createLocalBus(onHandlerError: (error: unknown) => void = () => {}): EventBus {
  const local = createLocalDelivery(onHandlerError);
  return {
    publish: (event) => local.deliver(event),
    subscribe: local.subscribe,
    subscribeLocal: local.subscribe, // every event is this node's own
    isConnected: () => true,
    onMissedEvents: () => () => {}, // nothing to miss: every event starts here
    close: async () => {},
  };
}
