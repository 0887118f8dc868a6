import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * `push_devices`: where a person's pushes go in a workspace: a browser's push subscription
 * (`kind` web: endpoint and keys) or an Expo push token (`kind` expo). `address` is the endpoint
 * or token; it is unique per workspace through `address_hash` (its SHA-256), because an index on
 * a 2048-character column is too wide for MariaDB and PostgreSQL. `vapid_key`: the server's
 * public key when a web device registered (rotation makes devices of an older key unreachable).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'push_devices')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('address', 'varchar(2048)', (c) => c.notNull())
    .addColumn('address_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('p256dh', 'varchar(100)')
    .addColumn('auth', 'varchar(40)')
    .addColumn('vapid_key', 'varchar(100)')
    .addColumn('label', 'varchar(100)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('last_used_at', TIME)
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('push_devices_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('push_devices_address_key', ['workspace_id', 'address_hash'])
    .execute();
  await db.schema
    .createIndex('push_devices_by_user_idx')
    .on('push_devices')
    .columns(['workspace_id', 'user_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('push_devices').execute();
}
