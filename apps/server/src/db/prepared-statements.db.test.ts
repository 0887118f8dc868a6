import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { openDatabase, type DatabaseHandle, type Db } from './connect';

type Probe = { probe: { id: string; note: string } };
const probe = (db: Db) => db as unknown as Kysely<Probe>;

describe.runIf(TEST_DIALECT === 'postgres')('statements PostgreSQL keeps prepared', () => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;

  beforeAll(async () => {
    testDb = createTestDatabase();
    handle = await openDatabase(testDb.url, { poolSize: 1 });
    await sql`create table probe (id varchar(40) primary key, note text not null)`.execute(handle.db);
    await probe(handle.db)
      .insertInto('probe')
      .values([
        { id: 'a', note: 'first' },
        { id: 'b', note: 'second' },
      ])
      .execute();
  });
  afterAll(async () => {
    await handle.close();
    await testDb.drop();
  });

  const prepared = async () =>
    (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(handle.db)).rows.map(
      (r) => r.statement,
    );
  const noteOf = (id: string) =>
    probe(handle.db).selectFrom('probe').select('note').where('id', '=', id).executeTakeFirst();

  it('prepares a query the second time it runs, and answers it right with other values after', async () => {
    expect(await noteOf('a')).toEqual({ note: 'first' });
    expect((await prepared()).filter((s) => s.includes('from "probe"'))).toEqual([]);
    expect(await noteOf('b')).toEqual({ note: 'second' });
    expect(await noteOf('a')).toEqual({ note: 'first' });
    expect(await noteOf('zz')).toBeUndefined();
    expect((await prepared()).filter((s) => s.includes('from "probe"'))).toEqual([
      'select "note" from "probe" where "id" = $1',
    ]);
  });

  it('leaves a statement that fails to prepare unprepared, and the connection usable', async () => {
    const broken = () => sql`select no_such_column from probe where id = ${'a'}`.execute(handle.db);
    await expect(broken()).rejects.toThrow(/no_such_column/);
    await expect(broken()).rejects.toThrow(/no_such_column/);
    await expect(broken()).rejects.toThrow(/no_such_column/);
    expect((await prepared()).some((s) => s.includes('no_such_column'))).toBe(false);
    expect(await noteOf('b')).toEqual({ note: 'second' });
  });

  it('answers from a table that gained a column after its query was prepared (a newer version migrated)', async () => {
    const whole = () => probe(handle.db).selectFrom('probe').selectAll().where('id', '=', 'a').executeTakeFirst();
    await whole();
    expect(await whole()).toEqual({ id: 'a', note: 'first' });
    await sql`alter table probe add column added_later text not null default 'new'`.execute(handle.db);
    expect(await whole()).toEqual({ id: 'a', note: 'first', addedLater: 'new' });
    expect(await whole()).toEqual({ id: 'a', note: 'first', addedLater: 'new' });
  });
});
