import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../clock';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { createMigratedTestDatabase } from '../testing/database-template';
import { TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { enqueueJob, enqueueOrMoveEarlier } from './job-queue';
import { defineJobType, MAX_DETACHED } from './job-type';

/** A job kind of the tests' own; the runner runs it like any other. */
const echoJob = defineJobType('test.echo', z.object({ n: z.number() }), {
  backoffMs: 1_000,
  maxBackoffMs: 60_000,
  maxAttempts: 4,
  leaseMs: 30_000,
});

const MINUTE = 60_000;

describe(`durable jobs on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  const ran: number[] = [];
  let failuresToGo = 0;

  beforeAll(async () => {
    // A long poll interval: these tests step the queue themselves with runDueJobs.
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000' } });
    t.app.jobs.register(echoJob, async ({ n }) => {
      if (failuresToGo > 0) {
        failuresToGo -= 1;
        throw new Error(`echo ${n} failed on purpose`);
      }
      ran.push(n);
    });
  });
  afterAll(() => t.close());
  afterEach(async () => {
    ran.length = 0;
    failuresToGo = 0;
    await t.database.db.deleteFrom('jobs').where('kind', '=', echoJob.kind).execute();
  });

  const jobRows = () => t.database.db.selectFrom('jobs').selectAll().where('kind', '=', echoJob.kind).execute();

  it('runs a job when the clock reaches it, once, and then forgets it', async () => {
    await enqueueJob(t.database.db, { type: echoJob, payload: { n: 1 }, runAt: clock.now() + MINUTE });
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([]);
    clock.advance(MINUTE);
    // The app's own recurring jobs (SQLite's search.merge, every 2 s) fall due in that minute too.
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    expect(ran).toEqual([1]);
    expect(await jobRows()).toEqual([]);
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([1]);
  });

  it('commits a job with the transaction that enqueued it, and drops it with a rollback', async () => {
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await enqueueJob(trx, { type: echoJob, payload: { n: 2 }, runAt: clock.now() });
        throw new Error('the change failed');
      })
      .catch(() => {});
    await t.database.db.transaction().execute(async (trx) => {
      await enqueueJob(trx, { type: echoJob, payload: { n: 3 }, runAt: clock.now() });
    });
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([3]);
  });

  it('keeps one job per dedupe key, without aborting the transaction that asked again', async () => {
    const first = await enqueueJob(t.database.db, {
      type: echoJob,
      payload: { n: 4 },
      runAt: clock.now(),
      dedupeKey: 'echo-singleton',
    });
    expect(first).not.toBeNull();
    await t.database.db.transaction().execute(async (trx) => {
      const again = await enqueueJob(trx, {
        type: echoJob,
        payload: { n: 5 },
        runAt: clock.now(),
        dedupeKey: 'echo-singleton',
      });
      expect(again).toBeNull();
      // On PostgreSQL a unique violation would have aborted the transaction: this would throw.
      await enqueueJob(trx, { type: echoJob, payload: { n: 6 }, runAt: clock.now() });
    });
    await t.app.jobs.runDueJobs();
    expect(ran.sort()).toEqual([4, 6]);
  });

  it('brings a pending job of a key earlier, never later', async () => {
    const at = clock.now();
    const schedule = (keyed: [string, number][]) =>
      enqueueOrMoveEarlier(
        t.database.db,
        keyed.map(([dedupeKey, inMs], n) => ({ type: echoJob, payload: { n }, runAt: at + inMs, dedupeKey })),
      );
    const runAtOf = async () =>
      Object.fromEntries((await jobRows()).map((row) => [row.dedupeKey, Number(row.runAt) - at]));

    // A batch may name a key twice: the earlier wins.
    await schedule([
      ['digest:a', 10 * MINUTE],
      ['digest:b', 5 * MINUTE],
      ['digest:a', 8 * MINUTE],
    ]);
    expect(await runAtOf()).toEqual({ 'digest:a': 8 * MINUTE, 'digest:b': 5 * MINUTE });

    await schedule([
      ['digest:a', 3 * MINUTE],
      ['digest:b', 9 * MINUTE],
    ]);
    expect(await runAtOf()).toEqual({ 'digest:a': 3 * MINUTE, 'digest:b': 5 * MINUTE });
  });

  it('runs a keyed job again when it is asked for while it runs (it read its work before the ask)', async () => {
    const asked: number[] = [];
    const keyedJob = defineJobType('test.keyed', z.object({ n: z.number() }), { leaseMs: 30_000 });
    const ask = (n: number, inMs = 0) =>
      enqueueOrMoveEarlier(t.database.db, [
        { type: keyedJob, payload: { n }, runAt: clock.now() + inMs, dedupeKey: 'keyed' },
      ]);
    t.app.jobs.register(keyedJob, async ({ n }) => {
      asked.push(n);
      // New work arrives while the job runs: the first run, once; then a later one.
      if (asked.length === 1) await ask(2, MINUTE);
      if (asked.length === 1) await ask(3, 2 * MINUTE);
    });
    await ask(1);
    await t.app.jobs.runDueJobs();
    expect(asked).toEqual([1]);
    // It stays, due at the earlier of the two times asked for while it ran.
    const [row] = await t.database.db.selectFrom('jobs').selectAll().where('kind', '=', keyedJob.kind).execute();
    expect(row).toMatchObject({ runAt: clock.now() + MINUTE, lockedBy: null, attempts: 0 });
    clock.advance(MINUTE);
    await t.app.jobs.runDueJobs();
    expect(asked).toEqual([1, 1]); // the row keeps the payload it was made with; the handler reads the work
    // Asked for by nobody during its second run: done.
    expect(await t.database.db.selectFrom('jobs').select('id').where('kind', '=', keyedJob.kind).execute()).toEqual([]);
  });

  it('retries a failing job with exponential backoff, records its error, and gives up after maxAttempts', async () => {
    failuresToGo = 10;
    await enqueueJob(t.database.db, { type: echoJob, payload: { n: 7 }, runAt: clock.now() });
    const start = clock.now();
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 1 });
    let [row] = await jobRows();
    expect(row).toMatchObject({
      attempts: 1,
      runAt: start + 1_000,
      lastError: 'Error: echo 7 failed on purpose',
      lockedBy: null,
      failedAt: null,
    });

    clock.advance(999); // not yet
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    expect((await jobRows())[0]).toMatchObject({ attempts: 1 });
    clock.advance(1);
    await t.app.jobs.runDueJobs();
    [row] = await jobRows();
    expect(row).toMatchObject({ attempts: 2, runAt: clock.now() + 2_000 }); // doubled
    clock.advance(2_000);
    await t.app.jobs.runDueJobs();
    [row] = await jobRows();
    expect(row).toMatchObject({ attempts: 3, runAt: clock.now() + 4_000 });

    clock.advance(4_000);
    await t.app.jobs.runDueJobs(); // the fourth and last attempt
    [row] = await jobRows();
    expect(row).toMatchObject({ attempts: 4, failedAt: clock.now(), lastError: 'Error: echo 7 failed on purpose' });
    clock.advance(24 * 60 * MINUTE);
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    expect((await jobRows())[0]).toMatchObject({ attempts: 4 });
    expect(ran).toEqual([]);
  });

  it('succeeds on a retry after failing once', async () => {
    failuresToGo = 1;
    await enqueueJob(t.database.db, { type: echoJob, payload: { n: 8 }, runAt: clock.now() });
    await t.app.jobs.runDueJobs();
    clock.advance(1_000);
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([8]);
    expect(await jobRows()).toEqual([]);
  });

  it('runs again a job whose node died holding it, once its lease has lapsed', async () => {
    const id = await enqueueJob(t.database.db, { type: echoJob, payload: { n: 9 }, runAt: clock.now() });
    // What a node that claimed the job and then died leaves behind.
    await t.database.db
      .updateTable('jobs')
      .set({ lockedBy: 'dead-node', lockedUntil: clock.now() + echoJob.leaseMs, attempts: 1 })
      .where('id', '=', id!)
      .execute();
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([]); // the lease still holds: it may still be running there
    clock.advance(echoJob.leaseMs);
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([9]);
    expect(await jobRows()).toEqual([]);
  });

  it('runs jobs due at the same moment in the order they were made, even after a dead node held some', async () => {
    const ids: string[] = [];
    for (let n = 1; n <= 12; n++) {
      ids.push((await enqueueJob(t.database.db, { type: echoJob, payload: { n }, runAt: clock.now() }))!);
    }
    // A node took the first half and died: their rows are rewritten (PostgreSQL stores the new
    // versions after the others), yet they were made first and still run first.
    await t.database.db
      .updateTable('jobs')
      .set({ lockedBy: 'dead-node', lockedUntil: clock.now() + echoJob.leaseMs, attempts: 1 })
      .where('id', 'in', ids.slice(0, 6))
      .execute();
    clock.advance(echoJob.leaseMs);
    await t.app.jobs.runDueJobs();
    expect(ran).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('gives up, without running it again, a job whose every attempt was cut short by its node dying', async () => {
    const id = await enqueueJob(t.database.db, { type: echoJob, payload: { n: 12 }, runAt: clock.now() });
    await t.database.db
      .updateTable('jobs')
      .set({ lockedBy: 'dead-node', lockedUntil: clock.now(), attempts: echoJob.maxAttempts })
      .where('id', '=', id!)
      .execute();
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 1 });
    expect(ran).toEqual([]);
    expect((await jobRows())[0]).toMatchObject({
      failedAt: clock.now(),
      lastError: expect.stringMatching(/cut short/),
    });
  });

  it("leaves alone kinds this node does not know (a newer node's jobs during an upgrade)", async () => {
    const unknownJob = defineJobType('test.from-the-future', z.object({}));
    await enqueueJob(t.database.db, { type: unknownJob, payload: {}, runAt: clock.now() });
    await t.app.jobs.runDueJobs();
    const row = await t.database.db
      .selectFrom('jobs')
      .selectAll()
      .where('kind', '=', unknownJob.kind)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ attempts: 0, lockedBy: null, failedAt: null });
    await t.database.db.deleteFrom('jobs').where('kind', '=', unknownJob.kind).execute();
  });
});

describe(`durable jobs across restarts and nodes on ${TEST_DIALECT}`, () => {
  let testDb: TestDatabase;
  const apps: TestApp[] = [];

  beforeAll(async () => {
    testDb = await createMigratedTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(() => testDb.drop());

  const startNode = async (clock?: Clock, pollMs = '3600000') => {
    const node = await startTestApp({
      ...(clock && { clock }),
      database: testDb,
      env: { JOB_POLL_INTERVAL_MS: pollMs },
    });
    apps.push(node);
    return node;
  };

  it('keeps a job across a restart: enqueued on one app, run by the next on the same database', async () => {
    const clock = manualClock();
    const first = await startNode(clock);
    first.app.jobs.register(echoJob, async () => {
      throw new Error('this node must not run it');
    });
    await enqueueJob(first.database.db, { type: echoJob, payload: { n: 10 }, runAt: clock.now() + MINUTE });
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    const ran: number[] = [];
    const second = await startNode(clock);
    second.app.jobs.register(echoJob, async ({ n }) => void ran.push(n));
    clock.advance(MINUTE);
    await second.app.jobs.runDueJobs();
    expect(ran).toEqual([10]);
    expect(await second.database.db.selectFrom('jobs').select('id').where('kind', '=', echoJob.kind).execute()).toEqual(
      [],
    );
  });

  it('runs each job once when two nodes race for the same queue', async () => {
    const clock = manualClock();
    const nodes = [await startNode(clock), await startNode(clock)];
    const runs: { node: number; n: number }[] = [];
    nodes.forEach((node, index) =>
      node.app.jobs.register(echoJob, async ({ n }) => {
        runs.push({ node: index, n });
        // Hold the job a moment, so the other node looks at the queue meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }),
    );
    const JOBS = 30;
    for (let n = 0; n < JOBS; n += 1) {
      await enqueueJob(nodes[0]!.database.db, { type: echoJob, payload: { n }, runAt: clock.now() });
    }
    const reports = await Promise.all(nodes.map((node) => node.app.jobs.runDueJobs()));
    expect(runs.map((r) => r.n).sort((a, b) => a - b)).toEqual([...Array(JOBS).keys()]);
    expect(reports.reduce((sum, r) => sum + r.succeeded, 0)).toBe(JOBS);
    // Both really took part (otherwise this proves nothing about the race).
    expect(new Set(runs.map((r) => r.node)).size).toBe(2);
  });

  it('runs a detached job beside the others, and stop() tells it to finish and waits for it', async () => {
    const clock = manualClock();
    const node = await startNode(clock);
    const ran: number[] = [];
    node.app.jobs.register(echoJob, async ({ n }) => void ran.push(n));
    const slowJob = defineJobType('test.slow', z.object({}), { detached: true, leaseMs: 30_000 });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    node.app.jobs.register(slowJob, async (_payload, { signal }) => {
      seen.push('slow started');
      await held;
      seen.push(signal.aborted ? 'slow told to stop' : 'slow done');
    });
    await enqueueJob(node.database.db, { type: slowJob, payload: {}, runAt: clock.now() });
    await enqueueJob(node.database.db, { type: echoJob, payload: { n: 13 }, runAt: clock.now() });
    const run = node.app.jobs.runDueJobs();
    // The echo job, made after the slow one, runs while the slow one still waits.
    await expect.poll(() => ran).toEqual([13]);
    expect(seen).toEqual(['slow started']);
    let stopped = false;
    const stop = node.app.jobs.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false); // it waits for the job in hand
    release();
    await stop;
    expect(await run).toMatchObject({ succeeded: 2, failed: 0 });
    expect(seen).toEqual(['slow started', 'slow told to stop']);
    expect(await node.database.db.selectFrom('jobs').select('id').where('kind', '=', slowJob.kind).execute()).toEqual(
      [],
    );
  });
  it('runs at most 16 detached jobs at once, and the others meanwhile', async () => {
    const clock = manualClock();
    const node = await startNode(clock);
    const ran: number[] = [];
    node.app.jobs.register(echoJob, async ({ n }) => void ran.push(n));
    const waitingJob = defineJobType('test.waiting', z.object({ n: z.number() }), { detached: true });
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let running = 0;
    let most = 0;
    node.app.jobs.register(waitingJob, async () => {
      running += 1;
      most = Math.max(most, running);
      await held;
      running -= 1;
    });
    // More waiting jobs than one look at the queue reads, all made before the echo job.
    for (let n = 0; n < 40; n++) {
      await enqueueJob(node.database.db, { type: waitingJob, payload: { n }, runAt: clock.now() });
    }
    await enqueueJob(node.database.db, { type: echoJob, payload: { n: 14 }, runAt: clock.now() });
    const run = node.app.jobs.runDueJobs();
    try {
      // The echo job runs while the detached ones hold; their claims may still be landing.
      await expect.poll(() => ran).toEqual([14]);
      await expect.poll(() => running).toBe(MAX_DETACHED);
    } finally {
      release();
    }
    await run;
    // The rest wait for the next look at the queue.
    while ((await node.app.jobs.runDueJobs()).succeeded > 0);
    expect(most).toBe(MAX_DETACHED);
    expect(
      await node.database.db.selectFrom('jobs').select('id').where('kind', '=', waitingJob.kind).execute(),
    ).toEqual([]);
  });

  it('is started by the app: its own poller runs a due job without anyone asking', async () => {
    const node = await startNode(undefined, '20'); // the system clock
    let resolveRun: (n: number) => void;
    const done = new Promise<number>((resolve) => (resolveRun = resolve));
    node.app.jobs.register(echoJob, async ({ n }) => resolveRun(n));
    await node.app.ready();
    await enqueueJob(node.database.db, { type: echoJob, payload: { n: 11 }, runAt: Date.now() });
    expect(await done).toBe(11);
  });
});
