import type { Dialect } from '../../../apps/server/src/db/database-url';
import { decodeHistogram, newHistogram, type Histogram } from '../load/ledger';
import type { WorkerPool } from '../load/worker-pool';
import type { ClientSpec, ConnectResult, HabitFrames, SendResult, SenderSpec } from '../load/worker-protocol';
import { sampleUsage } from '../measure/usage';
import type { SystemName, SystemUnderTest } from '../systems/system';
import type { Sizes } from './sizes';

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** One measured line of the report. Latencies in ms. */
export interface Figure {
  scenario: string;
  phase: string;
  system: SystemName;
  db: Dialect | null;
  nodes: number;
  clients: number;
  deliveredPerSec?: number;
  ackedPerSec?: number;
  requestsPerSec?: number;
  ack?: Percentiles;
  deliver?: Percentiles;
  /** REST request latency. */
  latency?: Percentiles;
  cpuPercent?: number;
  /**
   * Server CPU time per message sent (its fan-out included). Unlike rates and latencies, which
   * swing wildly once a load sits near the server's capacity, this is the cost of the code.
   */
  cpuUsPerMessage?: number;
  rssMiB?: number;
  errors: number;
  lost?: number;
  duplicated?: number;
  /** Scenario-specific: connectSeconds, kibPerConnection, resumeSeconds, … */
  extra?: Record<string, number>;
  /** Send→deliver latency by percentile, for the chart: [percentile, ms]. */
  curve?: Array<[number, number]>;
}

export interface ScenarioContext {
  sut: SystemUnderTest;
  pool: WorkerPool;
  sizes: Sizes;
}

export type Scenario = (ctx: ScenarioContext) => Promise<Figure[]>;

/** A client to start, and what it sends (if anything). */
export interface PlannedClient extends Omit<ClientSpec, 'url'> {
  sends?: Omit<SenderSpec, 'client'>;
}

/** Spreads the clients over the workers (round-robin) and the server nodes (alternating). */
export async function connectAll(ctx: ScenarioContext, planned: PlannedClient[], concurrency = 200) {
  const nodes = ctx.sut.nodes;
  const specs = planned.map((p, i) => ({ ...p, url: nodes[i % nodes.length]!.url }));
  const results = await ctx.pool.all<ConnectResult>((w) => ({
    op: 'connect',
    driver: ctx.sut.driver,
    clients: ctx.pool.split(specs, w).map(({ sends: _sends, ...spec }) => spec),
    concurrency: Math.ceil(concurrency / ctx.pool.size),
  }));
  const failed = results.reduce((sum, r) => sum + r.failed, 0);
  if (failed > 0) throw new Error(`${failed} of ${planned.length} clients could not connect`);
  const senders = (w: number): SenderSpec[] =>
    ctx.pool
      .split(specs, w)
      .flatMap((spec, i) => (spec.sends ? [{ client: results[w]!.firstIndex + i, ...spec.sends }] : []));
  return { connectMs: Math.max(...results.map((r) => r.connectMs)), senders };
}

export interface SendOutcome {
  windowMs: number;
  delivered: number;
  acked: number;
  unacked: number;
  errors: number;
  errorSamples: string[];
  lost: number;
  duplicated: number;
  ack: Histogram;
  deliver: Histogram;
  cpuPercent: number;
  cpuMs: number;
  rssMiB: number;
  habitFrames: HabitFrames;
}

