import type { Kysely } from 'kysely';
import { dropIndex } from '../portable-ddl';

/**
 * `priority` as a number (low 1 .. urgent 4), so "most urgent first" is an indexed sort with a
 * plain keyset cursor instead of a CASE expression on every row.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('tickets')
    .addColumn('priority_rank', 'integer', (c) => c.notNull().defaultTo(2))
    .execute();
  await db.schema
    .createIndex('tickets_priority_rank_idx')
    .on('tickets')
    .columns(['priority_rank', 'updated_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'tickets_priority_rank_idx', 'tickets').execute();
  await db.schema.alterTable('tickets').dropColumn('priority_rank').execute();
}
