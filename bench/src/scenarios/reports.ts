import { REPORT_COLUMNS, type ReportName } from '@parley/protocol';
import { latencyPercentiles, type Figure, type Scenario } from './common';

const GROUPINGS = ['day', 'team', 'agent', 'priority', 'label'] as const;
/** What the issue asks of every report: an answer within this many milliseconds. */
export const REPORT_BUDGET_MS = 300;

/** `YYYY-MM-DD` (UTC) `back` days before now. */
const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);

/**
 * Every report of the analytics dashboard, by each grouping, over the last 365 days (so every
 * seeded ticket) and the last 30, in Berlin time, against a desk of `sizes.reports.tickets`
 * tickets with `messagesPerTicket` messages each, seeded in bulk. Each figure is one report and
 * grouping: the latency of the REST request, `samples` sequential ones after a first (cold) one
 * whose time is `extra.coldMs`; `extra.overBudget` is 1 when the warm p90 is over 300 ms.
 */
export const reportsScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.reports;
  if (!ctx.sut.reportDesk) return [];
  const seeded = performance.now();
  const { baseUrl, headers } = await ctx.sut.reportDesk(s.tickets, s.messagesPerTicket);
  const seedSeconds = Math.round((performance.now() - seeded) / 100) / 10;
  const figures: Figure[] = [];
  for (const [range, from] of [
    ['365 days', day(364)],
    ['30 days', day(29)],
  ] as const) {
    for (const report of Object.keys(REPORT_COLUMNS) as ReportName[]) {
      for (const groupBy of GROUPINGS) {
        const url = `${baseUrl}/reports/${report}?from=${from}&to=${day(0)}&timeZone=Europe/Berlin&groupBy=${groupBy}`;
        const ask = async () => {
          const started = performance.now();
          const answer = await fetch(url, { headers });
          const body = await answer.text();
          if (!answer.ok) throw new Error(`${report} by ${groupBy}: ${answer.status} ${body.slice(0, 200)}`);
          return performance.now() - started;
        };
        const cold = await ask(); // the first request for this report and grouping
        const times: number[] = [];
        for (let i = 0; i < s.samples; i++) times.push(await ask());
        const latency = latencyPercentiles(times);
        figures.push({
          scenario: 'reports',
          phase: `${report} by ${groupBy}, ${range}`,
          system: ctx.sut.system,
          db: ctx.sut.db,
          nodes: 1,
          clients: 1,
          latency,
          errors: 0,
          extra: {
            tickets: s.tickets,
            seedSeconds,
            coldMs: Math.round(cold * 10) / 10,
            overBudget: latency.p90 > REPORT_BUDGET_MS ? 1 : 0,
          },
        });
      }
    }
  }
  return figures;
};
