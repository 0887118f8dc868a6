import type { Kysely } from 'kysely';
import { createTable, dropIndex, ID, TIME } from '../portable-ddl';

/**
 * A person's copies of their own data (data-exports/): one row per export asked for, its zip at
 * `DATA_DIR/exports/<storage_key>.zip` once `status` is `ready`. Rows and files go when
 * `expires_at` passes (the sweep finds them across workspaces by it).
 *
 * `messages_sender_idx`: an export reads everything one person sent, a page at a time in id
 * order; without it every page sorts all of their messages again (100,000 for a busy agent).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'data_exports')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('storage_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('ready_at', TIME)
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('data_exports_pk', ['workspace_id', 'id'])
    .execute();
  await db.schema
    .createIndex('data_exports_user_idx')
    .on('data_exports')
    .columns(['workspace_id', 'user_id', 'id'])
    .execute();
  await db.schema.createIndex('data_exports_expiry_idx').on('data_exports').column('expires_at').execute();
  await db.schema
    .createIndex('messages_sender_idx')
    .on('messages')
    .columns(['workspace_id', 'sender_id', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'messages_sender_idx', 'messages').execute();
  await db.schema.dropTable('data_exports').execute();
}
