import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Saved views: a named ticket filter (`filter`, JSON of the protocol's ticket filter, checked on
 * the way in and again on every read) with a sort, `personal` (its owner's) or `shared`.
 * Listed by position: the index serves "the workspace's views in order"; a reader's personal
 * ones are a handful of rows among them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'saved_views')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('owner_id', ID, (c) => c.notNull())
    .addColumn('scope', 'varchar(20)', (c) => c.notNull())
    .addColumn('name', 'varchar(400)', (c) => c.notNull())
    .addColumn('filter', 'text', (c) => c.notNull())
    .addColumn('sort', 'varchar(40)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('saved_views_workspace_position_idx')
    .on('saved_views')
    .columns(['workspace_id', 'position'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('saved_views').execute();
}
