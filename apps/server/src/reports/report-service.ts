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
import { percentile } from './percentiles';
import { dayIndexOf, daysOf, type ReportDays } from './report-periods';
import {
  namesOf,
  surveysAnsweredBetween,
  ticketsClosedBetween,
  ticketsCreatedBetween,
  ticketsOpenDuring,
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

/** Where a row lands: the index of its day, or its group's key; undefined: outside the range. */
type Place = (time: number, groupKey: string | null) => string | undefined;

/**
 * Folds rows into one accumulator per group (and one for the whole range), then turns each into
 * the report's values. Generic over what a report accumulates.
 */
function fold<Row, Acc>(
  rows: readonly Row[],
  placeOf: (row: Row) => string | undefined,
  empty: () => Acc,
  add: (acc: Acc, row: Row) => void,
): { groups: Map<string, Acc>; total: Acc } {
  const groups = new Map<string, Acc>();
  const total = empty();
  for (const row of rows) {
    const place = placeOf(row);
    if (place === undefined) continue;
    let acc = groups.get(place);
    if (!acc) groups.set(place, (acc = empty()));
    add(acc, row);
    add(total, row);
  }
  return { groups, total };
}

const round = (n: number | null, digits = 2) => (n === null ? null : Number(n.toFixed(digits)));
const share = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));

/** Durations (ms) -> count, median and p90 in minutes. */
function durationValues(durations: number[]): Values {
  const sorted = durations.sort((a, b) => a - b);
  const minutes = (p: number) => {
    const value = percentile(sorted, p);
    return value === null ? null : round(value / MINUTE);
  };
  return { count: sorted.length, medianMinutes: minutes(0.5), p90Minutes: minutes(0.9) };
}

interface SlaAcc {
  firstResponseMet: number;
  firstResponseTargets: number;
  resolutionMet: number;
  resolutionTargets: number;
}

const slaValues = (a: SlaAcc): Values => ({
  ...a,
  attainment: share(a.firstResponseMet + a.resolutionMet, a.firstResponseTargets + a.resolutionTargets),
});

interface CsatAcc {
  count: number;
  sum: number;
  satisfied: number;
}

const csatValues = (a: CsatAcc): Values => ({
  count: a.count,
  average: a.count === 0 ? null : round(a.sum / a.count),
  satisfiedShare: share(a.satisfied, a.count),
});

interface Computed {
  groups: Map<string, Values>;
  total: Values;
}

const mapValues = <A>(folded: { groups: Map<string, A>; total: A }, values: (a: A) => Values): Computed => ({
  groups: new Map([...folded.groups].map(([k, a]) => [k, values(a)])),
  total: values(folded.total),
});

