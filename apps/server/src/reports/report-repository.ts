import type { ReportGrouping } from '@parley/protocol';
import { MysqlAdapter, PostgresAdapter, SqliteAdapter, sql, type RawBuilder } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { percentileOfRanks } from './percentiles';
import type { ReportDays } from './report-periods';

/**
 * Reports computed by the database: one `GROUP BY` per figure over an index range of the
 * workspace's tickets (or surveys), so a request ships a row per group, never a row per ticket.
 * The same SQL runs on SQLite, MariaDB and PostgreSQL.
 *
 * Group key (`g`): the ticket's team, assignee, priority or label, or for `day` the index of the day of
 * the range in its time zone. Days are computed in SQL from a handful of constants built in JS
 * (report-periods.ts, luxon, so DST is right): the range is cut into runs of days of equal length
 * (24 h, and a single 23 h or 25 h day at each DST change), and a time's day is
 * `first + (t - runStart) DIV length` in the run it falls in: a CASE of a few branches, no join.
 *
 * Percentiles (median, p90) are PostgreSQL's `percentile_cont`, on MariaDB the same from window
 * functions keeping only the rows next to the wanted ranks, on SQLite sorted in process (see
 * durationStats).
 *
 * By label, the key is the ticket's set of labels (`label_ids`, a JSON array copied from
 * `conversation_labels` onto the ticket, and in the covering indexes): counts are grouped by set
 * (few distinct ones) and split per label here, so a ticket counts once per label, once in the
 * null group without any, and once in the total, from one read with no join. Percentiles need each
 * label's values: SQLite reads them into the process anyway; PostgreSQL and MariaDB unnest the
 * array in SQL (labelsJoin) and read the total apart.
 *
 * SQL text here is written with the tables' own (snake_case) names; every value a caller gives
 * is a bound parameter, and the only inlined numbers are the day runs, checked to be integers.
 */

export type Grouping = Exclude<ReportGrouping, 'day'> | 'day' | 'all';

export interface Bucketing {
  grouping: Grouping;
  days: ReportDays;
}

const GROUP_COLUMN = {
  team: 't.team_id',
  agent: 't.assignee_id',
  priority: 't.priority',
  label: 't.label_ids',
} as const;

/**
 * A survey's ticket (`lt`), for a grouping by what its ticket has: its labels. SQLite would rather
 * scan every ticket of the workspace by the covering index that holds `label_ids` than look up
 * the surveys' tickets (~10× slower); its CROSS JOIN keeps the surveys' range first.
 */
const surveyTicket = (db: Db, by: { grouping: Grouping }, table: Table) =>
  table === 'csat_surveys' && by.grouping === 'label'
    ? sql`${isSqlite(db) ? sql`CROSS JOIN` : sql`JOIN`} tickets lt ON lt.workspace_id = t.workspace_id AND lt.id = t.ticket_id`
    : sql``;

/** The labels of a set as stored (`label_ids`): parsed once per distinct set of a read. */
function labelsOfSets() {
  const parsed = new Map<string, string[]>();
  return (set: unknown): Array<string | null> => {
    if (set === null || set === undefined) return [null];
    let labels = parsed.get(String(set));
    if (!labels) parsed.set(String(set), (labels = JSON.parse(String(set)) as string[]));
    return labels.length === 0 ? [null] : labels;
  };
}

/** Rows per set of labels as rows per label (null: none), and the total: each row once. */
function splitBySet<V>(rows: Array<Counted<V>>, zero: V, plus: (a: V, b: V) => V): Grouped<V> {
  const labelsOf = labelsOfSets();
  const perLabel = new Map<string | null, V>();
  let total = zero;
  for (const { key, values } of rows) {
    total = plus(total, values);
    for (const label of labelsOf(key)) {
      const sum = perLabel.get(label);
      perLabel.set(label, sum === undefined ? values : plus(sum, values));
    }
  }
  return { rows: [...perLabel].map(([key, values]) => ({ key, values })), total };
}

const int = (n: number) => {
  if (!Number.isSafeInteger(n)) throw new Error(`Not an integer: ${n}`);
  return sql.raw(String(n));
};

/** Runs of consecutive days of the same length: `[first day index, its start, day length]`. */
function dayRuns(days: ReportDays): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  const { starts } = days;
  for (let i = 0; i < starts.length - 1; i++) {
    const length = starts[i + 1]! - starts[i]!;
    const last = runs[runs.length - 1];
    if (!last || last[2] !== length) runs.push([i, starts[i]!, length]);
  }
  return runs;
}

