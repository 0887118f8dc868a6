import type { SearchTerm } from '@parley/protocol';
import { MysqlAdapter, PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect';
import { searchVector, SEARCHED } from '../db/migrations/2026-12-08T0900-create-search-indexes';

/** A table with a full-text index (see the migration), and the id its matches stand for. */
export type SearchedTable = keyof typeof SEARCHED;

/** Matches of the terms in one table: `(id, score)` rows, higher scores more relevant. */
export type Hits = RawBuilder<{ id: string; score: number }>;

/**
 * The rows of `table` that match every term, each dialect with its own engine, as a subquery
 * of `(id, score)`. `id` is the row's id, or for attachments the message they belong to.
 * Every branch names the workspace: the indexes span workspaces, their matches do not.
 */
export function hitsOf(
  db: Db,
  table: SearchedTable,
  terms: readonly SearchTerm[],
  workspaceId: string,
  { ranked = true }: { ranked?: boolean } = {},
): Hits {
  const adapter = db.getExecutor().adapter;
  const id = sql.raw(table === 'attachments' ? 't.message_id' : 't.id');
  const scope =
    table === 'users'
      ? sql`t.id IN (SELECT wm.user_id FROM workspace_members wm WHERE wm.workspace_id = ${workspaceId})`
      : sql`t.workspace_id = ${workspaceId}`;
  const attached = table === 'attachments' ? sql` AND t.message_id IS NOT NULL` : sql``;

  if (adapter instanceof PostgresAdapter) {
    const vector = sql.raw(searchVector(table, 't'));
    const query = sql`to_tsquery('parley_search', ${postgresQuery(terms)})`;
    // ts_rank parses the text again (the index holds no vector to read): `ranked: false` leaves
    // it to `rankOf`, over the few candidates kept, instead of every match.
    const score = ranked ? sql`ts_rank(${vector}, ${query})` : sql`0`;
    return sql`SELECT ${id} AS id, ${score} AS score FROM ${sql.table(table)} t
      WHERE ${scope}${attached} AND ${vector} @@ ${query}`;
  }
  if (adapter instanceof MysqlAdapter) {
    const columns = sql.raw(table === 'users' ? 't.search_name' : SEARCHED[table].map((c) => `t.${c}`).join(', '));
    const against = mysqlQuery(terms);
    const match = sql`MATCH (${columns}) AGAINST (${against} IN BOOLEAN MODE)`;
    // A ticket's subject counts five times its description, as on the other engines.
    const score =
      table === 'tickets' ? sql`${match} + 4 * MATCH (t.subject) AGAINST (${against} IN BOOLEAN MODE)` : match;
    return sql`SELECT ${id} AS id, ${score} AS score FROM ${sql.table(table)} t WHERE ${scope}${attached} AND ${match}`;
  }
  const fts = sql.raw(`${table}_fts`);
  // bm25 is lower for better matches; a ticket's subject counts five times its description.
  const weights = sql.raw(table === 'tickets' ? ', 5.0, 1.0' : table === 'users' ? ', 2.0, 1.0' : '');
  // CROSS JOIN fixes SQLite's join order: the index first, then its rows. Left to itself the
  // planner walked the workspace's rows and ran the MATCH once per row (seconds at 100k).
  return sql`SELECT ${id} AS id, -bm25(${fts}${weights}) AS score FROM ${fts}
    CROSS JOIN ${sql.table(table)} t ON t.rowid = ${fts}.rowid
    WHERE ${fts} MATCH ${sqliteQuery(terms)} AND ${scope}${attached}`;
}

/**
 * The relevance of a candidate row `alias` of `table` (with its searched columns selected), for
 * hits taken with `ranked: false`; null where the hits' own score is the relevance.
 */
export function rankOf(db: Db, table: SearchedTable, terms: readonly SearchTerm[], alias: string) {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return null;
  const vector = sql.raw(searchVector(table, alias));
  return sql<number>`ts_rank(${vector}, to_tsquery('parley_search', ${postgresQuery(terms)}))`;
}

/** FTS5: `"w1 w2"` is a phrase, `"w"*` a prefix; terms side by side must all match. */
export const sqliteQuery = (terms: readonly SearchTerm[]) =>
  terms.map((t) => `"${t.words.join(' ')}"${t.prefix ? '*' : ''}`).join(' ');

/** `to_tsquery`: `a <-> b` a phrase, `w:*` a prefix, `&` all of them. Words are letters and digits only. */
export const postgresQuery = (terms: readonly SearchTerm[]) =>
  terms
    .map((t) => `(${t.words.map((w, i) => (t.prefix && i === t.words.length - 1 ? `${w}:*` : w)).join(' <-> ')})`)
    .join(' & ');

/**
 * InnoDB FULLTEXT in boolean mode: `+"w1 w2"` a phrase, `+w*` a prefix. It indexes no word
 * under `innodb_ft_min_token_size` (3 by default), so a short word is looked for as the start
 * of a word instead of not at all: "go" finds "go" and "good".
 */
export function mysqlQuery(terms: readonly SearchTerm[]): string {
  const parts: string[] = [];
  for (const term of terms) {
    const long = term.words.filter((w) => [...w].length >= MYSQL_MIN_WORD);
    if (term.words.length > 1 && long.length === term.words.length) parts.push(`+"${term.words.join(' ')}"`);
    else if (term.words.length > 1) parts.push(...long.map((w) => `+${w}`));
    else parts.push(`+${term.words[0]}${term.prefix || long.length === 0 ? '*' : ''}`);
  }
  return parts.join(' ');
}

const MYSQL_MIN_WORD = 3;
