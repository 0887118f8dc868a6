import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import type { Selectable, Updateable } from 'kysely';
import type { JobsTable } from '../db/schema';
import { ensureRecurringJob, type NewJob } from './job-queue';
import { backoffDelay, GiveUpError, type JobHandler, type JobType } from './job-type';

/**
 * Runs the durable jobs (docs/decisions/0004-durable-jobs.md). Every node runs one; they share
 * the `jobs` table. A node claims a due job with a conditional UPDATE that takes a lease, so no
 * two nodes run a job at once; a node that dies loses its lease when it lapses, and the job
 * runs again elsewhere. Delivery is at least once: handlers must be safe to repeat.
 */
export interface JobRunner {
  /** Says how to run a kind. A node claims only the kinds it knows (rolling upgrades). */
  register<P>(type: JobType<P>, handler: JobHandler<P>): void;
  /**
   * A recurring job this node keeps alive (see ensureRecurringJob): written at the first run,
   * not here, so building the app touches no table.
   */
  keepRecurring<P>(job: NewJob<P> & { dedupeKey: string }): void;
  /** Polls every `pollMs` until stopped. */
  start(): void;
  /** Stops polling and waits for the job in hand, if any; jobs not yet claimed stay queued. */
  stop(): Promise<void>;
  /** Runs every job due by the clock now, one after another; tests call it to step the queue. */
  runDueJobs(): Promise<JobRunReport>;
  /**
   * Looks for due jobs now instead of at the next poll (a job was just committed that should not
   * wait for it); a no-op until started. Other nodes find the job at their next poll.
   */
  wake(): void;
}

export interface JobRunReport {
  succeeded: number;
  failed: number;
}