async function compute(deps: ServiceDeps, actor: Actor, name: ReportName, days: ReportDays, by: ReportGrouping) {
  const grouping = by === 'day' ? null : by;
  const place: Place = (time, groupKey) => {
    if (grouping !== null) return groupKey ?? NONE;
    const index = dayIndexOf(days, time);
    return index < 0 ? undefined : String(index);
  };
  const { start, end } = days;
  switch (name) {
    case 'first-response-time': {
      const rows = (await ticketsCreatedBetween(deps.db, actor, start, end, grouping)).filter(
        (r) => r.respondedAt !== null,
      );
      const folded = fold(
        rows,
        (r) => place(r.createdAt, r.groupKey),
        () => [] as number[],
        (acc, r) => acc.push(r.respondedAt! - r.createdAt),
      );
      return mapValues(folded, durationValues);
    }
    case 'resolution-time': {
      const rows = await ticketsClosedBetween(deps.db, actor, start, end, grouping);
      const folded = fold(
        rows,
        (r) => place(r.closedAt, r.groupKey),
        () => [] as number[],
        (acc, r) => acc.push(r.closedAt - r.createdAt),
      );
      return mapValues(folded, durationValues);
    }
    case 'volume': {
      const [created, closed] = await Promise.all([
        ticketsCreatedBetween(deps.db, actor, start, end, grouping),
        ticketsClosedBetween(deps.db, actor, start, end, grouping),
      ]);
      const rows = [
        ...created.map((r) => ({ at: r.createdAt, groupKey: r.groupKey, field: 'created' as const })),
        ...closed.map((r) => ({ at: r.closedAt, groupKey: r.groupKey, field: 'closed' as const })),
      ];
      const folded = fold(
        rows,
        (r) => place(r.at, r.groupKey),
        () => ({ created: 0, closed: 0 }),
        (acc, r) => acc[r.field]++,
      );
      return mapValues(folded, (a) => ({ ...a }));
    }
    case 'backlog':
      return backlog(await ticketsOpenDuring(deps.db, actor, start, end, grouping), days, grouping);
    case 'sla': {
      const rows = await ticketsCreatedBetween(deps.db, actor, start, end, grouping);
      const folded = fold(
        rows.filter((r) => r.firstResponseDueAt !== null),
        (r) => place(r.createdAt, r.groupKey),
        (): SlaAcc => ({ firstResponseMet: 0, firstResponseTargets: 0, resolutionMet: 0, resolutionTargets: 0 }),
        (acc, r) => {
          // As the ticket shows it (sla-presenter.ts): a reply in time is met before any job ran.
          const late = r.firstResponseState === 'breached' || (r.respondedAt ?? -Infinity) > r.firstResponseDueAt!;
          if (late) acc.firstResponseTargets++;
          else if (r.respondedAt !== null || r.firstResponseState === 'met') {
            acc.firstResponseTargets++;
            acc.firstResponseMet++;
          }
          if (r.resolutionState === 'met' || r.resolutionState === 'breached') {
            acc.resolutionTargets++;
            if (r.resolutionState === 'met') acc.resolutionMet++;
          }
        },
      );
      return mapValues(folded, slaValues);
    }
    case 'csat': {
      const rows = await surveysAnsweredBetween(deps.db, actor, start, end, grouping);
      const folded = fold(
        rows,
        (r) => place(r.answeredAt, r.groupKey),
        (): CsatAcc => ({ count: 0, sum: 0, satisfied: 0 }),
        (acc, r) => {
          acc.count++;
          acc.sum += r.score;
          if (r.score >= 4) acc.satisfied++;
        },
      );
      return mapValues(folded, csatValues);
    }
  }
}

/**
 * Tickets not closed at the end of each day (by day), or at the end of the range (by group).
 * A ticket adds one to every day from the one it was opened on up to the day before it closed:
 * a difference array over the days, one pass over the rows.
 */
function backlog(
  rows: Awaited<ReturnType<typeof ticketsOpenDuring>>,
  days: ReportDays,
  grouping: string | null,
): Computed {
  const n = days.keys.length;
  const openAtEnd = (r: (typeof rows)[number]) =>
    r.createdAt < days.end && (r.closedAt === null || r.closedAt >= days.end);
  if (grouping !== null) {
    const groups = new Map<string, Values>();
    let total = 0;
    for (const r of rows) {
      if (!openAtEnd(r)) continue;
      const key = r.groupKey ?? NONE;
      groups.set(key, { open: ((groups.get(key)?.open as number | undefined) ?? 0) + 1 });
      total++;
    }
    return { groups, total: { open: total } };
  }
  const delta = new Array<number>(n + 1).fill(0);
  for (const r of rows) {
    // Open at the end of day i when opened before starts[i+1] and not closed before it.
    const first = r.createdAt < days.start ? 0 : dayIndexOf(days, r.createdAt);
    const last = r.closedAt === null || r.closedAt >= days.end ? n : dayIndexOf(days, r.closedAt);
    if (first < 0 || last <= first) continue;
    delta[first]!++;
    delta[last]!--;
  }
  const groups = new Map<string, Values>();
  let running = 0;
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
    if (name === 'sla')
      return slaValues({ firstResponseMet: 0, firstResponseTargets: 0, resolutionMet: 0, resolutionTargets: 0 });
    if (name === 'csat') return csatValues({ count: 0, sum: 0, satisfied: 0 });
    return durationValues([]);
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
