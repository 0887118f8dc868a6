import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { openDatabase, type DatabaseHandle, type Db } from './connect';
import { isUniqueViolation } from './constraint-errors';
import { inSharedTransaction } from './group-commit';

/** A table of the test's own: a write is a row, a duplicate key is a write that fails. */
type Probe = { probe: { id: string; at: number } };
const probe = (db: Db) => db as unknown as Kysely<Probe>;

describe(`writes sharing a commit on ${TEST_DIALECT}`, () => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  const stored = async () =>
    (await probe(handle.db).selectFrom('probe').select('id').orderBy('id').execute()).map((r) => r.id);

  beforeAll(async () => {
    testDb = createTestDatabase();
    handle = await openDatabase(testDb.url);
    await sql`create table probe (id varchar(40) primary key, at bigint not null)`.execute(handle.db);
  });
  afterAll(async () => {
    await handle.close();
    await testDb.drop();
  });

  const write = (id: string, onRun?: () => void) =>
    inSharedTransaction(handle.db, id, async (trx) => {
      onRun?.();
      await probe(trx).insertInto('probe').values({ id, at: Date.now() }).execute();
      return id;
    });

  it('commits writes that arrive together once: they are answered after the last of them ran', async () => {
    const ran = new Set<string>();
    const ids = Array.from({ length: 12 }, (_, i) => `a${String(i).padStart(2, '0')}`);
    const last = ids.at(-1)!;
    const answeredAfterLast = await Promise.all(
      ids.map((id) => write(id, () => ran.add(id)).then(() => ran.has(last))),
    );
    expect(await stored()).toEqual(ids);
    // The first writes went alone (one on SQLite, one per lane on a pool: up to four); those that
    // queued behind them shared one transaction with the last, so they waited for it.
    expect(answeredAfterLast.filter(Boolean).length).toBeGreaterThanOrEqual(ids.length - 4);
  });

  it('fails a bad write alone: the others of its batch are stored and answered', async () => {
    await write('b-taken');
    const outcomes = await Promise.allSettled(['b1', 'b2', 'b-taken', 'b3'].map((id) => write(id)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(isUniqueViolation((outcomes[2] as PromiseRejectedResult).reason)).toBe(true);
    expect((await stored()).filter((id) => id.startsWith('b'))).toEqual(['b-taken', 'b1', 'b2', 'b3']);
  });

  it('keeps the order of writes under one key', async () => {
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        inSharedTransaction(handle.db, n % 2 ? 'odd' : 'even', async () => {
          order.push(n);
        }),
      ),
    );
    expect(order.filter((n) => n % 2)).toEqual([1, 3, 5]);
    expect(order.filter((n) => n % 2 === 0)).toEqual([2, 4]);
  });
});
