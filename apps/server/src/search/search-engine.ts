import type { SearchTerm } from '@parley/protocol';
import { MysqlAdapter, PostgresAdapter, sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect';
import { searchVector, SEARCHED } from '../db/migrations/2026-12-08T0900-create-search-indexes';
import { STORED_VECTORS } from '../db/migrations/2026-12-09T0900-store-search-vectors';

/** A table with a full-text index (see the migration), and the id its matches stand for. */
export type SearchedTable = keyof typeof SEARCHED;

/**
 * Matches of the terms in one table: `(id, score, pos)` rows, higher scores more relevant, a
 * higher `pos` written later. Reading them by `pos` descending is reading the index newest first,
 * so a query of common words can stop at the newest few it needs instead of taking every match.
 */
export type Hits = RawBuilder<{ id: string; score: number; pos: string | number }>;

/**
 * The rows of `table` that match every term, each dialect with its own engine, as a subquery
 * of `(id, score, pos)`. `id` is the row's id, or for attachments the message they belong to.
 * `within`, when given, lists the conversations the hits must be in: those the searcher could
 * read at most, when they are few.
 * `score` is the engine's own relevance when `scored` (people, ranked over every match), else
 * 0: messages and tickets are ranked by `relevance`, over the newest matches only.
 * Every branch names the workspace: the indexes span workspaces, their matches do not.
 */
export function hitsOf(
  db: Db,
  table: SearchedTable,
  terms: readonly SearchTerm[],
  workspaceId: string,
  { scored = false, within: readable }: { scored?: boolean; within?: Readable | null } = {},
): Hits {
  // A word typed twice is one condition: the planners would count it twice and expect a
  // thousandth of its matches (PostgreSQL then fetched all 30,000 "newest first" by sorting).
  terms = [...new Map(terms.map((t) => [`${t.words.join(' ')}${t.prefix ? '*' : ''}`, t])).values()];
  const adapter = db.getExecutor().adapter;
  const id = sql.raw(table === 'attachments' ? 't.message_id' : 't.id');
  const scope =
    table === 'users'
      ? // Per match, not as a list: a list is every member of the workspace (100,000: ~30 ms).
        sql`EXISTS (SELECT 1 FROM workspace_members wm WHERE wm.workspace_id = ${workspaceId} AND wm.user_id = t.id)`
      : sql`t.workspace_id = ${workspaceId}`;
  const attached = table === 'attachments' ? sql` AND t.message_id IS NOT NULL` : sql``;
  // Only narrows: whoever reads the hits applies every permission condition again.
  const within =
    readable && (table === 'messages' || table === 'tickets')
      ? readable.conversationIds.length === 0
        ? sql` AND 1 = 0`
        : sql` AND t.conversation_id IN (${sql.join(readable.conversationIds)})`
      : sql``;

  if (adapter instanceof PostgresAdapter) {
    // Messages and tickets keep their vector in a column; names and file names, indexed expressions.
    const stored = (STORED_VECTORS as readonly string[]).includes(table);
    const vector = sql.raw(stored ? 't.search_vector' : searchVector(table, 't'));
    const query = sql`to_tsquery('parley_search', ${postgresQuery(terms)})`;
    const score = scored ? sql`ts_rank(${vector}, ${query})` : sql`0`;
    // ULIDs: the id is the order of writing, and its primary key index reads it backwards.
    return sql`SELECT ${id} AS id, ${score} AS score, ${id} AS pos FROM ${sql.table(table)} t
      WHERE ${scope}${attached}${within} AND ${vector} @@ ${query}`;
  }
  if (adapter instanceof MysqlAdapter) {
    const columns = sql.raw(table === 'users' ? 't.search_name' : SEARCHED[table].map((c) => `t.${c}`).join(', '));
    const against = mysqlQuery(terms);
    const match = sql`MATCH (${columns}) AGAINST (${against} IN BOOLEAN MODE)`;
    const score = scored ? match : sql`0`;
    return sql`SELECT ${id} AS id, ${score} AS score, ${id} AS pos FROM ${sql.table(table)} t
      WHERE ${scope}${attached}${within} AND ${match}`;
  }
  const fts = sql.raw(`${table}_fts`);
  // bm25 is lower for better matches; a name counts twice a username.
  const weights = sql.raw(table === 'users' ? ', 2.0, 1.0' : '');
  // CROSS JOIN fixes SQLite's join order: the index first, then its rows. Left to itself the
  // planner walked the workspace's rows and ran the MATCH once per row (seconds at 100k).
  // FTS5 reads its matches in rowid order either way, so `pos` costs no sort.
  const score = scored ? sql`-bm25(${fts}${weights})` : sql`0`;
  const rows = table === 'tickets' ? readable?.conversationIds.length : readable?.messageCount;
  if (readable && rows !== undefined && rows <= FEW_ROWS) {
    // A few rows to read at all (a customer's own tickets): test each against the index
    // (~40 µs a probe), instead of walking every match of the words in the workspace.
    return sql`SELECT t.id AS id, 0 AS score, t.rowid AS pos FROM ${sql.table(table)} t
      WHERE ${scope}${within} AND EXISTS (SELECT 1 FROM ${fts} f
        WHERE f.${fts} MATCH ${sqliteQuery(terms)} AND f.rowid = t.rowid)`;
  }
  return sql`SELECT ${id} AS id, ${score} AS score, ${fts}.rowid AS pos FROM ${fts}
    CROSS JOIN ${sql.table(table)} t ON t.rowid = ${fts}.rowid
    WHERE ${fts} MATCH ${sqliteQuery(terms)} AND ${scope}${attached}${within}`;
}

/**
 * At most the conversations whose messages a searcher could read, listed when they are few (see
 * `readableConversations`), and how many messages they hold.
 */
export interface Readable {
  conversationIds: readonly string[];
  messageCount: number;
}

/** SQLite reads this many rows one by one rather than every match of the words. */
export const FEW_ROWS = 500;

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
