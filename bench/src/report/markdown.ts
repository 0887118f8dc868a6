import type { RunOutcome } from '../run';
import type { Figure } from '../scenarios/common';
import type { Machine } from './machine';

interface Metric {
  name: string;
  get(f: Figure): number | undefined;
}

/** What each scenario is judged by, in the order the tables show it. */
const METRICS: Record<string, Metric[]> = {
  messages: [
    { name: 'delivered msg/s', get: (f) => f.deliveredPerSec },
    { name: 'acked sends/s', get: (f) => f.ackedPerSec },
    { name: 'send→ack p50 / p99 ms', get: (f) => f.ack?.p50 },
    { name: 'send→deliver p50 ms', get: (f) => f.deliver?.p50 },
    { name: 'send→deliver p99 ms', get: (f) => f.deliver?.p99 },
    { name: 'send→deliver max ms', get: (f) => f.deliver?.max },
    { name: 'server CPU %', get: (f) => f.cpuPercent },
    { name: 'server CPU µs per message', get: (f) => f.cpuUsPerMessage },
    { name: 'server RSS MiB', get: (f) => f.rssMiB },
  ],
  idle: [
    { name: 'KiB per connection', get: (f) => f.extra?.kibPerConnection },
    { name: 'connects/s', get: (f) => f.extra?.connectsPerSec },
    { name: 'server RSS MiB', get: (f) => f.rssMiB },
  ],
  'burst-reconnect': [
    { name: 'all resumed after (s)', get: (f) => f.extra?.resumeSeconds },
    { name: 'delivered msg/s', get: (f) => f.deliveredPerSec },
    { name: 'send→deliver p99 ms', get: (f) => f.deliver?.p99 },
  ],
  // A restart under room's fixed rate: the first seconds against those after (target p99 ≤ 2×).
  cold: [
    { name: 'up after (s)', get: (f) => f.extra?.upSeconds },
    { name: 'all reconnected after (s)', get: (f) => f.extra?.reconnectSeconds },
    { name: 'delivered msg/s', get: (f) => f.deliveredPerSec },
    { name: 'send→deliver p50 ms', get: (f) => f.deliver?.p50 },
    { name: 'send→deliver p99 ms', get: (f) => f.deliver?.p99 },
    { name: 'send→deliver max ms', get: (f) => f.deliver?.max },
    { name: "p99 ÷ the after phase's", get: (f) => f.extra?.p99VsAfter },
    { name: 'server CPU µs per message', get: (f) => f.cpuUsPerMessage },
    { name: 'server RSS MiB', get: (f) => f.rssMiB },
  ],
  rest: [
    { name: 'requests/s', get: (f) => f.requestsPerSec },
    { name: 'latency p50 ms', get: (f) => f.latency?.p50 },
    { name: 'latency p99 ms', get: (f) => f.latency?.p99 },
    { name: 'server CPU %', get: (f) => f.cpuPercent },
  ],
  // Parley only (no baselines): each report must answer within 300 ms.
  reports: [
    { name: 'latency p50 ms', get: (f) => f.latency?.p50 },
    { name: 'latency p90 ms', get: (f) => f.latency?.p90 },
    { name: 'latency max ms', get: (f) => f.latency?.max },
    { name: 'cold ms', get: (f) => f.extra?.coldMs },
  ],
  // Parley only: a two-word search must answer with p99 under 50 ms (MariaDB 100 ms).
  search: [
    { name: 'latency p50 ms', get: (f) => f.latency?.p50 },
    { name: 'latency p90 ms', get: (f) => f.latency?.p90 },
    { name: 'latency p99 ms', get: (f) => f.latency?.p99 },
    { name: 'cold ms', get: (f) => f.extra?.coldMs },
    { name: 'message hits per query', get: (f) => f.extra?.messageHitsPerQuery },
    { name: 'queries', get: (f) => f.extra?.queries },
  ],
};

/** A column of a table with a row per figure (Parley-only scenarios with many measures a phase). */
interface Column {
  name: string;
  cell(f: Figure): string;
}

/** `town` and each step of `town-ramp`: targets p99 < 50 ms, nothing lost, RSS < 1.5 GiB at 10,000 users. */
const TOWN_COLUMNS: Column[] = [
  { name: 'db', cell: (f) => f.db ?? '—' },
  { name: 'users', cell: (f) => num(f.extra?.users) },
  { name: 'msg/s in', cell: (f) => num(f.ackedPerSec) },
  { name: 'delivered/s', cell: (f) => num(f.deliveredPerSec) },
  {
    name: 'send→deliver p50 / p99 ms',
    cell: (f) => (f.deliver ? `${num(f.deliver.p50)} / ${num(f.deliver.p99)}` : '—'),
  },
  { name: 'lost', cell: (f) => num(f.lost) },
  { name: 'dup', cell: (f) => num(f.duplicated) },
  { name: 'errors', cell: (f) => num(f.errors) },
  { name: 'server RSS MiB', cell: (f) => num(f.rssMiB) },
  { name: 'server CPU µs/msg', cell: (f) => num(f.cpuUsPerMessage) },
  {
    name: 'typing / read / presence frames',
    cell: (f) => [f.extra?.typingFrames, f.extra?.readFrames, f.extra?.presenceFrames].map(num).join(' / '),
  },
  { name: 'connect s', cell: (f) => num(f.extra?.connectSeconds) },
];