/** The group key of a row whose time is `column` of `table` (a bare name, `t` in the query). */
function groupKey(db: Db, by: Bucketing, column: string): RawBuilder<unknown> {
  const { grouping } = by;
  if (grouping === 'all') return sql`0`;
  if (grouping !== 'day') return sql.raw(GROUP_COLUMN[grouping]);
  const time = sql.raw(`t.${column}`);
  const divide = db.getExecutor().adapter instanceof MysqlAdapter ? sql.raw('DIV') : sql.raw('/');
  const runs = dayRuns(by.days);
  const dayOf = ([first, start, length]: [number, number, number]) =>
    sql`${int(first)} + (${time} - ${int(start)}) ${divide} ${int(length)}`;
  if (runs.length === 1) return dayOf(runs[0]!);
  const branches = runs.slice(0, -1).map((run, i) => sql`WHEN ${time} < ${int(runs[i + 1]![1])} THEN ${dayOf(run)}`);
  return sql`CASE ${sql.join(branches, sql` `)} ELSE ${dayOf(runs[runs.length - 1]!)} END`;
}

/** Keys as the service knows them: a day index, an id or priority, or null (no team/assignee). */
const keyOf = (by: Bucketing, g: unknown): string | null =>
  g === null || g === undefined ? null : by.grouping === 'day' ? String(Number(g)) : String(g);

const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

export interface Counted<V> {
  key: string | null;
  values: V;
}

/** Per group, and for the whole range: by label not the groups' sum, as a ticket may be in several. */
export interface Grouped<V> {
  rows: Counted<V>[];
  total: V;
}

type Table = 'tickets' | 'csat_surveys';

const isSqlite = (db: Db) => db.getExecutor().adapter instanceof SqliteAdapter;

/**
 * `aggregates` per group of rows of `table` whose `column` is in [start, end) (and `where`), and
 * for all of them. Read from the `(workspace_id, column, ...)` index.
 */
async function grouped<K extends string>(
  db: Db,
  ws: Scope,
  table: Table,
  column: string,
  by: Bucketing,
  aggregates: Record<K, RawBuilder<unknown>>,
  where: RawBuilder<unknown> = sql`1 = 1`,
): Promise<Grouped<Record<K, number>>> {
  const names = Object.keys(aggregates) as K[];
  const zero = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const plus = (a: Record<K, number>, b: Record<K, number>) =>
    Object.fromEntries(names.map((name) => [name, a[name] + b[name]])) as Record<K, number>;
  const rows = await groupedRows(db, ws, table, column, by, aggregates, where);
  if (by.grouping === 'label') return splitBySet(rows, zero, plus);
  return { rows, total: rows.reduce((sum, row) => plus(sum, row.values), zero) };
}

const selectsOf = (aggregates: Record<string, RawBuilder<unknown>>) =>
  sql.join(
    Object.entries(aggregates).map(([name, expr]) => sql`${expr} AS ${sql.raw(name)}`),
    sql`, `,
  );

async function groupedRows<K extends string>(
  db: Db,
  ws: Scope,
  table: Table,
  column: string,
  by: Bucketing,
  aggregates: Record<K, RawBuilder<unknown>>,
  where: RawBuilder<unknown>,
): Promise<Array<Counted<Record<K, number>>>> {
  const { start, end } = by.days;
  const time = sql.raw(`t.${column}`);
  const key = table === 'csat_surveys' && by.grouping === 'label' ? sql`lt.label_ids` : groupKey(db, by, column);
  const result = await sql<Record<string, unknown>>`
    SELECT x.g AS g, ${sql.join(
      Object.keys(aggregates).map((name) => sql.raw(`SUM(x.${name}) AS ${name}`)),
      sql`, `,
    )}
    FROM (
      SELECT ${key} AS g, ${selectsOf(aggregates)}
      FROM ${sql.raw(table)} t ${surveyTicket(db, by, table)}
      WHERE t.workspace_id = ${ws.workspaceId} AND ${time} >= ${start} AND ${time} < ${end} AND ${where}
    ) x
    GROUP BY x.g`.execute(db);
  return result.rows.map((row) => ({
    key: keyOf(by, row.g),
    values: Object.fromEntries(Object.keys(aggregates).map((name) => [name, num(row[name])])) as Record<K, number>,
  }));
}