interface JobLog {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface JobRunnerOptions {
  db: Db;
  clock: Clock;
  log: JobLog;
  pollMs: number;
}

/** Jobs read per query; a run goes on reading until nothing is due, within MAX_BATCHES. */
const BATCH = 20;
const MAX_BATCHES = 50;
const ERROR_CHARS = 1000;

interface Registered {
  type: JobType<unknown>;
  handler: JobHandler<unknown>;
}

export function createJobRunner({ db, clock, log, pollMs }: JobRunnerOptions): JobRunner {
  const registry = new Map<string, Registered>();
  const recurring: (NewJob<unknown> & { dedupeKey: string })[] = [];
  let recurringEnsured = false;
  const node = `${os.hostname().slice(0, 24)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** The wait before the next run; undefined while a run goes on (or when not started). */
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let stopping = false;
  /** A wake-up came during a run: the next run starts right after it. */
  let woken = false;
  // One run at a time on this node: a poll and a test's runDueJobs never interleave.
  let running: Promise<unknown> = Promise.resolve();

  const dueJobs = (now: number) =>
    db
      .selectFrom('jobs')
      .select(['id', 'kind'])
      .where('failedAt', 'is', null)
      .where('runAt', '<=', now)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
      .where('kind', 'in', [...registry.keys()])
      // Jobs due at the same moment run in the order they were made (ids sort by creation):
      // a rule chain's events must be seen in the order they happened.
      .orderBy('runAt')
      .orderBy('id')
      .limit(BATCH)
      .execute();

  /** Takes the job if it is still due and free; the answer is the row, locked by `lock`, or null. */
  async function claim(id: string, leaseMs: number, lock: string, now: number) {
    const result = await db
      .updateTable('jobs')
      .set((eb) => ({ lockedBy: lock, lockedUntil: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('failedAt', 'is', null)
      .where('runAt', '<=', now)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) return null; // another node was first
    return (
      (await db.selectFrom('jobs').selectAll().where('id', '=', id).where('lockedBy', '=', lock).executeTakeFirst()) ??
      null
    );
  }

  /** Changes a job this run holds; a no-op when its lease lapsed and another node took it. */
  const release = (id: string, lock: string, changes: Updateable<JobsTable>) =>
    db
      .updateTable('jobs')
      .set({ ...changes, lockedBy: null, lockedUntil: null })
      .where('id', '=', id)
      .where('lockedBy', '=', lock)
      .execute();

  async function runOne(id: string, { type, handler }: Registered): Promise<boolean | null> {
    const lock = `${node}:${randomBytes(4).toString('hex')}`;
    const claimedAt = clock.now();
    const job = await claim(id, type.leaseMs, lock, claimedAt);
    if (!job) return null;
    if (job.attempts > job.maxAttempts) {
      // Its last attempts never finished: the nodes running it died (perhaps of this very job).
      await recordFailure(job, type, lock, new Error('Every attempt was cut short (its node stopped)'));
      return false;
    }
    let outcome: Awaited<ReturnType<JobHandler<unknown>>>;
    try {
      const payload = type.payload.parse(JSON.parse(job.payload));
      outcome = await handler(payload, { jobId: id, attempt: job.attempts, now: claimedAt });
    } catch (error) {
      await recordFailure(job, type, lock, error);
      return false;
    }
    if (outcome) {
      // Recurring: the same row waits for its next turn, with a fresh set of attempts.
      const runAt = Math.max(outcome.runAgainAt, clock.now() + 1);
      await release(id, lock, { runAt, attempts: 0, lastError: null });
    } else {
      await db.deleteFrom('jobs').where('id', '=', id).where('lockedBy', '=', lock).execute();
    }
    return true;
  }

  async function recordFailure(job: Selectable<JobsTable>, type: JobType<unknown>, lock: string, error: unknown) {
    const lastError = errorText(error);
    const now = clock.now();
    const about = { id: job.id, kind: job.kind, attempts: job.attempts };
    if (job.attempts >= job.maxAttempts || error instanceof GiveUpError) {
      log.error({ job: about, err: error }, 'job failed for good');
      await release(job.id, lock, { failedAt: now, lastError });
    } else {
      const runAt = now + backoffDelay(type, job.attempts, error);
      log.warn({ job: { ...about, runAt }, err: error }, 'job failed; will retry');
      await release(job.id, lock, { runAt, lastError });
    }
  }

  async function runDue(): Promise<JobRunReport> {
    const report = { succeeded: 0, failed: 0 };
    if (registry.size === 0) return report;
    if (!recurringEnsured) {
      for (const job of recurring) await ensureRecurringJob(db, job);
      recurringEnsured = true;
    }
    for (let batch = 0; batch < MAX_BATCHES && !stopping; batch += 1) {
      const due = await dueJobs(clock.now());
      for (const { id, kind } of due) {
        if (stopping) break;
        const ran = await runOne(id, registry.get(kind)!);
        if (ran === true) report.succeeded += 1;
        if (ran === false) report.failed += 1;
      }
      if (due.length < BATCH) break;
    }
    return report;
  }

  function runDueJobs(): Promise<JobRunReport> {
    const run = running.then(runDue, runDue);
    running = run.catch(() => {});
    return run;
  }

  function poll(delayMs = pollMs) {
    timer = setTimeout(() => {
      timer = undefined;
      woken = false;
      runDueJobs()
        .catch((error: unknown) => log.error({ err: error }, 'job runner: could not read the queue'))
        .finally(() => {
          if (!stopping) poll(woken ? 0 : pollMs);
        });
    }, delayMs);
  }

  return {
    register(type, handler) {
      if (registry.has(type.kind)) throw new Error(`Job kind ${type.kind} is registered twice`);
      registry.set(type.kind, { type, handler } as Registered);
    },
    keepRecurring(job) {
      recurring.push(job as NewJob<unknown> & { dedupeKey: string });
      recurringEnsured = false;
    },
    start() {
      stopping = false;
      if (started) return;
      started = true;
      poll(0); // at once: what came due while the node was down is late already
    },
    wake() {
      if (!started || stopping) return;
      if (timer) {
        clearTimeout(timer);
        poll(0);
      } else woken = true;
    },
    async stop() {
      stopping = true;
      started = false;
      clearTimeout(timer);
      timer = undefined;
      await running;
    },
    runDueJobs,
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, ERROR_CHARS);
}
