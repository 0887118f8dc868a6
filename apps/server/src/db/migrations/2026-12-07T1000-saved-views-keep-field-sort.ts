import type { Kysely } from 'kysely';

/**
 * A saved view keeps a custom field to sort by first (`sort_field`: `key` or `-key`, as
 * `GET /tickets?sortField=` takes it; null: none), beside its sort.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('saved_views').addColumn('sort_field', 'varchar(41)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('saved_views').dropColumn('sort_field').execute();
}
