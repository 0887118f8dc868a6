import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Customers pick what their ticket is about from categories, not from the internal teams: a
 * team offered to customers carries the label they see (null: not offered). Desk-wide settings
 * are key/value rows (the value is JSON), so a new setting needs no migration.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('teams').addColumn('category', 'varchar(64)').execute();
  await createTable(db, 'desk_settings')
    .addColumn('key', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_by', ID)
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('desk_settings').execute();
  await db.schema.alterTable('teams').dropColumn('category').execute();
}
