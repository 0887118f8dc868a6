import type { Scope } from '../auth/actor';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import type { DomainEvent } from '../events/domain-events';
import type { EventBus } from '../events/event-bus';
import type { ChannelDispatcher } from '../notification-channels/channel-dispatcher';
import type { ViewingStore } from '../realtime/viewing-store';
import type { NewNotification } from './notification-content';
import { notificationsOf } from './notification-recipients';
import { findEntries } from './notification-repository';
import { markConversationNotificationsRead } from './notification-service';
import { createNotificationWriter } from './notification-writer';

export interface Notifier {
  /** Resolves once every event published so far has had its notifications stored and sent. */
  settled(): Promise<void>;
  stop(): void;
}

/**
 * Notifications hang off committed domain events, outside the transactions that made them:
 * sending a message costs no notification work before its ack. Each event is handled once in
 * the cluster, by the node that published it. Who is looking at the conversation (on any node)
 * hears nothing; a read of the conversation answers its notifications.
 */
export function startNotifier(deps: {
  db: Db;
  clock: Clock;
  events: EventBus;
  viewing: ViewingStore;
  /** Takes the notifications on to push and email (absent: the app's own channel only). */
  channels?: ChannelDispatcher;
  onError: (error: unknown) => void;
}): Notifier {
  const writer = createNotificationWriter(deps);
  const inFlight = new Set<Promise<unknown>>();

  // Every read and write below is in the event's workspace (the event is the scope).
  /** Who is to hear of the event (reads only; several events are worked out at once). */
  async function derive(event: DomainEvent): Promise<NewNotification[]> {
    const made = await notificationsOf(deps.db, event);
    // A rule's words are in its notification only: whoever is looking at the thread needs it too.
    if (made.length === 0 || event.type === 'ticket.rule_notify') return made;
    const conversationId = made[0]!.conversationId;
    const looking = conversationId
      ? await deps.viewing.viewers(
          made.map((n) => n.userId),
          conversationId,
        )
      : new Set<string>();
    return made.filter((n) => !looking.has(n.userId));
  }

  // Handed to the writer in the order the events of one conversation were published, whichever
  // was worked out first: a reply and then the reopening it caused must leave the entry saying
  // "reopened". Conversations do not wait for each other (a chain for all cut dm throughput 3×).
  const tails = new Map<string, Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const tracked = work.catch(deps.onError).finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  const unsubscribe = deps.events.subscribeLocal((event) => {
    if (!HANDLED.has(event.type)) return;
    if (event.type === 'read') {
      track(markConversationNotificationsRead(deps, event, event.userId, event.conversationId, event.seq));
      return;
    }
    const derived = derive(event);
    const key = threadOf(event) ?? event.type;
    const added = (tails.get(key) ?? Promise.resolve()).then(async () => {
      let made = await derived;
      // A resend is checked against what the thread's earlier events wrote, once that has landed:
      // its first publish may be in the writer still (checked sooner, both made one: a duplicate).
      if (made.length > 0 && event.type === 'message.created' && event.resent) {
        await writer.settled();
        made = await notYetCounted(deps.db, event, made, event.message.seq);
      }
      if (made.length === 0) return;
      const at = timeOf(event) ?? deps.clock.now();
      writer.add(event, made, at);
      if (deps.channels) track(deps.channels(event, made, at));
    });
    // A failure is its own event's (reported by track), not the next one's.
    const tail = added.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    track(added);
  });

  return {
    async settled() {
      // Events reach subscribers on a later turn (event-bus.ts): let those already published arrive.
      await new Promise((resolve) => setImmediate(resolve));
      while (inFlight.size > 0) await Promise.all(inFlight);
      await writer.settled();
    },
    stop: unsubscribe,
  };
}

/**
 * A resend is published again because the first publish may never have happened (the answer
 * to the commit was lost): its notifications are made then, unless an entry covers it already.
 */
async function notYetCounted(db: Db, ws: Scope, made: NewNotification[], seq: number): Promise<NewNotification[]> {
  if (made.length === 0) return made;
  const entries = await findEntries(
    db,
    ws,
    made.map((n) => n.userId),
    made[0]!.conversationId!,
  );
  const covered = new Set(entries.filter((e) => e.seq !== null && e.seq >= seq).map((e) => e.userId));
  return made.filter((n) => !covered.has(n.userId));
}

/** The conversation whose order the event's notifications keep, if it has one. */
function threadOf(event: DomainEvent): string | undefined {
  if (event.type === 'message.created') return event.message.conversationId;
  if (event.type === 'ticket.updated') return event.ticket.conversationId;
  if (event.type === 'ticket.rule_notify') return event.conversationId;
  return undefined;
}

/** When it happened: a notification dates from its event, not from when it was derived. */
function timeOf(event: DomainEvent): number | undefined {
  if (event.type === 'message.created') return Date.parse(event.message.createdAt);
  if (event.type === 'ticket.updated') return Date.parse(event.ticket.updatedAt);
  return undefined;
}

const HANDLED: ReadonlySet<DomainEvent['type']> = new Set([
  'message.created',
  'ticket.updated',
  'ticket.rule_notify',
  'webhook.disabled',
  'data_export.ready',
  'read',
]);
