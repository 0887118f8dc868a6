import { SqliteAdapter, type Transaction } from 'kysely';
import type { Database } from './schema';
import type { Db } from './connect';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Job {
  key: string;
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Writes that arrive while others are being written share their transaction, up to this many. */
const MAX_BATCH = 100;
/** Writes closer together than this are a stream worth waiting a turn of the event loop for. */
const STREAMING_GAP_MS = 10;
/** Transactions at once on a pooled database (PostgreSQL, MariaDB); SQLite has one connection. */
const POOLED_LANES = 4;

const committers = new WeakMap<Db, (job: Job) => void>();

/**
 * Runs `work` in a transaction it may share with other writes that arrive meanwhile: one commit
 * (one fsync) for all of them, and on PostgreSQL/MariaDB one connection held instead of many. At
 * low load every write has its transaction to itself, at once; under load the batches grow,
 * which is what keeps a busy node from falling behind (the dm benchmark's collapse).
 *
 * `work` must use only `trx` and may run twice: when a shared transaction fails, each of its
 * writes is retried alone, so one bad write (a duplicate key) fails by itself. The promise
 * settles after the commit. Writes with the same `key` (a conversation) run in the order they
 * came and never in two transactions at once, so two batches do not wait for each other's locks.
 */
export function inSharedTransaction<T>(db: Db, key: string, work: Work<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  let enqueue = committers.get(db);
  if (!enqueue) committers.set(db, (enqueue = startCommitter(db)));
  return new Promise<T>((resolve, reject) =>
    enqueue({ key, work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject }),
  );
}

function startCommitter(db: Db): (job: Job) => void {
  const lanes = db.getExecutor().adapter instanceof SqliteAdapter ? 1 : POOLED_LANES;
  const queue: Job[] = [];
  /** Keys of the batches being written: their next writes wait, so one key's writes keep their order. */
  const busy = new Map<string, number>();
  let running = 0;

  function take(): Job[] {
    const batch: Job[] = [];
    const waiting = new Set<string>();
    for (let i = 0; i < queue.length && batch.length < MAX_BATCH;) {
      const job = queue[i]!;
      if (busy.has(job.key) || waiting.has(job.key)) {
        waiting.add(job.key);
        i++;
      } else batch.push(...queue.splice(i, 1));
    }
    return batch;
  }

  function pump() {
    for (let batch: Job[]; running < lanes && (batch = take()).length > 0;) {
      running++;
      for (const { key } of batch) busy.set(key, (busy.get(key) ?? 0) + 1);
      void commit(db, batch).finally(() => {
        for (const { key } of batch) {
          const left = busy.get(key)! - 1;
          if (left === 0) busy.delete(key);
          else busy.set(key, left);
        }
        running--;
        pump();
      });
    }
  }

  // While writes stream in, a batch starts on the next turn of the event loop, not at once: the
  // frames that arrived with this one are read first and join it. (On SQLite a transaction runs
  // without yielding, so a batch started at once would let nothing queue behind it.) A lone write
  // starts at once.
  let scheduled = false;
  let lastArrival = -Infinity;
  return (job) => {
    queue.push(job);
    const at = performance.now();
    const streaming = at - lastArrival < STREAMING_GAP_MS;
    lastArrival = at;
    if (!streaming) return pump();
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      pump();
    });
  };
}

async function commit(db: Db, batch: Job[]): Promise<void> {
  if (batch.length === 1) return runAlone(db, batch[0]!);
  let results: unknown[];
  try {
    results = await db.transaction().execute(async (trx) => {
      const done: unknown[] = [];
      for (const job of batch) done.push(await job.work(trx));
      return done;
    });
  } catch {
    for (const job of batch) await runAlone(db, job);
    return;
  }
  batch.forEach((job, i) => job.resolve(results[i]));
}

async function runAlone(db: Db, job: Job): Promise<void> {
  try {
    job.resolve(await db.transaction().execute(job.work));
  } catch (error) {
    job.reject(error);
  }
}
