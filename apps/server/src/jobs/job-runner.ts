import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import type { Selectable, Updateable } from 'kysely';
import type { JobsTable } from '../db/schema';
import { ensureRecurringJob, type NewJob } from './job-queue';
import { backoffDelay, GiveUpError, MAX_DETACHED, type JobHandler, type JobType } from './job-type';

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
  /**
   * Stops polling and waits for the jobs in hand, if any (detached ones are told to stop through
   * their signal); jobs not yet claimed stay queued.
   */
  stop(): Promise<void>;
  /**
   * Runs every job due by the clock now, one after another (detached ones beside), and answers
   * when all of them are done; tests call it to step the queue.
   */
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
  /** The detached jobs in hand (JobType.detached). */
  const detached = new Set<Promise<void>>();
  /** A detached job was left for later because MAX_DETACHED were running: look again when one ends. */
  let detachedFull = false;
  let stopSignal = new AbortController();

  /** The kinds this node may start now: not the detached ones while MAX_DETACHED of them run. */
  const startableKinds = () =>
    detached.size < MAX_DETACHED
      ? [...registry.keys()]
      : [...registry.values()].filter((r) => !r.type.detached).map((r) => r.type.kind);

  const dueJobs = (now: number, kinds: string[]) =>
    db
      .selectFrom('jobs')
      .select(['id', 'kind'])
      .where('failedAt', 'is', null)
      .where('runAt', '<=', now)
      .where((eb) => eb.or([eb('lockedUntil', 'is', null), eb('lockedUntil', '<=', now)]))
      // Detached jobs waiting for a place must not hide the others behind them.
      .where('kind', 'in', kinds)
      // Jobs due at the same moment run in the order they were made (ids sort by creation):
      // a rule chain's events must be seen in the order they happened.
      .orderBy('runAt')
      .orderBy('id')
      .limit(BATCH)
      .execute();

  /**
   * Takes the job if it is still due and free; the answer is the row, locked by `lock`, or null.
   * A keyed job's `runAt` becomes the lease's end too: enqueueOrMoveEarlier, seeing the two
   * equal, knows it runs and has not been asked for since, and moves `runAt` to ask for another
   * run after this one. Unkeyed jobs keep theirs: the order they were made in is their order
   * after a dead node's lease lapses.
   */
  async function claim(id: string, leaseEnd: number, lock: string, now: number) {
    const result = await db
      .updateTable('jobs')
      .set((eb) => ({
        lockedBy: lock,
        lockedUntil: leaseEnd,
        runAt: eb.case().when('dedupeKey', 'is', null).then(eb.ref('runAt')).else(leaseEnd).end(),
        attempts: eb('attempts', '+', 1),
      }))
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

  /**
   * Changes a job this run holds; a no-op when its lease lapsed and another node took it, or
   * (given `unlessMovedFrom`) when its `runAt` is no longer that. Answers whether it changed it.
   */
  async function release(id: string, lock: string, changes: Updateable<JobsTable>, unlessMovedFrom?: number) {
    let update = db
      .updateTable('jobs')
      .set({ ...changes, lockedBy: null, lockedUntil: null })
      .where('id', '=', id)
      .where('lockedBy', '=', lock);
    if (unlessMovedFrom !== undefined) update = update.where('runAt', '=', unlessMovedFrom);
    return Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
  }

  /**
   * After a run that succeeded: done, or due again (recurring, or asked for while it ran: its
   * `runAt` is no longer `claimedRunAt`).
   */
  async function finish(id: string, lock: string, claimedRunAt: number, runAgainAt: number | null) {
    const fresh = { attempts: 0, lastError: null };
    // Recurring: the same row waits for its next turn, with a fresh set of attempts.
    const next = runAgainAt === null ? null : Math.max(runAgainAt, clock.now() + 1);
    if (next !== null) {
      if (await release(id, lock, { ...fresh, runAt: next }, claimedRunAt)) return;
    } else {
      const done = await db
        .deleteFrom('jobs')
        .where('id', '=', id)
        .where('lockedBy', '=', lock)
        .where('runAt', '=', claimedRunAt)
        .executeTakeFirst();
      if (Number(done.numDeletedRows) === 1) return;
    }
    // Asked for again while it ran: it runs again at the time asked for (or, recurring, sooner).
    await db
      .updateTable('jobs')
      .set((eb) => ({
        ...fresh,
        lockedBy: null,
        lockedUntil: null,
        ...(next !== null && { runAt: eb.case().when('runAt', '<', next).then(eb.ref('runAt')).else(next).end() }),
      }))
      .where('id', '=', id)
      .where('lockedBy', '=', lock)
      .execute();
  }

  async function runOne(id: string, { type, handler }: Registered): Promise<boolean | null> {
    const lock = `${node}:${randomBytes(4).toString('hex')}`;
    const claimedAt = clock.now();
    const leaseEnd = claimedAt + type.leaseMs;
    const job = await claim(id, leaseEnd, lock, claimedAt);
    if (!job) return null;
    if (job.attempts > job.maxAttempts) {
      // Its last attempts never finished: the nodes running it died (perhaps of this very job).
      await recordFailure(job, type, lock, new Error('Every attempt was cut short (its node stopped)'));
      return false;
    }
    let outcome: Awaited<ReturnType<JobHandler<unknown>>>;
    try {
      const payload = type.payload.parse(JSON.parse(job.payload));
      const signal = stopSignal.signal;
      outcome = await handler(payload, { jobId: id, attempt: job.attempts, now: claimedAt, signal });
    } catch (error) {
      await recordFailure(job, type, lock, error);
      return false;
    }
    await finish(id, lock, Number(job.runAt), outcome ? outcome.runAgainAt : null);
    return true;
  }

  /** Starts a detached job; its result lands in `report` when it ends. */
  function runDetached(id: string, registered: Registered, report: JobRunReport) {
    const run: Promise<void> = runOne(id, registered)
      .then(
        (ran) => {
          if (ran === true) report.succeeded += 1;
          if (ran === false) report.failed += 1;
        },
        (error: unknown) => log.error({ err: error, job: { id } }, 'job runner: could not run a detached job'),
      )
      .finally(() => {
        detached.delete(run);
        if (detachedFull) {
          detachedFull = false;
          wake();
        }
      });
    detached.add(run);
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
      const kinds = startableKinds();
      if (kinds.length === 0) break;
      const due = await dueJobs(clock.now(), kinds);
      for (const { id, kind } of due) {
        if (stopping) break;
        const registered = registry.get(kind)!;
        if (registered.type.detached) {
          if (detached.size < MAX_DETACHED) runDetached(id, registered, report);
          else detachedFull = true;
          continue;
        }
        const ran = await runOne(id, registered);
        if (ran === true) report.succeeded += 1;
        if (ran === false) report.failed += 1;
      }
      if (due.length < BATCH) break;
    }
    return report;
  }

  function step(): Promise<JobRunReport> {
    const run = running.then(runDue, runDue);
    running = run.catch(() => {});
    return run;
  }

  async function runDueJobs(): Promise<JobRunReport> {
    const report = await step();
    while (detached.size > 0) await Promise.all(detached);
    return report;
  }

  function wake() {
    if (!started || stopping) return;
    if (timer) {
      clearTimeout(timer);
      poll(0);
    } else woken = true;
  }

  function poll(delayMs = pollMs) {
    timer = setTimeout(() => {
      timer = undefined;
      woken = false;
      step()
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
      if (stopSignal.signal.aborted) stopSignal = new AbortController();
      poll(0); // at once: what came due while the node was down is late already
    },
    wake,
    async stop() {
      stopping = true;
      started = false;
      clearTimeout(timer);
      timer = undefined;
      stopSignal.abort();
      await running;
      while (detached.size > 0) await Promise.all(detached);
    },
    runDueJobs,
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, ERROR_CHARS);
}
