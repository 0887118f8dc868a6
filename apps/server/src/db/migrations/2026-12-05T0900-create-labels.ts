import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Labels: the workspace's coloured tags (`name_key`, the name in lower case, is unique per
 * workspace), and which conversation carries which. A ticket's labels are on its thread's
 * conversation, so tickets and plain conversations share one table, and deleting a label (or a
 * conversation) takes its rows along by the foreign keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'labels')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'varchar(200)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(200)', (c) => c.notNull())
    .addColumn('colour', 'varchar(7)', (c) => c.notNull())
    .addColumn('description', 'varchar(800)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('labels_workspace_name_key', ['workspace_id', 'name_key'])
    .execute();

  await createTable(db, 'conversation_labels')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('conversation_id', ID, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('label_id', ID, (c) => c.notNull().references('labels.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_labels_pkey', ['workspace_id', 'conversation_id', 'label_id'])
    .execute();
  // The label filter's EXISTS looks rows up by conversation and label (the key); counts per label
  // and a label's deletion go by label.
  await db.schema
    .createIndex('conversation_labels_workspace_label_idx')
    .on('conversation_labels')
    .columns(['workspace_id', 'label_id', 'conversation_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_labels').execute();
  await db.schema.dropTable('labels').execute();
}
