import type { DomainEvent } from './domain-events';
import type { EventBus } from './event-bus';

/**
 * Per node, what each workspace's settings listen for (its automation rules, its webhooks), so
 * that an event nothing listens for (a reply in a workspace without message rules: the hot path)
 * adds no job and costs no query. Learnt by reading the settings (at the first event of a
 * workspace, and by the reaction, which reads them anyway); forgotten when they change (here at
 * once, elsewhere through the feature's `*_changed` event, everywhere after a bus outage).
 * A workspace it does not know yet gets a job, which teaches it.
 */
export interface InterestIndex<I extends string> {
  /** Whether the workspace's settings may listen for the event (true when unknown). */
  wants(event: DomainEvent): boolean;
  /** The generation to pass to `learn`: a change in between makes what was read stale. */
  generation(workspaceId: string): number;
  learn(workspaceId: string, interests: Iterable<I>, generation: number): void;
  forget(workspaceId: string): void;
  /** How to read a workspace's interests: an event of a workspace it does not know starts a read. */
  readWith(read: (workspaceId: string) => Promise<I[]>): void;
}

export interface InterestIndexKind<I extends string> {
  /** Unique per kind of setting: one index per node and name. */
  name: string;
  /** What an event may concern, decided from the event alone (no query). */
  interestsOf(event: DomainEvent): I[];
  /** The workspace whose settings this event says changed, if it is such an event. */
  changedIn(event: DomainEvent): string | null;
}

const indexes = new WeakMap<EventBus, Map<string, InterestIndex<string>>>();

/** The index of the node whose bus this is (routes and reactions share the bus object). */
export function interestIndexOf<I extends string>(events: EventBus, kind: InterestIndexKind<I>): InterestIndex<I> {
  const ofBus = indexes.get(events) ?? new Map<string, InterestIndex<string>>();
  indexes.set(events, ofBus);
  const existing = ofBus.get(kind.name);
  if (existing) return existing as InterestIndex<I>;
  const index = createInterestIndex(kind.interestsOf);
  ofBus.set(kind.name, index as InterestIndex<string>);
  events.subscribe((event) => {
    const workspaceId = kind.changedIn(event);
    if (workspaceId !== null) index.forget(workspaceId);
  });
  events.onMissedEvents(() => index.forget('*'));
  return index;
}

function createInterestIndex<I extends string>(interestsOf: (event: DomainEvent) => I[]): InterestIndex<I> {
  const known = new Map<string, Set<I>>();
  const generations = new Map<string, number>();
  const reading = new Set<string>();
  let read: ((workspaceId: string) => Promise<I[]>) | null = null;
  let everything = 0;
  const generation = (workspaceId: string) => (generations.get(workspaceId) ?? 0) + everything * 1_000_000;
  const learn = (workspaceId: string, interests: Iterable<I>, atGeneration: number) => {
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
