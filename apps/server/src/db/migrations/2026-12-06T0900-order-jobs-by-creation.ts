import type { Kysely } from 'kysely';
import { dropIndex } from '../portable-ddl';

/**
 * The runner takes due jobs soonest first and, among jobs due at the same moment, in the order
 * they were made (`id`, a ULID): a chain of domain events must be handled in the order it
 * happened. The id joins the index so that order is read off it, not sorted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['failed_at', 'run_at', 'id']).execute();
  await dropIndex(db, 'jobs_run_at_idx', 'jobs').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('jobs_run_at_idx').on('jobs').columns(['failed_at', 'run_at']).execute();
  await dropIndex(db, 'jobs_due_idx', 'jobs').execute();
}
