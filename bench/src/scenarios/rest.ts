import autocannon from 'autocannon';
import { sampleUsage } from '../measure/usage';
import type { Figure, Scenario } from './common';

/** Ticket search and message history under concurrent load (autocannon). */
export const restScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.rest;
  const figures: Figure[] = [];
  for (const target of await ctx.sut.restTargets()) {
    const load = (duration: number) =>
      autocannon({ url: target.url, headers: target.headers, connections: s.connections, duration });
    await load(1); // warm-up
    const usage = sampleUsage(ctx.sut.nodes.map((n) => n.pid));
    const result = await load(s.durationSec);
    const { cpuPercent, rssMiB } = await usage.stop();
    figures.push({
      scenario: 'rest',
      phase: target.name,
      system: ctx.sut.system,
      db: ctx.sut.db,
      nodes: ctx.sut.nodes.length,
      clients: s.connections,
      requestsPerSec: Math.round(result.requests.average),
      latency: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      cpuPercent: Math.round(cpuPercent),
      rssMiB: Math.round(rssMiB),
      errors: result.errors + result.timeouts + result.non2xx,
    });
  }
  return figures;
};
