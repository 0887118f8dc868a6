import {
  REPORT_COLUMNS,
  TicketPrioritySchema,
  type Report,
  type ReportGrouping,
  type ReportName,
  type ReportRow,
} from '@parley/protocol';
import type { Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { isKnownTimeZone } from '../sla/business-hours';
import { daysOf, type ReportDays } from './report-periods';
import {
  firstResponseTimes,
  namesOf,
  resolutionTimes,
  slaOfTicketsCreated,
  surveysAnswered,
  ticketsClosed,
  ticketsCreated,
  ticketsOpenAt,
  type Bucketing,
  type DurationStats,
  type Grouped,
} from './report-repository';

const MINUTE = 60_000;
const MAX_DAYS = 366;
const NONE = 'none';

export interface ReportInput {
  from: string;
  to: string;
  timeZone: string;
  groupBy: ReportGrouping;
}

type Values = Record<string, number | null>;

const round = (n: number | null, digits = 2) => (n === null ? null : Number(n.toFixed(digits)));
const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

/** Count, median and p90 (ms) -> the report's count and minutes. */
const durationValues = (stats: DurationStats): Values => ({
  count: stats.count,
  medianMinutes: stats.median === null ? null : round(stats.median / MINUTE),
  p90Minutes: stats.p90 === null ? null : round(stats.p90 / MINUTE),
});

interface SlaAcc {
  frtargets: number;
  frmet: number;
  restargets: number;
  resmet: number;
}

const slaValues = (a: SlaAcc): Values => ({
  firstResponseMet: a.frmet,
  firstResponseTargets: a.frtargets,
  resolutionMet: a.resmet,
  resolutionTargets: a.restargets,
  attainment: share(a.frmet + a.resmet, a.frtargets + a.restargets),
});

interface CsatAcc {
  n: number;
  total: number;
  satisfied: number;
}

const csatValues = (a: CsatAcc): Values => ({
  count: a.n,
  average: a.n === 0 ? null : round(a.total / a.n),
  satisfiedShare: share(a.satisfied, a.n),
});

interface Computed {
  groups: Map<string, Values>;
  total: Values;
}

const placeOf = (key: string | null) => key ?? NONE;

/** Per-group and total sums from the database -> the report's values. */
const summed = <A>({ rows, total }: Grouped<A>, values: (a: A) => Values): Computed => ({
  groups: new Map(rows.map(({ key, values: a }) => [placeOf(key), values(a)])),
  total: values(total),
});

/** Duration statistics per group and for the whole range -> the report's values. */
const durations = ({
  groups,
  total,
}: {
  groups: Map<string | null, DurationStats>;
  total: DurationStats;
}): Computed => ({
  groups: new Map([...groups].map(([key, stats]) => [placeOf(key), durationValues(stats)])),
  total: durationValues(total),
});

async function compute(
  deps: ServiceDeps,
  actor: Actor,
  name: ReportName,
  days: ReportDays,
  grouping: ReportGrouping,
): Promise<Computed> {
  const by: Bucketing = { grouping, days };
  const { db } = deps;
  switch (name) {
    case 'first-response-time': {
      return durations(await firstResponseTimes(db, actor, by));
    }
    case 'resolution-time': {
      return durations(await resolutionTimes(db, actor, by));
    }
    case 'volume': {
      const [created, closed] = await Promise.all([ticketsCreated(db, actor, by), ticketsClosed(db, actor, by)]);
      const groups = new Map<string, { created: number; closed: number }>();
      const at = (key: string | null) => {
        let acc = groups.get(placeOf(key));
        if (!acc) groups.set(placeOf(key), (acc = { created: 0, closed: 0 }));
        return acc;
      };
      for (const { key, values } of created.rows) at(key).created += values.n;
      for (const { key, values } of closed.rows) at(key).closed += values.n;
      return { groups, total: { created: created.total.n, closed: closed.total.n } };
    }
    case 'backlog':
      return backlog(deps, actor, days, grouping);
    case 'sla':
      return summed(await slaOfTicketsCreated(db, actor, by), slaValues);
    case 'csat':
      return summed(await surveysAnswered(db, actor, by), csatValues);
  }
}

/**
 * Tickets not closed at the end of each day (by day), or at the end of the range (by group).
 * By day: those open when the range starts, plus the tickets opened, minus those closed, on each
 * day up to it (a running sum over three grouped counts).
 */
async function backlog(deps: ServiceDeps, actor: Actor, days: ReportDays, grouping: ReportGrouping): Promise<Computed> {
  const { db } = deps;
  if (grouping !== 'day') {
    return summed(await ticketsOpenAt(db, actor, days.end, grouping), (open) => ({ open }));
  }
  const by: Bucketing = { grouping: 'day', days };
  const [atStart, created, closed] = await Promise.all([
    ticketsOpenAt(db, actor, days.start, 'all'),
    ticketsCreated(db, actor, by),
    ticketsClosed(db, actor, by),
  ]);
  const n = days.keys.length;
  const delta = new Array<number>(n).fill(0);
  for (const r of created.rows) delta[Number(r.key)]! += r.values.n;
  for (const r of closed.rows) delta[Number(r.key)]! -= r.values.n;
  const groups = new Map<string, Values>();
  let running = atStart.total;
  for (let i = 0; i < n; i++) {
    running += delta[i]!;
    groups.set(String(i), { open: running });
  }
  return { groups, total: { open: running } };
}

const PRIORITIES = TicketPrioritySchema.options;

/** One report over the actor's workspace (the route checks `reports.view`). */
export async function buildReport(
  deps: ServiceDeps,
  actor: Actor,
  name: ReportName,
  input: ReportInput,
): Promise<Report> {
  const { from, to, timeZone, groupBy } = input;
  const invalid = (path: string, message: string) =>
    new AppError('validation_failed', message, { fields: [{ in: 'querystring', path, message, reason: 'invalid' }] });
  if (!isKnownTimeZone(timeZone)) throw invalid('timeZone', 'Not a time zone Parley knows (e.g. Europe/Berlin)');
  if (to < from) throw invalid('to', 'The range ends before it starts');
  const days = daysOf(from, to, timeZone);
  if (days.keys.length > MAX_DAYS) throw invalid('to', `At most ${MAX_DAYS} days`);
  const columns = [...REPORT_COLUMNS[name]];
  const { groups, total } = await compute(deps, actor, name, days, groupBy);
  const emptyValues = (): Values => {
    if (name === 'volume') return { created: 0, closed: 0 };
    if (name === 'backlog') return { open: 0 };
    if (name === 'sla') return slaValues({ frtargets: 0, frmet: 0, restargets: 0, resmet: 0 });
    if (name === 'csat') return csatValues({ n: 0, total: 0, satisfied: 0 });
    return durationValues({ count: 0, median: null, p90: null });
  };
  let rows: ReportRow[];
  if (groupBy === 'day') {
    rows = days.keys.map((key, i) => ({ key, label: key, values: groups.get(String(i)) ?? emptyValues() }));
  } else if (groupBy === 'priority') {
    rows = PRIORITIES.filter((p) => groups.has(p)).map((p) => ({ key: p, label: p, values: groups.get(p)! }));
  } else {
    const names = await namesOf(
      deps.db,
      actor,
      groupBy,
      [...groups.keys()].filter((k) => k !== NONE),
    );
    rows = [...groups]
      .map(([key, values]) => ({ key, label: key === NONE ? '' : (names.get(key) ?? key), values }))
      .sort((a, b) => (a.key === NONE ? 1 : b.key === NONE ? -1 : a.label.localeCompare(b.label)));
  }
  return { report: name, groupBy, from, to, timeZone, columns, rows, total, workspaceId: actor.workspaceId };
}

/** The report as CSV: a header row (`key,label,` then the columns), a row per group, a total. */
export function reportAsCsv(report: Report): string {
  const cell = (value: string | number | null) => {
    if (value === null) return '';
    // A name a spreadsheet would run as a formula is shown as text.
    const text = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const line = (cells: (string | number | null)[]) => cells.map(cell).join(',');
  return [
    line(['key', 'label', ...report.columns]),
    ...report.rows.map((row) => line([row.key, row.label, ...report.columns.map((c) => row.values[c] ?? null)])),
    line(['total', '', ...report.columns.map((c) => report.total[c] ?? null)]),
  ]
    .map((l) => `${l}\r\n`)
    .join('');
}
