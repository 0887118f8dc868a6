import type { Dialect } from '../../apps/server/src/db/database-url';
import { WorkerPool } from './load/worker-pool';
import { burstReconnectScenario } from './scenarios/burst-reconnect';
import { coldScenario } from './scenarios/cold';
import type { Figure, Scenario } from './scenarios/common';
import { dmScenario } from './scenarios/dm';
import { idleScenario } from './scenarios/idle';
import { reportsScenario } from './scenarios/reports';
import { restScenario } from './scenarios/rest';
import { roomScenario } from './scenarios/room';
import { searchScenario } from './scenarios/search';
import type { Sizes } from './scenarios/sizes';
import { townScenario } from './scenarios/town';
import { townRampScenario } from './scenarios/town-ramp';
import { START, type SystemName } from './systems/system';

interface ScenarioDefinition {
  run: Scenario;
  nodes: number;
  /** Needs Redis and a database several processes share (so not SQLite). */
  cluster?: boolean;
  /** Measures something only Parley has (reports): no baselines. */
  parleyOnly?: boolean;
  /** Too long for `npm run bench`'s 10 minutes: runs only when named with --scenario. */
  optIn?: boolean;
}

export const SCENARIOS = {
  room: { run: roomScenario('room'), nodes: 1 },
  dm: { run: dmScenario, nodes: 1 },
  idle: { run: idleScenario, nodes: 1 },
  'burst-reconnect': { run: burstReconnectScenario, nodes: 1 },
  cluster: { run: roomScenario('cluster'), nodes: 2, cluster: true },
  rest: { run: restScenario, nodes: 1 },
  cold: { run: coldScenario, nodes: 1 },
  reports: { run: reportsScenario, nodes: 1, parleyOnly: true },
  search: { run: searchScenario, nodes: 1, parleyOnly: true },
  town: { run: townScenario, nodes: 1, parleyOnly: true, optIn: true },
  'town-ramp': { run: townRampScenario, nodes: 1, parleyOnly: true, optIn: true },
} satisfies Record<string, ScenarioDefinition>;

export type ScenarioName = keyof typeof SCENARIOS;

/** What `npm run bench` runs when no --scenario is named. */
export const DEFAULT_SCENARIOS = (Object.keys(SCENARIOS) as ScenarioName[]).filter(
  (name) => !(SCENARIOS[name] as ScenarioDefinition).optIn,
);

export interface RunOptions {
  scenarios: ScenarioName[];
  dbs: Dialect[];
  systems: SystemName[];
  sizes: Sizes;
  workers: number;
  redisUrl?: string;
  logDir: string;
  profileDir?: string;
  log(line: string): void;
}

export interface RunOutcome {
  figures: Figure[];
  /** Runs that failed, with why; the others still ran. */
  failures: string[];
  seconds: number;
}

/** The (system, database) pairs a scenario runs on: the ceiling once, Parley and the peer per database. */
function plan(definition: ScenarioDefinition, opts: RunOptions): Array<{ system: SystemName; db: Dialect | null }> {
  const dbs = definition.cluster ? (opts.redisUrl ? opts.dbs.filter((d) => d !== 'sqlite') : []) : opts.dbs;
  if (dbs.length === 0) return [];
  if (definition.parleyOnly)
    return opts.systems.includes('parley') ? dbs.map((db) => ({ system: 'parley' as const, db })) : [];
  return [
    ...(opts.systems.includes('ceiling') ? [{ system: 'ceiling' as const, db: null }] : []),
    ...dbs.flatMap((db) =>
      (['parley', 'peer'] as const).filter((s) => opts.systems.includes(s)).map((system) => ({ system, db })),
    ),
  ];
}

export async function runBench(opts: RunOptions): Promise<RunOutcome> {
  const started = performance.now();
  const figures: Figure[] = [];
  const failures: string[] = [];
  for (const name of opts.scenarios) {
    const definition: ScenarioDefinition = SCENARIOS[name];
    const runs = plan(definition, opts);
    if (runs.length === 0) opts.log(`${name}: skipped (needs Redis and MariaDB or PostgreSQL)`);
    if (definition.parleyOnly && opts.systems.some((s) => s !== 'parley'))
      opts.log(`${name}: Parley only (the baselines have none of what it measures); ceiling and peer skipped`);
    for (const { system, db } of runs) {
      const label = `${name} · ${system}${db ? ` on ${db}` : ''}`;
      const runStarted = performance.now();
      const sut = await START[system]({
        db,
        nodes: definition.nodes,
        ...(definition.cluster && { redisUrl: opts.redisUrl }),
        logDir: opts.logDir,
        ...(opts.profileDir && { profileDir: opts.profileDir }),
      });
      const pool = new WorkerPool(opts.workers);
      try {
        const measured = await definition.run({ sut, pool, sizes: opts.sizes });
        figures.push(...measured);
        opts.log(
          `${label}: ${measured.map(summary).join(measured.length > 4 ? '\n  ' : ' | ')} (${seconds(runStarted)} s)`,
        );
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message}`);
        opts.log(`${label}: FAILED ${(error as Error).message}`);
      } finally {
        await pool.close();
        await sut.stop();
      }
    }
  }
  return { figures, failures, seconds: seconds(started) };
}

const seconds = (since: number) => Math.round((performance.now() - since) / 100) / 10;

function summary(f: Figure): string {
  const parts = [f.phase];
  if (f.deliveredPerSec !== undefined) parts.push(`${f.deliveredPerSec} delivered/s`);
  if (f.requestsPerSec !== undefined) parts.push(`${f.requestsPerSec} req/s`);
  if (f.deliver) parts.push(`p99 ${f.deliver.p99} ms`);
  if (f.latency) parts.push(`p50 ${f.latency.p50} ms, p90 ${f.latency.p90} ms`);
  if (f.extra) parts.push(...Object.entries(f.extra).map(([k, v]) => `${k} ${v}`));
  if (f.lost || f.duplicated) parts.push(`LOST ${f.lost} DUP ${f.duplicated}`);
  return parts.join(', ');
}
