/**
 * `npm run bench` — every scenario against every database that answers, with both baselines.
 *   npm run bench -- --scenario room,dm --db sqlite --workers 2
 *   npm run bench -- --smoke            (a few seconds; what CI runs)
 *   npm run bench -- --scenario room --db sqlite --profile   (V8 CPU profiles of the servers)
 *   npm run bench -- --scenario reports --db sqlite,postgres --tickets 10000   (a smaller desk;
 *     or BENCH_REPORT_TICKETS=10000; messages stay 10 per ticket)
 *   npm run bench -- --scenario town --db sqlite   (10,000 people on sockets for 2 minutes; Parley
 *     only, and only when named: 3–4 minutes a database)
 *   npm run bench -- --scenario town-ramp --db sqlite   (towns of 2,000 more until p99 > 100 ms)
 *   BENCH_SERVER_NODE_ARGS=--trace-gc npm run bench -- ...   (node flags for the Parley servers;
 *     their logs are kept only when a run fails: copy them from `<out>/.logs-*` meanwhile)
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { isAnswering, TEST_SERVICES } from '../../test/test-services';
import type { Dialect } from '../../apps/server/src/db/database-url';
import { describeMachine } from './report/machine';
import { writeReport } from './report/write-report';
import { DEFAULT_SCENARIOS, runBench, SCENARIOS, type ScenarioName } from './run';
import { DEFAULT_SIZES, SMOKE_SIZES, type Sizes } from './scenarios/sizes';
import type { SystemName } from './systems/system';

const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));
const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    db: { type: 'string' },
    systems: { type: 'string' },
    workers: { type: 'string', default: '1' },
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    tickets: { type: 'string', default: process.env.BENCH_REPORT_TICKETS },
    out: { type: 'string', default: path.join(BENCH_DIR, 'results') },
  },
});

const scenarios = (list(values.scenario) ?? DEFAULT_SCENARIOS) as ScenarioName[];
for (const s of scenarios)
  if (!(s in SCENARIOS)) fail(`unknown scenario "${s}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
const answering = {
  mysql: await isAnswering('mysql'),
  postgres: await isAnswering('postgres'),
  redis: await isAnswering('redis'),
};
const asked = list(values.db) as Dialect[] | undefined;
const dbs = (asked ?? (['sqlite', 'mysql', 'postgres'] as const)).filter((d) => d === 'sqlite' || answering[d]);
for (const d of asked ?? []) if (!dbs.includes(d)) fail(`${d} does not answer at ${TEST_SERVICES[d as 'mysql'].url}`);

fs.mkdirSync(values.out, { recursive: true });
const logDir = fs.mkdtempSync(path.join(values.out, '.logs-'));
const profileDir = values.profile ? path.join(values.out, 'profiles') : undefined;
const machine = await describeMachine(dbs);
console.log(`Parley bench on ${machine.summary}; databases: ${dbs.join(', ')}; scenarios: ${scenarios.join(', ')}`);

const outcome = await runBench({
  scenarios,
  dbs,
  systems: (list(values.systems) ?? ['parley', 'ceiling', 'peer']) as SystemName[],
  sizes: withTickets(values.smoke ? SMOKE_SIZES : DEFAULT_SIZES, values.tickets),
  workers: Number(values.workers),
  ...(answering.redis && { redisUrl: TEST_SERVICES.redis.url }),
  logDir,
  ...(profileDir && { profileDir }),
  log: (line) => console.log(line),
});

const complete =
  !values.smoke &&
  !values.tickets &&
  !values.scenario &&
  !values.db &&
  !values.systems &&
  outcome.failures.length === 0;
const written = await writeReport({
  outDir: values.out,
  machine,
  outcome,
  command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  updateDocs: complete,
});
console.log(`${outcome.seconds} s in all; wrote ${written.join(', ')}`);
if (outcome.failures.length === 0) fs.rmSync(logDir, { recursive: true, force: true });
else {
  console.error(`Failed runs (server logs kept in ${logDir}):\n  ${outcome.failures.join('\n  ')}`);
  process.exitCode = 1;
}

/** `--tickets N`: the reports and search scenarios' desk size. */
function withTickets(sizes: Sizes, tickets: string | undefined): Sizes {
  if (tickets === undefined) return sizes;
  const n = Number(tickets);
  if (!Number.isSafeInteger(n) || n < 1) fail(`--tickets wants a positive whole number, not "${tickets}"`);
  return { ...sizes, reports: { ...sizes.reports, tickets: n }, search: { ...sizes.search, tickets: n } };
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