/** Tickets opened in the range, per group. */
export const ticketsCreated = (db: Db, ws: Scope, by: Bucketing) =>
  grouped(db, ws, 'tickets', 'created_at', by, { n: sql`1` });

/** Tickets whose (latest) closure is in the range, per group. */
export const ticketsClosed = (db: Db, ws: Scope, by: Bucketing) =>
  grouped(db, ws, 'tickets', 'closed_at', by, { n: sql`1` });

/**
 * SLA targets of the tickets opened in the range, as the ticket shows them (sla-presenter.ts):
 * a first reply after its due time, or a `breached` state, is a missed target; a reply in time or
 * a `met` state a met one, before any job ran; resolution targets count once met or breached.
 */
export function slaOfTicketsCreated(db: Db, ws: Scope, by: Bucketing) {
  const late = sql`(t.sla_first_response_state = 'breached' OR (t.sla_first_responded_at IS NOT NULL AND t.sla_first_responded_at > t.sla_first_response_due_at))`;
  const counted = sql`(t.sla_first_responded_at IS NOT NULL OR t.sla_first_response_state = 'met')`;
  return grouped(
    db,
    ws,
    'tickets',
    'created_at',
    by,
    {
      frtargets: sql`CASE WHEN ${late} OR ${counted} THEN 1 ELSE 0 END`,
      frmet: sql`CASE WHEN ${late} THEN 0 WHEN ${counted} THEN 1 ELSE 0 END`,
      restargets: sql`CASE WHEN t.sla_resolution_state IN ('met', 'breached') THEN 1 ELSE 0 END`,
      resmet: sql`CASE WHEN t.sla_resolution_state = 'met' THEN 1 ELSE 0 END`,
    },
    sql`t.sla_first_response_due_at IS NOT NULL`,
  );
}

/** Surveys answered in the range, grouped by the ticket as it was when it closed. */
export const surveysAnswered = (db: Db, ws: Scope, by: Bucketing) =>
  grouped(db, ws, 'csat_surveys', 'answered_at', by, {
    n: sql`1`,
    total: sql`t.score`,
    satisfied: sql`CASE WHEN t.score >= 4 THEN 1 ELSE 0 END`,
  });

/** Tickets open at `at` (opened before it, not closed before it), per team, assignee, priority or label. */
export async function ticketsOpenAt(db: Db, ws: Scope, at: number, grouping: Grouping): Promise<Grouped<number>> {
  const key = grouping === 'day' || grouping === 'all' ? sql`0` : sql.raw(GROUP_COLUMN[grouping]);
  // Two index range reads (still open; closed later) rather than one OR, which no database plans well.
  const result = await sql<{ g: unknown; n: unknown }>`
    SELECT x.g AS g, COUNT(*) AS n FROM (
      SELECT ${key} AS g FROM tickets t
      WHERE t.workspace_id = ${ws.workspaceId} AND t.closed_at IS NULL AND t.created_at < ${at}
      UNION ALL
      SELECT ${key} AS g FROM tickets t
      WHERE t.workspace_id = ${ws.workspaceId} AND t.closed_at >= ${at} AND t.created_at < ${at}
    ) x
    GROUP BY x.g`.execute(db);
  const rows = result.rows.map((row) => ({
    key: row.g === null ? null : grouping === 'day' || grouping === 'all' ? '0' : String(row.g),
    values: num(row.n),
  }));
  const plus = (a: number, b: number) => a + b;
  if (grouping === 'label') return splitBySet(rows, 0, plus);
  return { rows, total: rows.reduce((sum, row) => sum + row.values, 0) };
}

/** Count, median and p90 (ms, `percentile_cont`; null without values) of a group's durations. */
export interface DurationStats {
  count: number;
  median: number | null;
  p90: number | null;
}

/** The two percentiles reports show, as fractions `tenths / 10`. */
export const PERCENTILES = { median: 5, p90: 9 } as const;

/**
 * Count, median and p90 of `duration` for each group, and for the whole range.
 *
 * PostgreSQL has the aggregate itself: `percentile_cont` with `GROUPING SETS ((g), ())`, about
 * four times faster there than the portable form. SQLite reads the values into the process and
 * sorts them there (sortedInProcess). MariaDB has no such aggregate either, and its rows cross the
 * network: per group (and over all rows) `ROW_NUMBER()` and `COUNT(*)` over the values in order, keeping
 * only the rows at (or next to) the ranks of the median and the p90 (rank - 1 within one of
 * p * (count - 1), in integers); percentileOfRanks interpolates between them as
 * `percentile_cont` does. One read of the index either way.
 */
