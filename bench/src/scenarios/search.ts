import { makeVocabulary } from '../systems/vocabulary';
import { latencyPercentiles, type Figure, type Scenario } from './common';

/** The longest a phase runs, whatever its `samples`. */
const PHASE_MS = 30_000;

/**
 * `GET /search` (every kind at once, as the app asks) over the reports desk: `sizes.search.tickets`
 * tickets of Zipf-distributed text with `messagesPerTicket` messages each. Each phase is
 * `samples` sequential requests (or as many as fit in 30 s), each a different query, after one
 * cold request:
 * - two words of one seeded message, as someone looks for what they remember (the words as
 *   they come, so common ones often: the headline figure);
 * - two words of middling rank (100–1,000 of 5,000), which seldom meet in one message;
 * - two common words (ranks 5–50), which match thousands, all ranked;
 * - a word and the first three letters of another, as typed;
 * by an admin (every ticket) and by the agent with the most tickets, who sees only those
 * assigned to them (a few percent of the desk: the permission filter narrows what the engine
 * matched).
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
  const pairs = await wordPairs(baseUrl, headers, random);
  let next = 0;
  const phases = [
    { name: 'two words of a message', query: () => `${pairs[next++ % pairs.length]} ` },
    { name: 'two rare words', query: () => `${ranked(100, 1000)} ${ranked(100, 1000)} ` },
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
      // At most PHASE_MS a phase: on MariaDB a query of common words takes seconds.
      const until = performance.now() + PHASE_MS;
      for (let i = 0; i < s.samples && performance.now() < until; i++) times.push(await ask());
      const latency = latencyPercentiles(times);
      figures.push({
        scenario: 'search',
        phase: `${phase.name}, as ${who}`,
        system: ctx.sut.system,
        db: ctx.sut.db,
        nodes: 1,
        clients: 1,
        latency,
        errors: 0,
        extra: {
          tickets: s.tickets,
          messages: s.tickets * s.messagesPerTicket,
          seedSeconds,
          coldMs: Math.round(cold * 10) / 10,
          // How many of a first page's 20 message hits came back, on average: 20 means full pages.
          messageHitsPerQuery: Math.round((matched / (times.length + 1)) * 10) / 10,
          queries: times.length,
        },
      });
    }
  }
  return figures;
};

/** Two different words from each of the messages of 40 tickets, read through the API. */
async function wordPairs(baseUrl: string, headers: Record<string, string>, random: () => number): Promise<string[]> {
  const read = async <T>(path: string) => (await (await fetch(`${baseUrl}${path}`, { headers })).json()) as T;
  const tickets = await read<{ items: Array<{ conversationId: string }> }>('/tickets?view=all&limit=40');
  const pairs: string[] = [];
  for (const { conversationId } of tickets.items) {
    const page = await read<{ items: Array<{ body: string }> }>(`/conversations/${conversationId}/messages?limit=10`);
    for (const { body } of page.items) {
      const words = [...new Set(body.split(' '))];
      if (words.length < 2) continue;
      const first = Math.floor(random() * words.length);
      const second = (first + 1 + Math.floor(random() * (words.length - 1))) % words.length;
      pairs.push(`${words[first]} ${words[second]}`);
    }
  }
  if (pairs.length === 0) throw new Error('search: no seeded messages to take words from');
  return pairs;
}
