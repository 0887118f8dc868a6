import type { AssignmentMode, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { createMigratedTestDatabase } from '../testing/database-template';
import { TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { as, createTeam, openTicket } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/**
 * Two nodes on one database and one Redis, each with its own job runner polling the one queue:
 * tickets opened on both at once are given out as if by one assigner (the team's row lock
 * serialises them; the round-robin turn and the loads are read under it).
 */
describe.skipIf(TEST_DIALECT === 'sqlite' || !REDIS_URL)(
  `auto-assignment on two nodes, ${TEST_DIALECT} + Redis`,
  () => {
    let testDb: TestDatabase;
    let nodes: TestApp[];
    const sockets: TestSocket[] = [];
    let customers: Session[];
    let admin: Session;
    let bases: string[];

    beforeAll(async () => {
      testDb = await createMigratedTestDatabase();
      const env = { REDIS_URL: REDIS_URL!, JOB_POLL_INTERVAL_MS: '50', ACCESS_TOKEN_TTL_SECONDS: '3600' };
      const first = await startTestApp({ database: testDb, env });
      nodes = [first, await startTestApp({ database: testDb, env })];
      admin = await signUp(first, 'admin');
      customers = [await signUp(first, 'customer'), await signUp(first, 'customer')];
      bases = await Promise.all(nodes.map((node) => listen(node)));
    }, 60_000);
    afterAll(async () => {
      for (const socket of sockets) await socket.close();
      for (const node of nodes ?? []) await node.close();
      await testDb?.drop();
    });

    /** A team of `size` agents, half online on each node, in `mode`. */
    const team = async (mode: AssignmentMode, size: number, capacity: number | null) => {
      const agents: Session[] = [];
      for (let i = 0; i < size; i += 1) agents.push(await signUp(nodes[0]!, 'agent'));
      const id = await createTeam(nodes[0]!, `Team ${mode}`, agents, { category: `About ${mode}` });
      for (const [i, agent] of agents.entries()) sockets.push(await readySocket(bases[i % 2]!, agent));
      const set = await as(nodes[1]!, admin).patch(`/teams/${id}`, { assignment: { mode, capacity } });
      expect(set.statusCode, set.body).toBe(200);
      return { id, agents };
    };

    /**
     * `n` tickets opened at once, alternately on each node by each customer, while both nodes'
     * runners assign. At most 16 requests are in flight per node: more only queue for its pool
     * of 4 connections (and, on a busy machine, time out with 503 before the race even starts).
     */
    const openAtOnce = async (teamId: string, n: number) => {
      const opened: Ticket[] = [];
      let next = 0;
      const worker = async (node: number) => {
        while (next < n) {
          const i = next++;
          opened[i] = await openTicket(nodes[node]!, customers[node]!, { teamId, subject: `No. ${i}` });
        }
      };
      await Promise.all(Array.from({ length: 32 }, (_, k) => worker(k % 2)));
      return opened;
    };

    const countsOf = async (tickets: Ticket[]) => {
      const rows = await nodes[0]!.database.db
        .selectFrom('tickets')
        .select(['id', 'assigneeId'])
        .where('workspaceId', '=', admin.user.workspace.id)
        .where(
          'id',
          'in',
          tickets.map((x) => x.id),
        )
        .execute();
      const counts = new Map<string | null, number>();
      for (const row of rows) counts.set(row.assigneeId, (counts.get(row.assigneeId) ?? 0) + 1);
      return counts;
    };

    it('gives 200 tickets opened at once over both nodes round-robin: max - min <= 1', async () => {
      const { id, agents } = await team('round_robin', 4, null);
      const tickets = await openAtOnce(id, 200);
      await vi.waitFor(async () => expect((await countsOf(tickets)).get(null) ?? 0).toBe(0), {
        timeout: 60_000,
        interval: 250,
      });
      const counts = await countsOf(tickets);
      const perAgent = agents.map((a) => counts.get(a.user.id) ?? 0);
      expect(perAgent.reduce((a, b) => a + b)).toBe(200);
      expect(Math.max(...perAgent) - Math.min(...perAgent)).toBeLessThanOrEqual(1);
    }, 90_000);

    it('never puts an agent over capacity, least-loaded, with tickets opened at once over both nodes', async () => {
      const { id, agents } = await team('least_loaded', 3, 30);
      const tickets = await openAtOnce(id, 100);
      await vi.waitFor(
        async () => {
          const counts = await countsOf(tickets);
          expect(agents.map((a) => counts.get(a.user.id) ?? 0)).toEqual([30, 30, 30]);
        },
        { timeout: 60_000, interval: 250 },
      );
      // The rest wait for room: nobody got a 31st, whatever the jobs still do.
      for (const node of nodes) await node.app.jobs.runDueJobs();
      const counts = await countsOf(tickets);
      expect(agents.map((a) => counts.get(a.user.id) ?? 0)).toEqual([30, 30, 30]);
      expect(counts.get(null)).toBe(10);
    }, 90_000);
  },
);
