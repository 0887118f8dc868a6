import type { AutomationEvent } from '@parley/protocol';
import type { DomainEvent } from '../events/domain-events';
import type { EventBus } from '../events/event-bus';

/**
 * What a rule listens for: its event, or for a timed rule what its time counts from
 * (`since:customer_message`: each customer message starts its clock).
 */
export type Interest = Exclude<AutomationEvent['type'], 'time.elapsed'> | `since:${TimedSince}`;
type TimedSince = Extract<AutomationEvent, { type: 'time.elapsed' }>['since'];

export const interestOf = (event: AutomationEvent): Interest =>
  event.type === 'time.elapsed' ? `since:${event.since}` : event.type;

/** A public message by a person in a ticket thread: who wrote it, as rules tell them apart. */
export function messageAuthor(event: Extract<DomainEvent, { type: 'message.created' }>): 'customer' | 'agent' | null {
  const ticket = event.context?.ticket;
  const { message } = event;
  if (!ticket || event.resent || message.kind !== 'text' || message.senderId === null) return null;
  return message.senderId === ticket.requesterId ? 'customer' : 'agent';
}

/** What an event may concern, decided from the event alone (no query). */
export function interestsOf(event: DomainEvent): Interest[] {
  if (event.type === 'ticket.updated') {
    const from = event.change?.from;
    if (from === undefined) return [];
    if (from === null) return ['ticket.created', 'since:created', 'since:status_changed'];
    return from.status === event.ticket.status ? ['ticket.updated'] : ['ticket.updated', 'since:status_changed'];
  }
  if (event.type === 'message.created') {
    const author = messageAuthor(event);
    if (author === 'customer') return ['message.customer', 'since:customer_message'];
    if (author === 'agent') return ['message.agent', 'since:agent_message'];
    return [];
  }
  if (event.type === 'ticket.sla') return event.state === 'breached' ? ['sla.breached'] : [];
  if (event.type === 'ticket.labels_changed') return ['ticket.labels_changed'];
  return [];
}

/**
 * Per node, what each workspace's enabled rules listen for, so that an event no rule listens
 * for (a reply in a workspace without message rules: the hot path) adds no job and costs no
 * query. Learnt by the rules' job, which reads the rules anyway; forgotten when the rules change
 * (here at once, elsewhere through `automation.rules_changed`, everywhere after a bus outage).
 * A workspace it does not know yet gets a job, which teaches it.
 */
export interface RuleIndex {
  /** Whether a rule of the workspace may listen for the event (true when unknown). */
  wants(event: DomainEvent): boolean;
  /** The generation to pass to `learn`: a change in between makes what was read stale. */
  generation(workspaceId: string): number;
  learn(workspaceId: string, interests: Iterable<Interest>, generation: number): void;
  forget(workspaceId: string): void;
  /** How to read a workspace's interests: an event of a workspace it does not know starts a read. */
  readWith(read: (workspaceId: string) => Promise<Interest[]>): void;
}

const indexes = new WeakMap<EventBus, RuleIndex>();

/** The index of the node whose bus this is (routes and reactions share the bus object). */
export function ruleIndexOf(events: EventBus): RuleIndex {
  let index = indexes.get(events);
  if (!index) {
    index = createRuleIndex();
    indexes.set(events, index);
    const known = index;
    events.subscribe((event) => {
      if (event.type === 'automation.rules_changed') known.forget(event.workspaceId);
    });
    events.onMissedEvents(() => known.forget('*'));
  }
  return index;
}

function createRuleIndex(): RuleIndex {
  const known = new Map<string, Set<Interest>>();
  const generations = new Map<string, number>();
  const reading = new Set<string>();
  let read: ((workspaceId: string) => Promise<Interest[]>) | null = null;
  let everything = 0;
  const generation = (workspaceId: string) => (generations.get(workspaceId) ?? 0) + everything * 1_000_000;
  const learn = (workspaceId: string, interests: Iterable<Interest>, atGeneration: number) => {
    if (generation(workspaceId) === atGeneration) known.set(workspaceId, new Set(interests));
  };
  /** One read at a time per workspace, in the background; meanwhile its events get jobs. */
  const startReading = (workspaceId: string) => {
    if (!read || reading.has(workspaceId)) return;
    reading.add(workspaceId);
    const atGeneration = generation(workspaceId);
    read(workspaceId)
      .then((interests) => learn(workspaceId, interests, atGeneration))
      .catch(() => undefined) // it stays unknown: events keep their jobs, which read again
      .finally(() => reading.delete(workspaceId));
  };
  return {
    wants(event) {
      const interests = interestsOf(event);
      if (interests.length === 0) return false;
      const listening = known.get(event.workspaceId);
      if (listening === undefined) startReading(event.workspaceId);
      return listening === undefined || interests.some((i) => listening.has(i));
    },
    generation,
    learn,
    readWith(reader) {
      read = reader;
    },
    forget(workspaceId) {
      if (workspaceId === '*') {
        everything += 1;
        known.clear();
        return;
      }
      generations.set(workspaceId, (generations.get(workspaceId) ?? 0) + 1);
      known.delete(workspaceId);
    },
  };
}
