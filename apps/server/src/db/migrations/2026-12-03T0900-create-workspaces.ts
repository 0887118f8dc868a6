import { MysqlAdapter, PostgresAdapter, SqliteAdapter, sql, type Kysely, type RawBuilder } from 'kysely';
import { monotonicFactory } from 'ulidx';
import { createTable, dropIndex, ID, setVarcharLength, TIME } from '../portable-ddl';

/**
 * Workspaces: one installation, many isolated organizations. Every tenant-owned table gets a
 * `workspace_id`; what existed before moves, losslessly, into one default workspace, and each
 * person's role moves from `users` onto their membership of it.
 *
 * Natural keys must now be unique per workspace. SQLite cannot drop a unique constraint that was
 * declared with its table without rebuilding the table, and rebuilding one that other tables
 * reference (teams, conversations) would run their ON DELETE actions. So the dedupe key columns
 * of those tables (`teams.name_key`, `conversations.direct_key`, `friend_requests.pending_key`)
 * now hold `<workspace id>/<key>`; tables nothing references (contacts, blocks, desk_settings)
 * are rebuilt with the workspace in their primary key.
 */

/** The permission names of the built-in roles, as they were the day workspaces came. */
const BUILT_IN_ROLES: Record<string, { name: string; permissions: string[] }> = {
  admin: {
    name: 'Admin',
    permissions: [
      'tickets.work',
      'tickets.all',
      'tickets.assign',
      'tickets.priority',
      'notes.write',
      'teams.manage',
      'people.manage',
      'reports.view',
      'settings.manage',
      'messages.moderate',
    ],
  },
  agent: { name: 'Agent', permissions: ['tickets.work', 'tickets.priority', 'notes.write'] },
  customer: { name: 'Customer', permissions: [] },
};