async function durationStats(
  db: Db,
  ws: Scope,
  column: string,
  by: Bucketing,
  duration: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
): Promise<DurationsByGroup> {
  // SQLite reads each ticket once, with its set of labels (sortedInProcess): groups and total in one read.
  if (by.grouping !== 'label' || isSqlite(db)) return durationStatsRead(db, ws, column, by, duration, where);
  const [{ groups }, { total }] = await Promise.all([
    durationStatsRead(db, ws, column, by, duration, where),
    durationStatsRead(db, ws, column, { ...by, grouping: 'all' }, duration, where),
  ]);
  return { groups, total };
}

type DurationsByGroup = { groups: Map<string | null, DurationStats>; total: DurationStats };

/**
 * PostgreSQL and MariaDB by label: a row per label of the ticket (`l.label_id`), and one with null
 * without any, from its `label_ids` array.
 */
function labelsJoin(db: Db): RawBuilder<unknown> {
  return db.getExecutor().adapter instanceof PostgresAdapter
    ? sql`LEFT JOIN LATERAL jsonb_array_elements_text(CAST(t.label_ids AS jsonb)) AS l(label_id) ON TRUE`
    : sql`LEFT JOIN JSON_TABLE(t.label_ids, '$[*]' COLUMNS (label_id VARCHAR(26) PATH '$')) AS l ON TRUE`;
}

/** One read: the groups, and a total over the rows read (by label in SQL, a ticket once per label). */
async function durationStatsRead(
  db: Db,
  ws: Scope,
  column: string,
  by: Bucketing,
  duration: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
): Promise<DurationsByGroup> {
  const { start, end } = by.days;
  const time = sql.raw(`t.${column}`);
  const unnested = by.grouping === 'label' && !isSqlite(db);
  const values = sql`
    SELECT ${unnested ? sql`l.label_id` : groupKey(db, by, column)} AS g, ${duration} AS v
    FROM tickets t ${unnested ? labelsJoin(db) : sql``}
    WHERE t.workspace_id = ${ws.workspaceId} AND ${time} >= ${start} AND ${time} < ${end} AND ${where}`;
  const groups = new Map<string | null, DurationStats>();
  let total: DurationStats = { count: 0, median: null, p90: null };
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const result = await sql<{ g: unknown; whole: unknown; n: unknown; median: unknown; p90: unknown }>`
      SELECT x.g AS g, GROUPING(x.g) AS whole, COUNT(*) AS n,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY x.v) AS median,
        percentile_cont(0.9) WITHIN GROUP (ORDER BY x.v) AS p90
      FROM (${values}) x
      GROUP BY GROUPING SETS ((x.g), ())`.execute(db);
    for (const row of result.rows) {
      const stats = { count: Number(row.n), median: orNull(row.median), p90: orNull(row.p90) };
      if (Number(row.whole) === 1) total = stats;
      else groups.set(keyOf(by, row.g), stats);
    }
    return { groups, total };
  }
  if (isSqlite(db)) {
    const result = await sql<ValuesRow>`
      SELECT x.g AS g, parley_values(x.v) AS vs FROM (${values}) x GROUP BY x.g`.execute(db);
    return sortedInProcess(by, result.rows);
  }
  const near = (rank: string, count: string) =>
    sql.join(
      Object.values(PERCENTILES).map(
        (tenths) => sql`ABS(10 * (${sql.raw(rank)} - 1) - ${int(tenths)} * (${sql.raw(count)} - 1)) < 10`,
      ),
      sql` OR `,
    );
  const result = await sql<{ g: unknown; rn: unknown; n: unknown; arn: unknown; an: unknown; v: unknown }>`
    SELECT y.g AS g, y.rn AS rn, y.n AS n, y.arn AS arn, y.an AS an, y.v AS v FROM (
      SELECT x.g AS g, x.v AS v,
        ROW_NUMBER() OVER (PARTITION BY x.g ORDER BY x.v) AS rn,
        COUNT(*) OVER (PARTITION BY x.g) AS n,
        ROW_NUMBER() OVER (ORDER BY x.v) AS arn,
        COUNT(*) OVER () AS an
      FROM (${values}) x
    ) y
    WHERE ${near('y.rn', 'y.n')} OR ${near('y.arn', 'y.an')}`.execute(db);
  // Per group (and for all): its count, and the values at the kept 0-based ranks.
  const ranked = new Map<string | null, { count: number; at: Map<number, number> }>();
  const all = { count: 0, at: new Map<number, number>() };
  for (const row of result.rows) {
    const key = keyOf(by, row.g);
    const value = Number(row.v);
    let group = ranked.get(key);
    if (!group) ranked.set(key, (group = { count: Number(row.n), at: new Map() }));
    group.at.set(Number(row.rn) - 1, value);
    all.count = Number(row.an);
    all.at.set(Number(row.arn) - 1, value);
  }
  const statsOf = ({ count, at }: { count: number; at: Map<number, number> }): DurationStats => ({
    count,
    median: percentileOfRanks(count, PERCENTILES.median, (rank) => at.get(rank)),
    p90: percentileOfRanks(count, PERCENTILES.p90, (rank) => at.get(rank)),
  });
  for (const [key, group] of ranked) groups.set(key, statsOf(group));
  return { groups, total: statsOf(all) };
}

