import type { SearchResults } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

/**
 * SQLite's full-text index writes a segment per commit; merging them is the `search.merge` job's
 * work, not the send's. (PostgreSQL and MariaDB maintain their indexes themselves.)
 */
describe.skipIf(TEST_DIALECT !== 'sqlite')('the search index between sends, on sqlite', () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const indexPages = async () =>
    Number((await sql<{ n: number }>`SELECT count(*) AS n FROM messages_fts_data`.execute(t.database.db)).rows[0]!.n);

  it('sends add segments without merging them; the job merges them, and every message is still found', async () => {
    const ticket = await openTicket(t, desk.carla, { subject: 'Segments', description: 'Many commits' });
    for (let i = 0; i < 40; i++) {
      const sent = await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: newId(),
        body: `quokka report ${i}`,
      });
      expect(sent.statusCode, sent.body).toBe(201);
    }
    const unmerged = await indexPages();

    // Nothing merged them meanwhile; the job, due every 2 s, does.
    expect(await indexPages()).toBe(unmerged);
    clock.advance(2_000);
    await t.app.jobs.runDueJobs();
    const merged = await indexPages();
    expect(merged).toBeLessThan(unmerged);

    const found = (await as(t, desk.carla).get('/search?q=quokka&kind=messages&limit=50')).json<SearchResults>();
    expect(found.messages!.items).toHaveLength(40);
  });
});
