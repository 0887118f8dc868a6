import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { searchVector } from './2026-12-08T0900-create-search-indexes';

/** The tables whose matches search reads newest first. */
export const STORED_VECTORS = ['messages', 'tickets'] as const;

/**
 * PostgreSQL only: messages and tickets keep their `tsvector` in a stored generated column,
 * `search_vector`, and the GIN index moves onto it. Search reads the newest matches by walking
 * the primary key backwards, testing each row: against a stored vector that test is a lookup,
 * where the expression index made PostgreSQL parse each row's text again (~9 µs a message,
 * ~20 a ticket: 190 ms for two words that meet once in 40 messages, at 1M messages). The
 * vector is computed once per write either way (before, for the index). Nothing selects it: the rows' readers name their
 * columns (`MESSAGE_COLUMNS`, `TICKET_COLUMNS`), so history and queues stay as wide as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of STORED_VECTORS) {
    await sql
      .raw(`ALTER TABLE ${table} ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (${searchVector(table)}) STORED`)
      .execute(db);
    await sql.raw(`DROP INDEX ${table}_search_idx`).execute(db);
    await sql.raw(`CREATE INDEX ${table}_search_idx ON ${table} USING gin (search_vector)`).execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of STORED_VECTORS) {
    await sql.raw(`DROP INDEX ${table}_search_idx`).execute(db);
    await sql.raw(`ALTER TABLE ${table} DROP COLUMN search_vector`).execute(db);
    await sql.raw(`CREATE INDEX ${table}_search_idx ON ${table} USING gin ((${searchVector(table)}))`).execute(db);
  }
}
