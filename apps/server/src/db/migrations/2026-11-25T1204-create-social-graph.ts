import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'friend_requests')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('from_user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('to_user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('pending_key', 'varchar(53)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('responded_at', TIME)
    // Partial unique indexes differ per dialect; a nullable key set only while pending does not.
    .addUniqueConstraint('friend_requests_pending_key_key', ['pending_key'])
    .execute();
  await db.schema
    .createIndex('friend_requests_to_user_id_idx')
    .on('friend_requests')
    .columns(['to_user_id', 'status'])
    .execute();
  await db.schema
    .createIndex('friend_requests_from_user_id_idx')
    .on('friend_requests')
    .columns(['from_user_id', 'status'])
    .execute();

  // One row per direction, so "my contacts" is a single indexed lookup.
  await createTable(db, 'contacts')
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('contact_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('contacts_pkey', ['user_id', 'contact_id'])
    .execute();

  await createTable(db, 'blocks')
    .addColumn('blocker_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('blocked_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('blocks_pkey', ['blocker_id', 'blocked_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('blocks').execute();
  await db.schema.dropTable('contacts').execute();
  await db.schema.dropTable('friend_requests').execute();
}
