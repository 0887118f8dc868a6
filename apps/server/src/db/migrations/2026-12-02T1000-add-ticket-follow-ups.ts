import type { Kysely } from 'kysely';
import { dropIndex, ID } from '../portable-ddl';

/**
 * A customer's reply to a ticket closed longer ago than the reopen window opens a new ticket
 * that points back at the old one. The unique index lets a ticket have one follow-up only, so
 * two replies at once cannot both create one: the second fails on the key and joins the first.
 * (NULLs do not collide in a unique index on SQLite, MariaDB or PostgreSQL.) No foreign key:
 * SQLite cannot drop a column that has one, and tickets are never deleted.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('follow_up_of', ID).execute();
  await db.schema.createIndex('tickets_follow_up_of_key').on('tickets').column('follow_up_of').unique().execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'tickets_follow_up_of_key', 'tickets').execute();
  await db.schema.alterTable('tickets').dropColumn('follow_up_of').execute();
}
