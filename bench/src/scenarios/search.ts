import { makeVocabulary } from '../systems/vocabulary';
import type { Figure, Scenario } from './common';

/** What the issue asks of a two-word search: p99 under this many ms (MariaDB: twice it). */
export const SEARCH_BUDGET_MS = 50;

/**
 * `GET /search` (every kind at once, as the app asks) over the reports desk: `sizes.search.tickets`
 * tickets of Zipf-distributed text with `messagesPerTicket` messages each. Each phase is
 * `samples` sequential requests, each a different query, after one cold request:
 * - two words of middling rank (100–1,000 of 5,000), which match a few dozen messages;
 * - two common words (ranks 5–50), which match thousands, all ranked;
 * - a word and the first three letters of another, as typed;
 * by an admin (every ticket) and by an agent who sees only the tickets assigned to them (the
 * permission filter narrows what the engine matched).
 */
export const searchScenario: Scenario = async (ctx) => {
  const s = ctx.sizes.search;
  if (!ctx.sut.reportDesk) return [];
  const seeded = performance.now();
  const { baseUrl, headers, agentHeaders } = await ctx.sut.reportDesk(s.tickets, s.messagesPerTicket);
  const seedSeconds = Math.round((performance.now() - seeded) / 100) / 10;
  const { words } = makeVocabulary(() => 0);
  let seed = 7;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  const ranked = (from: number, to: number) => words[from + Math.floor(random() * (to - from))]!;
  const phases = [
    { name: 'two words', query: () => `${ranked(100, 1000)} ${ranked(100, 1000)} ` },
    { name: 'two common words', query: () => `${ranked(5, 50)} ${ranked(5, 50)} ` },
    { name: 'typing', query: () => `${ranked(100, 1000)} ${ranked(100, 1000).slice(0, 3)}` },
  ];
  const figures: Figure[] = [];
  for (const [who, asked] of [
    ['admin', headers],
    ['agent', agentHeaders],
  ] as const) {
    for (const phase of phases) {
      let matched = 0;
      const ask = async () => {
        const started = performance.now();
        const answer = await fetch(`${baseUrl}/search?q=${encodeURIComponent(phase.query())}`, { headers: asked });
        const body = await answer.text();
        if (!answer.ok) throw new Error(`search ${phase.name}: ${answer.status} ${body.slice(0, 200)}`);
        const results = JSON.parse(body) as { messages: { items: unknown[] } };
        matched += results.messages.items.length;
        return performance.now() - started;
      };
      const cold = await ask();
      const times: number[] = [];
      for (let i = 0; i < s.samples; i++) times.push(await ask());
      times.sort((a, b) => a - b);
      const at = (p: number) =>
        Math.round(times[Math.min(times.length - 1, Math.ceil(p * times.length) - 1)]! * 10) / 10;
      figures.push({
        scenario: 'search',
        phase: `${phase.name}, as ${who}`,
        system: ctx.sut.system,
        db: ctx.sut.db,
        nodes: 1,
        clients: 1,
        latency: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) },
        errors: 0,
        extra: {
          tickets: s.tickets,
          messages: s.tickets * s.messagesPerTicket,
          seedSeconds,
          coldMs: Math.round(cold * 10) / 10,
          // How many of a first page's 20 message hits came back, on average: 20 means full pages.
          messageHitsPerQuery: Math.round((matched / (s.samples + 1)) * 10) / 10,
        },
      });
    }
  }
  return figures;
};
