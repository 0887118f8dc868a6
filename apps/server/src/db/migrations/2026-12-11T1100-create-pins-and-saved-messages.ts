import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * `pinned_messages`: a conversation's pin board (one row per pinned message, listed newest
 * first). `saved_messages`: each person's own saved messages, listed newest first. Neither has a
 * foreign key to `messages`: a message is soft-deleted, and its pins and saves are read through it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'pinned_messages')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', ID, (c) => c.notNull())
    .addColumn('message_id', ID, (c) => c.notNull())
    .addColumn('pinned_by', ID, (c) => c.notNull())
    .addColumn('pinned_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('pinned_messages_pk', ['workspace_id', 'conversation_id', 'message_id'])
    .execute();
  await createTable(db, 'saved_messages')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('message_id', ID, (c) => c.notNull())
    .addColumn('saved_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('saved_messages_pk', ['workspace_id', 'user_id', 'message_id'])
    .execute();
  await db.schema
    .createIndex('saved_messages_by_time_idx')
    .on('saved_messages')
    .columns(['workspace_id', 'user_id', 'saved_at', 'message_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saved_messages').execute();
  await db.schema.dropTable('pinned_messages').execute();
}
