import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { openDatabase, type DatabaseHandle } from './connect';
import { migrations } from './migrations';

const MIGRATION = '2026-12-01T1300-add-conversation-public-activity';

/** [RT-NOTE] Existing conversations get their public seq and time from the messages that are not notes. */
describe(`the public activity backfill on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let database: DatabaseHandle;
  const migrator = () => new Migrator({ db: database.db, provider: { getMigrations: async () => migrations } });

  beforeAll(async () => {
    database = await openDatabase(testDb.url);
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  it('takes the last message that is not a note, and keeps the time of conversations without notes', async () => {
    const names = Object.keys(migrations).sort();
    const before = names[names.indexOf(MIGRATION) - 1]!;
    expect((await migrator().migrateTo(before)).error).toBeUndefined();
    // Written as the schema was before the migration.
    const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const conversation = (id: string, updatedAt: number) => ({
      id,
      kind: 'ticket',
      title: null,
      lastSeq: 0,
      directKey: null,
      createdAt: 1_000,
      updatedAt,
    });
    await db
      .insertInto('conversations')
      .values([conversation('01JNOTES000000000000000000', 4_000), conversation('01JPLAIN000000000000000000', 9_000)])
      .execute();
    const message = (conversationId: string, seq: number, kind: string, createdAt: number) => ({
      id: `01JM${conversationId.slice(4, 9)}${String(seq).padStart(17, '0')}`,
      conversationId,
      seq,
      senderId: null,
      kind,
      body: 'x',
      clientMsgId: null,
      createdAt,
      editedAt: null,
      deletedAt: null,
    });
    await db
      .insertInto('messages')
      .values([
        message('01JNOTES000000000000000000', 1, 'text', 2_000),
        message('01JNOTES000000000000000000', 2, 'note', 3_000),
        message('01JNOTES000000000000000000', 3, 'note', 4_000),
        message('01JPLAIN000000000000000000', 1, 'system', 2_000),
      ])
      .execute();

    expect((await migrator().migrateToLatest()).error).toBeUndefined();
    const rows = await database.db
      .selectFrom('conversations')
      .select(['id', 'publicLastSeq', 'publicUpdatedAt'])
      .orderBy('id')
      .execute();
    expect(rows.map((r) => ({ ...r, publicUpdatedAt: Number(r.publicUpdatedAt) }))).toEqual([
      { id: '01JNOTES000000000000000000', publicLastSeq: 1, publicUpdatedAt: 2_000 },
      { id: '01JPLAIN000000000000000000', publicLastSeq: 1, publicUpdatedAt: 9_000 },
    ]);
  });
});
