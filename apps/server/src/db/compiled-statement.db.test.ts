import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { compiledStatement } from './compiled-statement';
import { openDatabase, type DatabaseHandle, type Db } from './connect';

type Probe = { probe: { id: string; note: string; size: number } };
const probe = (db: Db) => db as unknown as Kysely<Probe>;

describe(`statements compiled once on ${TEST_DIALECT}`, () => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    testDb = createTestDatabase();
    handle = await openDatabase(testDb.url, { poolSize: 2 });
    await sql`create table probe (id varchar(40) primary key, note text not null, size integer not null)`.execute(
      handle.db,
    );
  });
  afterAll(async () => {
    await handle.close();
    await testDb.drop();
  });

  const add = compiledStatement((db, v: { id: string; note: string; size: number }) =>
    probe(db).insertInto('probe').values({ id: v.id, note: v.note, size: v.size }),
  );
  // Its shape says whether it counts only the large ones; the threshold is a value.
  const count = compiledStatement((db, v: { note: string; least: number }, shape: 'all' | 'large') =>
    probe(db)
      .selectFrom('probe')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('note', '=', v.note)
      .$if(shape === 'large', (q) => q.where('size', '>=', v.least)),
  );

  it("runs with each call's own values, in a transaction too, and each shape as it was built", async () => {
    await add(handle.db, { id: 'a', note: 'red', size: 1 });
    await handle.db.transaction().execute(async (trx) => {
      await add(trx, { id: 'b', note: 'red', size: 5 });
      await add(trx, { id: 'c', note: 'blue', size: 9 });
    });
    const n = async (note: string, least: number, shape: 'all' | 'large') =>
      Number((await count(handle.db, { note, least }, shape)).rows[0]!.n);
    expect(await n('red', 0, 'all')).toBe(2);
    expect(await n('red', 3, 'large')).toBe(1);
    expect(await n('red', 6, 'large')).toBe(0);
    expect(await n('blue', 6, 'large')).toBe(1);
    expect(await n('blue', 6, 'all')).toBe(1);
  });

  it('refuses a statement that would freeze a value into its text', async () => {
    const frozen = compiledStatement((db, v: { note: string }) =>
      probe(db)
        .selectFrom('probe')
        .select('id')
        .where('note', '=', `${String(v.note).length}`),
    );
    await expect(frozen(handle.db, { note: 'red' })).rejects.toThrow(/note did not become parameters/);
  });
});
