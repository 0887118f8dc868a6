import { sql } from 'kysely';
import type { Db } from '../db/connect';
import { newId } from '../ids';
import type { JobType } from './job-type';

export interface NewJob<P> {
  type: JobType<P>;
  payload: NoInfer<P>;
  runAt: number;
  /** At most one job per key exists at a time (a singleton or a recurring job). */
  dedupeKey?: string;
}

/**
 * Adds a job. Pass the service's transaction as `db` and the job commits (or rolls back)
 * together with the change that asked for it: no change without its job, no job without its
 * change. With a `dedupeKey` that another job holds, nothing is added and the answer is null;
 * that is not an error, so it does not abort the caller's transaction.
 */
export async function enqueueJob<P>(db: Db, job: NewJob<P>): Promise<string | null> {
  const id = newId();
  const insert = db.insertInto('jobs').values(rowOf(job, id));
  if (job.dedupeKey === undefined) {
    await insert.execute();
    return id;
  }
  // A unique violation would abort a PostgreSQL transaction: ask the database to skip instead.
  if (db.getExecutor().adapter.supportsReturning) {
    const added = await insert
      .onConflict((oc) => oc.column('dedupeKey').doNothing())
      .returning('id')
      .executeTakeFirst();
    return added ? id : null;
  }
  await insert.onDuplicateKeyUpdate((eb) => ({ id: eb.ref('jobs.id') })).execute();
  // MariaDB has no RETURNING, and its row count cannot tell: it counts the no-op update as a row
  // found. Our id can.
  const added = await db.selectFrom('jobs').select('id').where('id', '=', id).executeTakeFirst();
  return added ? id : null;
}

/**
 * Makes sure each job runs by its `runAt`: adds it, or moves the pending one of its key earlier
 * (never later). A job of the key that is running now has read its work already: it runs again
 * at the time asked for, after this run (the runner sets a running keyed job's `runAt` to its
 * `lockedUntil`: while the two are equal, nobody asked yet). One statement for all of them, so a caller with many (a message's recipients)
 * pays one round trip.
 */
export async function enqueueOrMoveEarlier<P>(db: Db, jobs: readonly (NewJob<P> & { dedupeKey: string })[]) {
  // One row per key: a statement may not both insert and update one row.
  const earliest = new Map<string, NewJob<P>>();
  for (const job of jobs) {
    const seen = earliest.get(job.dedupeKey);
    if (!seen || job.runAt < seen.runAt) earliest.set(job.dedupeKey, job);
  }
  if (earliest.size === 0) return;
  const insert = db.insertInto('jobs').values([...earliest.values()].map((job) => rowOf(job, newId())));
  if (db.getExecutor().adapter.supportsReturning) {
    await insert
      .onConflict((oc) =>
        oc
          .column('dedupeKey')
          .doUpdateSet((eb) => ({ runAt: eb.ref('excluded.runAt') }))
          .where((eb) =>
            eb.and([
              eb('jobs.failedAt', 'is', null),
              eb.or([
                eb('jobs.runAt', '>', eb.ref('excluded.runAt')),
                eb.and([eb('jobs.lockedBy', 'is not', null), eb('jobs.runAt', '=', eb.ref('jobs.lockedUntil'))]),
              ]),
            ]),
          ),
      )
      .execute();
    return;
  }
  await insert
    .onDuplicateKeyUpdate({
      runAt: sql`IF(failed_at IS NULL AND (run_at > VALUES(run_at) OR (locked_by IS NOT NULL AND run_at = locked_until)), VALUES(run_at), run_at)`,
    })
    .execute();
}

function rowOf<P>(job: NewJob<P>, id: string) {
  return {
    id,
    kind: job.type.kind,
    payload: JSON.stringify(job.type.payload.parse(job.payload)),
    runAt: job.runAt,
    maxAttempts: job.type.maxAttempts,
    lastError: null,
    lockedBy: null,
    lockedUntil: null,
    failedAt: null,
    dedupeKey: job.dedupeKey ?? null,
    createdAt: job.runAt,
  };
}

/**
 * Makes sure the recurring job `dedupeKey` exists: adds it (due at `runAt`) when missing, and
 * brings it back when it had used up its attempts, so a restart revives a housekeeping job
 * that a long outage made give up.
 */
export async function ensureRecurringJob<P>(db: Db, job: NewJob<P> & { dedupeKey: string }): Promise<void> {
  if (await enqueueJob(db, job)) return;
  await db
    .updateTable('jobs')
    .set({ failedAt: null, attempts: 0, runAt: job.runAt })
    .where('dedupeKey', '=', job.dedupeKey)
    .where('failedAt', 'is not', null)
    .execute();
}
