import type { Db } from '../db/connect';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType, type JobContext, type JobType } from '../jobs/job-type';
import { DomainEventSchema, type DomainEvent } from './domain-events';
import type { EventBus } from './event-bus';

type EventOf<T extends DomainEvent['type']> = Extract<DomainEvent, { type: T }>;

/**
 * Something that must follow an event once in the cluster, even when the node that made the
 * change dies right after its commit: auto-assignment, SLA clocks, automation rules
 * (docs/decisions/0008-durable-reactions.md). Live fan-out and notifications stay on the bus.
 */
export interface Reaction<T extends DomainEvent['type'] = DomainEvent['type']> {
  /** Unique; names its job kind (`reaction.<name>`), so never rename one that has run. */
  name: string;
  on: readonly T[];
  /**
   * Whether this event concerns the reaction at all, decided from the event alone when it is
   * recorded: an event it would ignore adds no job.
   */
  wants?: (event: EventOf<T>) => boolean;
  /** Runs at least once per recorded event (a job): must be safe to run twice. */
  handle: (event: EventOf<T>, context: JobContext) => Promise<void>;
}

export interface Reactions {
  /** At start-up, beside the feature: one job kind per reaction. */
  add<T extends DomainEvent['type']>(reaction: Reaction<T>): void;
  /**
   * In the service's transaction, before it commits: a job for each reaction that wants the
   * event, so the reactions happen exactly when the change does. Publish the event (live) after
   * the commit as before; that also wakes this node's job runner.
   */
  record(trx: Db, event: DomainEvent, at: number): Promise<void>;
}

interface Registered {
  reaction: Reaction;
  job: JobType<DomainEvent>;
}

export function createReactions(jobs: Pick<JobRunner, 'register' | 'wake'>, events: EventBus): Reactions {
  const byType = new Map<DomainEvent['type'], Registered[]>();
  const wanting = (event: DomainEvent) =>
    (byType.get(event.type) ?? []).filter(({ reaction }) => !reaction.wants || reaction.wants(event));
  // A recorded event is published by the node that recorded it: run its reactions now, not at
  // the next poll. Only when a reaction wants it: a wake-up is a query, and most messages (a
  // listened-for type) concern no reaction.
  events.subscribeLocal((event) => {
    if (wanting(event).length > 0) jobs.wake();
  });
  return {
    add(reaction) {
      const registered: Registered = {
        reaction: reaction as unknown as Reaction,
        job: defineJobType(`reaction.${reaction.name}`, DomainEventSchema, {
          maxAttempts: 6,
          backoffMs: 5_000,
          maxBackoffMs: 10 * 60_000,
          leaseMs: 60_000,
        }),
      };
      jobs.register(registered.job, (event, context) => registered.reaction.handle(event, context));
      for (const type of reaction.on) byType.set(type, [...(byType.get(type) ?? []), registered]);
    },
    async record(trx, event, at) {
      for (const { job } of wanting(event)) await enqueueJob(trx, { type: job, payload: event, runAt: at });
    },
  };
}
