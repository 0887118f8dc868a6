import { Migrator, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { openDatabase, type DatabaseHandle } from './connect';
import { migrations } from './migrations';

const MIGRATION = '2026-12-12T0901-create-sessions';

/** People signed in before sessions were listed see those devices in the list. */
describe(`the sessions backfill on ${TEST_DIALECT}`, () => {
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

  it('makes one session per family with a token left, from its first token to its newest', async () => {
    const names = Object.keys(migrations).sort();
    expect((await migrator().migrateTo(names[names.indexOf(MIGRATION) - 1]!)).error).toBeUndefined();
    const db = database.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    const workspace = await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow();
    await db
      .insertInto('users')
      .values({
        id: '01JUSER0000000000000000000',
        email: 'ida@example.com',
        username: 'ida',
        usernameKey: 'ida',
        displayName: 'Ida',
        passwordHash: 'x',
        createdAt: 1_000,
        updatedAt: 1_000,
      })
      .execute();
    let n = 0;
    const token = (familyId: string, createdAt: number, rotatedAt: number | null, revokedAt: number | null) => ({
      id: `01JTOKEN${String(++n).padStart(18, '0')}`,
      userId: '01JUSER0000000000000000000',
      workspaceId: workspace.id,
      familyId,
      tokenHash: `hash-${n}`,
      createdAt,
      expiresAt: createdAt + 1_000_000,
      rotatedAt,
      revokedAt,
    });
    await db
      .insertInto('refreshTokens')
      .values([
        // Signed in at 2000, refreshed at 5000 and 9000.
        token('01JFAMILYLIVE0000000000000', 2_000, 5_000, null),
        token('01JFAMILYLIVE0000000000000', 5_000, 9_000, null),
        token('01JFAMILYLIVE0000000000000', 9_000, null, null),
        // Signed out.
        token('01JFAMILYGONE0000000000000', 3_000, null, 4_000),
      ])
      .execute();

    expect((await migrator().migrateTo(MIGRATION)).error).toBeUndefined();
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([
      {
        id: '01JFAMILYLIVE0000000000000',
        workspaceId: workspace.id,
        userId: '01JUSER0000000000000000000',
        userAgent: null,
        createdAt: 2_000,
        lastUsedAt: 9_000,
      },
    ]);
  });
});