const ROW_PER_FIGURE: Record<string, Column[]> = { town: TOWN_COLUMNS, 'town-ramp': TOWN_COLUMNS };

/** One row per phase; `town-ramp`'s verdict (a figure with `maxUsers`) as a sentence under it. */
function rowPerFigure(columns: Column[], figures: Figure[]): string[] {
  // The first column (the database) is text, the rest numbers.
  const lines = [`| ${columns.map((c) => c.name).join(' | ')} |`, `|---|${'--:|'.repeat(columns.length - 1)}`];
  for (const f of figures.filter((f) => f.extra?.users !== undefined))
    lines.push(`| ${columns.map((c) => c.cell(f)).join(' | ')} |`);
  for (const f of figures.filter((f) => f.extra?.maxUsers !== undefined)) {
    const capped = f.extra!.capped ? ' (every step held: that is as many as were tried)' : '';
    lines.push(
      '',
      `On ${f.db}: **${num(f.extra!.maxUsers)} users** with send→deliver p99 under ${f.extra!.p99BudgetMs} ms${capped}.`,
    );
  }
  return lines;
}

// The ack row shows p50 / p99 together; the others are single numbers.
const ackCell = (f: Figure | undefined) => (f?.ack ? `${num(f.ack.p50)} / ${num(f.ack.p99)}` : '—');

const metricsOf = (scenario: string) => METRICS[scenario] ?? METRICS.messages!;

function num(n: number | undefined): string {
  if (n === undefined) return '—';
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  return String(Math.round(n * 100) / 100);
}

const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || !b ? '—' : `${num(a / b)}×`);

const key = (f: Figure) => `${f.scenario}|${f.phase}`;

/** The report: one table per scenario, a row per figure and database, ratios to both baselines. */
export function markdownReport(opts: {
  date: string;
  command: string;
  machine: Machine;
  outcome: RunOutcome;
  chart?: string;
}): string {
  const { figures } = opts.outcome;
  const { machine } = opts;
  const lines = [
    `Measured ${opts.date} with \`${opts.command}\` (${opts.outcome.seconds} s in all) on ${machine.cores} × ${machine.cpu},`,
    `${machine.memoryGiB} GiB, ${machine.os}, Node ${machine.node}; ${Object.entries(machine.databases)
      .map(([d, v]) => `${d} ${v}`)
      .join(', ')}. Server, load generator and databases share the machine.`,
    '',
    '**Parley / ceiling** compares with a bare `ws` broadcast server (no auth, no database);',
    '**Parley / peer** with Socket.IO storing each message in the same database before emitting it.',
    'Above 1× is more for Parley: better for rates, worse for latencies and memory.',
    '',
  ];
  const scenarios = [...new Set(figures.map((f) => f.scenario))];
  for (const scenario of scenarios) {
    lines.push(`### ${scenario}`, '');
    const columns = ROW_PER_FIGURE[scenario];
    if (columns) {
      lines.push(
        ...rowPerFigure(
          columns,
          figures.filter((f) => f.scenario === scenario && f.system === 'parley'),
        ),
        '',
      );
      continue;
    }
    lines.push('| phase | db | figure | Parley | ceiling | peer | Parley / ceiling | Parley / peer |');
    lines.push('|---|---|---|--:|--:|--:|--:|--:|');
    const parley = figures.filter((f) => f.scenario === scenario && f.system === 'parley');
    for (const p of parley) {
      const ceiling = figures.find((f) => f.system === 'ceiling' && key(f) === key(p));
      const peer = figures.find((f) => f.system === 'peer' && key(f) === key(p) && f.db === p.db);
      for (const metric of metricsOf(scenario)) {
        const [a, c, s] = [p, ceiling, peer].map((f) => (f ? metric.get(f) : undefined));
        if (a === undefined && c === undefined && s === undefined) continue;
        const cells = metric.name.startsWith('send→ack')
          ? [
              ackCell(p),
              ackCell(ceiling),
              ackCell(peer),
              ratio(p.ack?.p99, ceiling?.ack?.p99),
              ratio(p.ack?.p99, peer?.ack?.p99),
            ]
          : [num(a), num(c), num(s), ratio(a, c), ratio(a, s)];
        lines.push(`| ${p.phase} | ${p.db} | ${metric.name} | ${cells.join(' | ')} |`);
      }
    }
    lines.push('');
  }
  lines.push('### Nothing lost', '');
  lines.push(
    'Every message carries its sender and number; each receiver checks them. Lost = acked but not received by a member of its room.',
    '',
  );
  lines.push('| scenario | phase | system | db | lost | duplicated | errors |');
  lines.push('|---|---|---|---|--:|--:|--:|');
  for (const f of figures.filter((f) => f.lost !== undefined)) {
    lines.push(
      `| ${f.scenario} | ${f.phase} | ${f.system} | ${f.db ?? '—'} | ${f.lost} | ${f.duplicated} | ${f.errors} |`,
    );
  }
  if (opts.chart) {
    lines.push('', `![Send→deliver latency by percentile, room scenario at a fixed rate](${opts.chart})`);
  }
  if (opts.outcome.failures.length) lines.push('', '**Failed runs:**', ...opts.outcome.failures.map((f) => `- ${f}`));
  return `${lines.join('\n')}\n`;
}