/** Tables that get a plain `workspace_id` column (the rebuilt ones get it in their new shape). */
const SCOPED = [
  'refresh_tokens',
  'teams',
  'team_members',
  'conversations',
  'conversation_members',
  'messages',
  'reactions',
  'attachments',
  'tickets',
  'friend_requests',
  'notifications',
  'audit_log',
  'webhooks',
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'workspaces')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('slug', 'varchar(40)', (c) => c.notNull())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('accent_color', 'varchar(7)')
    .addColumn('logo_key', 'varchar(64)')
    .addColumn('open_signup', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addColumn('suspended_at', TIME)
    .addUniqueConstraint('workspaces_slug_key', ['slug'])
    .execute();

  await createTable(db, 'roles')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('built_in', 'varchar(16)')
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    // A lower-cased name may be twice as long as the name ("İ" becomes two characters).
    .addColumn('name_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('roles_workspace_name_key', ['workspace_id', 'name_key'])
    .addUniqueConstraint('roles_workspace_built_in_key', ['workspace_id', 'built_in'])
    .execute();

  await createTable(db, 'role_permissions')
    .addColumn('workspace_id', ID, (c) => c.notNull())
    .addColumn('role_id', ID, (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('permission', 'varchar(48)', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_permissions_pkey', ['role_id', 'permission'])
    .execute();

  await createTable(db, 'workspace_members')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role_id', ID, (c) => c.notNull().references('roles.id'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addColumn('deactivated_at', TIME)
    .addPrimaryKeyConstraint('workspace_members_pkey', ['workspace_id', 'user_id'])
    .execute();
  await db.schema.createIndex('workspace_members_user_id_idx').on('workspace_members').column('user_id').execute();
  await db.schema.createIndex('workspace_members_role_id_idx').on('workspace_members').column('role_id').execute();

  for (const table of SCOPED) {
    await db.schema
      .alterTable(table)
      .addColumn('workspace_id', ID, (c) => c.notNull().defaultTo(''))
      .execute();
  }

  const now = Date.now();
  const ulid = monotonicFactory();
  const workspaceId = ulid(now);
  // The installation's first workspace is its default one: where registration without an invite goes.
  await sql`INSERT INTO workspaces (id, slug, name, open_signup, created_at, updated_at)
    VALUES (${workspaceId}, 'default', 'Parley', 1, ${now}, ${now})`.execute(db);
  const roleIds: Record<string, string> = {};
  for (const [key, role] of Object.entries(BUILT_IN_ROLES)) {
    const id = ulid(now);
    roleIds[key] = id;
    await sql`INSERT INTO roles (id, workspace_id, built_in, name, name_key, created_at, updated_at)
      VALUES (${id}, ${workspaceId}, ${key}, ${role.name}, ${role.name.toLowerCase()}, ${now}, ${now})`.execute(db);
    for (const permission of role.permissions) {
      await sql`INSERT INTO role_permissions (workspace_id, role_id, permission)
        VALUES (${workspaceId}, ${id}, ${permission})`.execute(db);
    }
  }
  // Everyone is a member of the default workspace with the role they had; a deactivated account
  // becomes a deactivated membership (deactivation is per workspace from now on).
  for (const [key, roleId] of Object.entries(roleIds)) {
    await sql`INSERT INTO workspace_members (workspace_id, user_id, role_id, created_at, updated_at, deactivated_at)
      SELECT ${workspaceId}, id, ${roleId}, created_at, updated_at, deactivated_at FROM users WHERE role = ${key}`.execute(
      db,
    );
  }
  await sql`UPDATE users SET deactivated_at = NULL`.execute(db);
  await db.schema.alterTable('users').dropColumn('role').execute();

  for (const table of SCOPED) await sql`UPDATE ${sql.table(table)} SET workspace_id = ${workspaceId}`.execute(db);
  await dropDefaults(db, SCOPED);
  // The desk's settings were the installation's (entity id all zeros); now they are the workspace's.
  await sql`UPDATE audit_log SET entity_id = workspace_id WHERE entity_type = 'desk'`.execute(db);

  // Keys that were unique per installation become unique per workspace (see the opening comment).
  // A lower-cased name may be twice its length ("İ" becomes two characters), plus the workspace id and "/".
  await setVarcharLength(db, 'teams', 'name_key', 128 + 27);
  await setNullableVarcharLength(db, 'conversations', 'direct_key', 80);
  await setNullableVarcharLength(db, 'friend_requests', 'pending_key', 80);
  const prefix = (column: string) => concat(db, [sql.ref('workspace_id'), sql`'/'`, sql.ref(column)]);
  await sql`UPDATE teams SET name_key = ${prefix('name_key')}`.execute(db);
  await sql`UPDATE conversations SET direct_key = ${prefix('direct_key')} WHERE direct_key IS NOT NULL`.execute(db);
  await sql`UPDATE friend_requests SET pending_key = ${prefix('pending_key')} WHERE pending_key IS NOT NULL`.execute(
    db,
  );

  await rebuild(db, 'contacts', workspaceId, (t) =>
    t
      .addColumn('workspace_id', ID, (c) => c.notNull())
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('contact_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addPrimaryKeyConstraint('contacts_workspace_pkey', ['workspace_id', 'user_id', 'contact_id']),
  );
  await rebuild(db, 'blocks', workspaceId, (t) =>
    t
      .addColumn('workspace_id', ID, (c) => c.notNull())
      .addColumn('blocker_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('blocked_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addPrimaryKeyConstraint('blocks_workspace_pkey', ['workspace_id', 'blocker_id', 'blocked_id']),
  );
  await rebuild(db, 'desk_settings', workspaceId, (t) =>
    t
      .addColumn('workspace_id', ID, (c) => c.notNull())
      .addColumn('key', 'varchar(64)', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_by', ID)
      .addColumn('updated_at', TIME, (c) => c.notNull())
      .addPrimaryKeyConstraint('desk_settings_workspace_pkey', ['workspace_id', 'key']),
  );
  await db.schema.createIndex('contacts_contact_id_idx').on('contacts').column('contact_id').execute();
  await db.schema.createIndex('blocks_blocked_id_idx').on('blocks').column('blocked_id').execute();

  // Lists that span a whole workspace lead with it, so one workspace's queue never scans another's.
  await replaceIndex(db, 'tickets', 'tickets_status_updated_at_idx', ['workspace_id', 'status', 'updated_at', 'id']);
  await replaceIndex(db, 'tickets', 'tickets_updated_at_idx', ['workspace_id', 'updated_at', 'id']);
  await replaceIndex(db, 'tickets', 'tickets_priority_age_idx', [
    'workspace_id',
    'priority_rank desc',
    'created_at',
    'id',
  ]);
  await replaceIndex(db, 'audit_log', 'audit_log_created_at_idx', ['workspace_id', 'created_at']);
  await db.schema.createIndex('teams_workspace_id_idx').on('teams').column('workspace_id').execute();
}

/** Back to one organization: only while the installation has a single workspace, or data would be lost. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const { rows } = await sql<{ id: string }>`SELECT id FROM workspaces`.execute(db);
  if (rows.length > 1) throw new Error('This installation has several workspaces; restore a backup instead');
  await db.schema
    .alterTable('users')
    .addColumn('role', 'varchar(16)', (c) => c.notNull().defaultTo('customer'))
    .execute();
  await sql`UPDATE users SET
    role = COALESCE((SELECT CASE WHEN r.built_in IS NULL THEN 'agent' ELSE r.built_in END
      FROM workspace_members m JOIN roles r ON r.id = m.role_id WHERE m.user_id = users.id), 'customer'),
    deactivated_at = (SELECT m.deactivated_at FROM workspace_members m WHERE m.user_id = users.id)`.execute(db);

  await sql`UPDATE audit_log SET entity_id = ${'0'.repeat(26)} WHERE entity_type = 'desk'`.execute(db);
  const unprefix = (column: string) => sql`SUBSTR(${sql.ref(column)}, 28)`;
  await sql`UPDATE teams SET name_key = ${unprefix('name_key')}`.execute(db);
  await sql`UPDATE conversations SET direct_key = ${unprefix('direct_key')} WHERE direct_key IS NOT NULL`.execute(db);
  await sql`UPDATE friend_requests SET pending_key = ${unprefix('pending_key')} WHERE pending_key IS NOT NULL`.execute(
    db,
  );
  await setVarcharLength(db, 'teams', 'name_key', 128);
  await setNullableVarcharLength(db, 'conversations', 'direct_key', 53);
  await setNullableVarcharLength(db, 'friend_requests', 'pending_key', 53);

  await dropIndex(db, 'teams_workspace_id_idx', 'teams').execute();
  await replaceIndex(db, 'audit_log', 'audit_log_created_at_idx', ['created_at']);
  await replaceIndex(db, 'tickets', 'tickets_priority_age_idx', ['priority_rank desc', 'created_at', 'id']);
  await replaceIndex(db, 'tickets', 'tickets_updated_at_idx', ['updated_at', 'id']);
  await replaceIndex(db, 'tickets', 'tickets_status_updated_at_idx', ['status', 'updated_at', 'id']);

  await rebuild(db, 'contacts', null, (t) =>
    t
      .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('contact_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addPrimaryKeyConstraint('contacts_pkey', ['user_id', 'contact_id']),
  );
  await rebuild(db, 'blocks', null, (t) =>
    t
      .addColumn('blocker_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('blocked_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('created_at', TIME, (c) => c.notNull())
      .addPrimaryKeyConstraint('blocks_pkey', ['blocker_id', 'blocked_id']),
  );
  await rebuild(db, 'desk_settings', null, (t) =>
    t
      .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_by', ID)
      .addColumn('updated_at', TIME, (c) => c.notNull()),
  );
  for (const table of SCOPED) await db.schema.alterTable(table).dropColumn('workspace_id').execute();
  await db.schema.dropTable('workspace_members').execute();
  await db.schema.dropTable('role_permissions').execute();
  await db.schema.dropTable('roles').execute();
  await db.schema.dropTable('workspaces').execute();
}

/** `a || b || c` in SQL of every dialect (MariaDB's `||` is OR unless told otherwise). */
function concat(db: Kysely<unknown>, parts: RawBuilder<unknown>[]) {
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? sql`CONCAT(${sql.join(parts)})`
    : sql.join(parts, sql` || `);
}

async function dropDefaults(db: Kysely<unknown>, tables: string[]) {
  const adapter = db.getExecutor().adapter;
  // SQLite keeps the '' default (it cannot drop one); a row that forgot its workspace is in none.
  if (adapter instanceof SqliteAdapter) return;
  for (const table of tables) {
    await db.schema
      .alterTable(table)
      .alterColumn('workspace_id', (c) => c.dropDefault())
      .execute();
  }
}

async function setNullableVarcharLength(db: Kysely<unknown>, table: string, column: string, length: number) {
  const adapter = db.getExecutor().adapter;
  const type = `varchar(${length})` as const;
  if (adapter instanceof MysqlAdapter) {
    await db.schema.alterTable(table).modifyColumn(column, type).execute();
  } else if (adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable(table)
      .alterColumn(column, (c) => c.setDataType(type))
      .execute();
  }
}

type TableBuilder = ReturnType<typeof createTable>;

/**
 * Recreates a table nothing references with a new shape and copies its rows: into `workspaceId`
 * when given, else without their workspace (going back down).
 */
async function rebuild(
  db: Kysely<unknown>,
  table: string,
  workspaceId: string | null,
  shape: (t: TableBuilder) => TableBuilder,
): Promise<void> {
  const old = `${table}_before_workspaces`;
  await db.schema.alterTable(table).renameTo(old).execute();
  await shape(createTable(db, table)).execute();
  const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(old)}`.execute(db);
  for (let i = 0; i < rows.length; i += 200) {
    const chunk = rows
      .slice(i, i + 200)
      .map(({ workspace_id: _, workspaceId: __, ...row }) =>
        workspaceId ? { ...row, workspace_id: workspaceId } : row,
      );
    await db
      .insertInto(table as never)
      .values(chunk as never)
      .execute();
  }
  await db.schema.dropTable(old).execute();
}

async function replaceIndex(db: Kysely<unknown>, table: string, name: string, columns: string[]) {
  await dropIndex(db, name, table).execute();
  await db.schema.createIndex(name).on(table).columns(columns).execute();
}