/** Every worker sends for `durationMs`, then waits until all is acked and delivered. */
export async function sendPhase(
  ctx: ScenarioContext,
  senders: (worker: number) => SenderSpec[],
  durationMs: number,
): Promise<SendOutcome> {
  const usage = sampleUsage(ctx.sut.nodes.map((n) => n.pid));
  const results = await ctx.pool.all<SendResult>((w) => ({
    op: 'send',
    senders: senders(w),
    durationMs,
    quietMs: 1000,
    settleTimeoutMs: 30_000,
  }));
  const { cpuPercent, cpuMs, rssMiB } = await usage.stop();
  const ack = newHistogram();
  const deliver = newHistogram();
  for (const r of results) {
    ack.add(decodeHistogram(r.ack));
    deliver.add(decodeHistogram(r.deliver));
  }
  const { lost, duplicated } = audit(results);
  const sum = (pick: (r: SendResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  return {
    windowMs: durationMs,
    delivered: sum((r) => r.deliveredInWindow),
    acked: sum((r) => r.ackedInWindow),
    unacked: sum((r) => r.unacked),
    errors: sum((r) => r.errors) + sum((r) => r.connectionsLost),
    errorSamples: results.flatMap((r) => r.errorSamples),
    lost,
    duplicated,
    ack,
    deliver,
    cpuPercent,
    cpuMs,
    rssMiB,
    habitFrames: {
      typing: sum((r) => r.habitFrames.typing),
      read: sum((r) => r.habitFrames.read),
      presence: sum((r) => r.habitFrames.presence),
    },
  };
}

/**
 * Lost: an acked message some member of its room never got. Duplicated: one a member got twice.
 * Ledgers are cumulative per worker, so this covers the run so far.
 */
export function audit(results: Pick<SendResult, 'ledger'>[]): { lost: number; duplicated: number } {
  const acked = new Map<string, Map<string, number>>();
  for (const r of results)
    for (const room of r.ledger) {
      const bySender = acked.get(room.room) ?? new Map<string, number>();
      for (const [sender, count] of Object.entries(room.acked))
        bySender.set(sender, (bySender.get(sender) ?? 0) + count);
      acked.set(room.room, bySender);
    }
  let lost = 0;
  let duplicated = 0;
  for (const r of results)
    for (const room of r.ledger)
      for (const receiver of room.receivers) {
        duplicated += receiver.duplicates;
        for (const [sender, count] of acked.get(room.room) ?? [])
          lost += Math.max(0, count - (receiver.counts[sender] ?? 0));
      }
  return { lost, duplicated };
}

const ms = (us: number) => Math.round(us) / 1000;

export function percentiles(h: Histogram): Percentiles | undefined {
  if (h.totalCount === 0) return undefined;
  return {
    p50: ms(h.getValueAtPercentile(50)),
    p90: ms(h.getValueAtPercentile(90)),
    p99: ms(h.getValueAtPercentile(99)),
    max: ms(h.maxValue),
  };
}

/** Percentiles on the log scale an HdrHistogram plot uses: 0, 50, 90, 99, 99.9 … */
export function curve(h: Histogram): Array<[number, number]> {
  if (h.totalCount === 0) return [];
  const points: Array<[number, number]> = [];
  for (let nines = 0; nines <= 4; nines += 0.125) {
    const percentile = 100 - 100 / 10 ** nines;
    points.push([percentile, ms(h.getValueAtPercentile(percentile))]);
  }
  return points;
}

/** The figure of one send phase. */
export function sendFigure(
  ctx: ScenarioContext,
  base: { scenario: string; phase: string; clients: number },
  outcome: SendOutcome,
): Figure {
  if (outcome.errorSamples.length) console.warn(`  ${ctx.sut.system}: ${outcome.errorSamples.join('; ')}`);
  const perSec = (n: number) => Math.round((n / outcome.windowMs) * 1000);
  return {
    ...base,
    system: ctx.sut.system,
    db: ctx.sut.db,
    nodes: ctx.sut.nodes.length,
    deliveredPerSec: perSec(outcome.delivered),
    ackedPerSec: perSec(outcome.acked),
    ack: percentiles(outcome.ack),
    deliver: percentiles(outcome.deliver),
    cpuPercent: Math.round(outcome.cpuPercent),
    ...(outcome.ack.totalCount > 0 && { cpuUsPerMessage: Math.round((outcome.cpuMs * 1000) / outcome.ack.totalCount) }),
    rssMiB: Math.round(outcome.rssMiB),
    errors: outcome.errors + outcome.unacked,
    lost: outcome.lost,
    duplicated: outcome.duplicated,
    curve: curve(outcome.deliver),
  };
}

/** Percentiles of request latencies taken one by one (ms, to 0.1), nearest rank. */
export function latencyPercentiles(times: readonly number[]): Percentiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]! * 10) / 10;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}
