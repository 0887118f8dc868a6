import type { Kysely } from 'kysely';
import { dropIndex } from '../portable-ddl';

/**
 * The queue's "most urgent first" now serves the ticket waiting longest first within a
 * priority: ordered by rank descending, then created_at and id ascending. The index follows
 * (in that order, so no database has to sort); the one by recent activity within a rank goes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tickets_priority_age_idx')
    .on('tickets')
    .columns(['priority_rank desc', 'created_at', 'id'])
    .execute();
  await dropIndex(db, 'tickets_priority_rank_idx', 'tickets').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('tickets_priority_rank_idx')
    .on('tickets')
    .columns(['priority_rank', 'updated_at', 'id'])
    .execute();
  await dropIndex(db, 'tickets_priority_age_idx', 'tickets').execute();
}