type ValuesRow = { g: unknown; vs: Uint8Array };

/**
 * SQLite: each group's values come back in process as one blob of doubles (`parley_values`, an
 * aggregate registered in db/connect.ts; no network), and are sorted here: several times cheaper
 * than its window functions over the same rows (~500 ms per window for 85,000 rows in the
 * reports bench), and ~2x cheaper than a row object per value. By label, a group is a ticket's
 * set of labels and its values join each label's list.
 */
function sortedInProcess(by: Bucketing, rows: ValuesRow[]): DurationsByGroup {
  const lists = new Map<string | null, Float64Array[]>();
  const labelsOf = labelsOfSets();
  const all: Float64Array[] = [];
  for (const row of rows) {
    // A copy: the blob's bytes need not sit at a multiple of 8.
    const values = new Float64Array(new Uint8Array(row.vs).buffer);
    all.push(values);
    for (const key of by.grouping === 'label' ? labelsOf(row.g) : [keyOf(by, row.g)]) {
      const list = lists.get(key);
      if (list) list.push(values);
      else lists.set(key, [values]);
    }
  }
  const groups = new Map([...lists].map(([key, list]) => [key, statsOfValues(joined(list))] as const));
  return { groups, total: statsOfValues(joined(all)) };
}

/** The parts as one array (a single part as it is: sorting it in place reorders, never loses, values). */
function joined(parts: Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Float64Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  return all;
}

/** Count, median and p90 of values in any order (sorted here, in place). */
function statsOfValues(values: Float64Array): DurationStats {
  const sorted = values.sort();
  return {
    count: sorted.length,
    median: percentileOfRanks(sorted.length, PERCENTILES.median, (rank) => sorted[rank]),
    p90: percentileOfRanks(sorted.length, PERCENTILES.p90, (rank) => sorted[rank]),
  };
}

const orNull = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** First response times (ms) of the tickets opened in the range and answered. */
export const firstResponseTimes = (db: Db, ws: Scope, by: Bucketing) =>
  durationStats(
    db,
    ws,
    'created_at',
    by,
    sql`t.sla_first_responded_at - t.created_at`,
    sql`t.sla_first_responded_at IS NOT NULL`,
  );

/** Resolution times (ms) of the tickets closed in the range. */
export const resolutionTimes = (db: Db, ws: Scope, by: Bucketing) =>
  durationStats(db, ws, 'closed_at', by, sql`t.closed_at - t.created_at`, sql`1 = 1`);

/** Display names of the groups: team, people's or label names. */
export async function namesOf(
  db: Db,
  ws: Scope,
  grouping: 'team' | 'agent' | 'label',
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows =
    grouping === 'label'
      ? await db
          .selectFrom('labels')
          .select(['labels.id', 'labels.name'])
          .where('labels.workspaceId', '=', ws.workspaceId)
          .where('labels.id', 'in', ids)
          .execute()
      : grouping === 'team'
        ? await db
            .selectFrom('teams')
            .select(['teams.id', 'teams.name'])
            .where('teams.workspaceId', '=', ws.workspaceId)
            .where('teams.id', 'in', ids)
            .execute()
        : await db
            .selectFrom('workspaceMembers')
            .innerJoin('users', 'users.id', 'workspaceMembers.userId')
            .select(['users.id', 'users.displayName as name'])
            .where('workspaceMembers.workspaceId', '=', ws.workspaceId)
            .where('users.id', 'in', ids)
            .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
