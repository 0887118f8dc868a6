import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { openDatabase, type DatabaseHandle } from './connect';
import { migrateDown, migrateToLatest } from './migrate';
import { migrations } from './migrations';

/**
 * Walking the whole migration set down or up takes time in proportion to it: on MariaDB, whose
 * DDL commits one statement at a time, ~12 s alone for 55 migrations and over 20 s beside the
 * rest of the suite on 2 cores.
 */
const WALK_TIMEOUT_MS = 90_000;

const TABLES = [
  'account_tokens',
  'api_tokens',
  'attachments',
  'audit_log',
  'automation_rules',
  'blocks',
  'call_participants',
  'calls',
  'canned_responses',
  'chat_widgets',
  'contacts',
  'conversation_labels',
  'conversation_members',
  'conversations',
  'csat_surveys',
  'custom_field_values',
  'custom_fields',
  'customer_notes',
  'data_exports',
  'desk_settings',
  'email_channels',
  'email_messages',
  'friend_requests',
  'installation_claims',
  'invites',
  'jobs',
  'labels',
  'message_edits',
  'messages',
  'notification_settings',
  'notifications',
  'operators',
  'pinned_messages',
  'push_devices',
  'reactions',
  'refresh_tokens',
  'role_permissions',
  'roles',
  'rule_runs',
  'saved_messages',
  'saved_views',
  'sessions',
  'sla_escalations',
  'sla_policies',
  'team_members',
  'teams',
  'ticket_merges',
  'tickets',
  'users',
  'webhook_deliveries',
  'webhooks',
  'widget_guests',
  'workspace_members',
  'workspaces',
];

describe(`migrations on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let database: DatabaseHandle;

  beforeAll(async () => {
    database = await openDatabase(testDb.url);
  });
  afterAll(async () => {
    await database.close();
    await testDb.drop();
  });

  const tableNames = async () =>
    (await database.db.introspection.getTables())
      .map((t) => t.name)
      // SQLite's full-text tables (`messages_fts` and its shadow tables) are the search index.
      .filter((n) => !n.startsWith('kysely_') && !/_fts(_|$)/.test(n))
      .sort();

  it(
    'creates a missing database and applies every migration, in order, once',
    { timeout: WALK_TIMEOUT_MS },
    async () => {
      expect(await migrateToLatest(database.db)).toEqual(Object.keys(migrations));
      expect(await tableNames()).toEqual(TABLES);
      expect(await migrateToLatest(database.db)).toEqual([]);
    },
  );

  it('stores what the app needs the same way on every dialect', async () => {
    const { db } = database;
    const now = Date.parse('2026-11-25T12:34:56.789Z');
    const user = {
      email: 'zoë@example.com',
      username: 'Zoe',
      usernameKey: 'zoe',
      displayName: 'Zoë 👩‍💻 עברית',
      passwordHash: 'x',
      createdAt: now,
      updatedAt: now,
    };
    await db
      .insertInto('users')
      .values({ id: '01JAAAAAAAAAAAAAAAAAAAAAAA', ...user })
      .execute();
    const row = await db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', '01JAAAAAAAAAAAAAAAAAAAAAAA')
      .executeTakeFirstOrThrow();
    // 4-byte emoji and RTL text survive; epoch-ms BIGINTs come back as exact numbers.
    expect(row).toMatchObject({ displayName: 'Zoë 👩‍💻 עברית', createdAt: now, deactivatedAt: null });
    expect(typeof row.createdAt).toBe('number');
    // Comparison is exact (binary), as on PostgreSQL and SQLite, so uniqueness uses the *_key columns.
    const byUsername = await db.selectFrom('users').select('id').where('username', '=', 'zoe').execute();
    expect(byUsername).toEqual([]);
    await expect(
      db
        .insertInto('users')
        .values({ id: '01JBBBBBBBBBBBBBBBBBBBBBBB', ...user, email: 'other@example.com' })
        .execute(),
    ).rejects.toThrow();
    const { count } = await db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1);
  });

  it('enforces foreign keys', async () => {
    const now = Date.now();
    await expect(
      database.db
        .insertInto('teamMembers')
        .values({
          workspaceId: '01JWWWWWWWWWWWWWWWWWWWWWWW',
          teamId: '01JCCCCCCCCCCCCCCCCCCCCCCC',
          userId: '01JAAAAAAAAAAAAAAAAAAAAAAA',
          createdAt: now,
        })
        .execute(),
    ).rejects.toThrow();
  });

  it(
    'gives an installation that had users before first-admin claims existed its claim, so nobody else gets one',
    { timeout: WALK_TIMEOUT_MS },
    async () => {
      const names = Object.keys(migrations);
      const claims = names.indexOf('2026-12-01T1100-create-installation-claims');
      for (let i = names.length - 1; i >= claims; i--) await migrateDown(database.db);
      await migrateToLatest(database.db);
      const rows = await database.db.selectFrom('installationClaims').select(['name', 'userId']).execute();
      expect(rows).toEqual([{ name: 'first_admin', userId: '01JAAAAAAAAAAAAAAAAAAAAAAA' }]);
    },
  );

  it(
    'reverts every migration down to an empty database, then re-applies them',
    { timeout: WALK_TIMEOUT_MS },
    async () => {
      for (const name of Object.keys(migrations).reverse()) {
        expect(await migrateDown(database.db)).toEqual([name]);
      }
      expect(await tableNames()).toEqual([]);
      expect(await migrateToLatest(database.db)).toHaveLength(Object.keys(migrations).length);
      expect(await tableNames()).toEqual(TABLES);
      await sql`select 1`.execute(database.db);
    },
  );
});
