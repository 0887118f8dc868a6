import { sql, SqliteAdapter, type Kysely } from 'kysely';
import { SEARCHED } from './2026-12-08T0900-create-search-indexes';

/**
 * SQLite only: the FTS5 indexes stop merging their segments inside the writing transaction
 * (`automerge` 0); the recurring job `search.merge` (search/search-index-merge.ts) merges them
 * between writes instead, so a send does not now and then pay for a merge. FTS5's
 * `crisismerge` still merges inside a write if segments ever pile up.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await setAutomerge(db, 0);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setAutomerge(db, 4); // FTS5's default
}

async function setAutomerge(db: Kysely<unknown>, value: number) {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const table of Object.keys(SEARCHED)) {
    await sql.raw(`INSERT INTO ${table}_fts(${table}_fts, rank) VALUES ('automerge', ${value})`).execute(db);
  }
}
