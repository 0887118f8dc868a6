import type { Message, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app';
import type { ZodApp } from '../http/zod-app';
import { bearer, listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket } from '../testing/test-desk';
import { connectSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;
const METRICS_TOKEN = 'scrape-me-if-you-can-0123456789';

/** Scrapes like Prometheus does: over HTTP, as text. */
async function scrape(base: string, headers: Record<string, string> = {}): Promise<string> {
  const response = await fetch(`${base}/metrics`, { headers });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of the first sample of `name` whose labels include `labels`; undefined if none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const match = line.match(/^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/);
    if (match?.[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe(`metrics on ${TEST_DIALECT}`, () => {
  describe('served openly outside production, with no METRICS_TOKEN', () => {
    let t: TestApp;
    let base: string;
    let carla: Session;
    let ticket: Ticket;

    beforeAll(async () => {
      t = await startTestApp();
      base = await listen(t);
      carla = await signUp(t, 'customer');
      ticket = await openTicket(t, carla);
    });
    afterAll(() => t.close());

    it('times requests by route pattern, never by the raw URL', async () => {
      expect((await as(t, carla).get(`/tickets/${ticket.id}`)).statusCode).toBe(200);
      expect((await as(t, carla).get(`/tickets/${ticket.id}`)).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: `/no/such/page/${ticket.id}` })).statusCode).toBe(404);

      const text = await scrape(base);
      const route = { method: 'GET', route: '/tickets/:id', status_code: '200' };
      expect(sample(text, 'parley_http_request_duration_seconds_count', route)).toBe(2);
      expect(sample(text, 'parley_http_request_duration_seconds_bucket', { ...route, le: '+Inf' })).toBe(2);
      expect(sample(text, 'parley_http_request_duration_seconds_sum', route)).toBeGreaterThan(0);
      const unmatched = { method: 'GET', route: '(unmatched)', status_code: '404' };
      expect(sample(text, 'parley_http_request_duration_seconds_count', unmatched)).toBe(1);
      expect(text).not.toContain(ticket.id);
    });

    it('counts the sockets open now, and counts them down as they close', async () => {
      const before = sample(await scrape(base), 'parley_ws_open_sockets');
      expect(before).toBe(0);
      const signedIn = await connectSocket(base, carla.accessToken);
      await signedIn.next('ready');
      const anonymous = await connectSocket(base);
      expect(sample(await scrape(base), 'parley_ws_open_sockets')).toBe(2);

      await signedIn.close();
      await vi.waitFor(async () => expect(sample(await scrape(base), 'parley_ws_open_sockets')).toBe(1));
      await anonymous.close();
      await vi.waitFor(async () => expect(sample(await scrape(base), 'parley_ws_open_sockets')).toBe(0));
    });

    it('counts each message created exactly once, over the socket or REST, but not a retried send', async () => {
      const before = sample(await scrape(base), 'parley_messages_total')!;
      const socket = await connectSocket(base, carla.accessToken);
      await socket.next('ready');
      for (const clientMsgId of ['m1', 'm2', 'm3']) {
        socket.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId, body: 'hello' });
        await socket.next('ack', (ack) => ack.clientMsgId === clientMsgId);
      }
      await socket.close();
      const send = () =>
        as(t, carla).post(`/conversations/${ticket.conversationId}/messages`, { clientMsgId: 'r1', body: 'on it' });
      expect((await send()).statusCode).toBe(201);
      expect((await send()).statusCode).toBe(200); // the same clientMsgId: the original, not a new message

      const history = await as(t, carla).get(`/conversations/${ticket.conversationId}/messages`);
      const stored = history.json<{ items: Message[] }>().items.filter((m) => m.body === 'hello' || m.body === 'on it');
      expect(stored).toHaveLength(4);
      expect(sample(await scrape(base), 'parley_messages_total')).toBe(before + 4);
    });

    it("shows the database connection pool and Node's own process metrics", async () => {
      expect((await as(t, carla).get('/tickets')).statusCode).toBe(200);
      const text = await scrape(base);
      if (TEST_DIALECT === 'sqlite') {
        expect(sample(text, 'parley_db_pool_connections')).toBe(1);
      } else {
        expect(sample(text, 'parley_db_pool_connections')).toBeGreaterThanOrEqual(1);
        expect(sample(text, 'parley_db_pool_connections')).toBeLessThanOrEqual(4); // startTestApp's pool size
        expect(sample(text, 'parley_db_pool_idle_connections')).toBeGreaterThanOrEqual(0);
        expect(sample(text, 'parley_db_pool_waiting_queries')).toBe(0);
      }
      expect(sample(text, 'parley_process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(sample(text, 'parley_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    });

    it('says nothing about Redis on a single node, where there is none to be down', async () => {
      expect(await scrape(base)).not.toContain('parley_redis_up');
    });
  });

  describe('with METRICS_TOKEN set', () => {
    let t: TestApp;
    let base: string;
    beforeAll(async () => {
      t = await startTestApp({ env: { METRICS_TOKEN } });
      base = await listen(t);
    });
    afterAll(() => t.close());

    it('wants that token as a bearer token', async () => {
      const wrong: Array<Record<string, string>> = [
        {},
        { authorization: `Bearer ${METRICS_TOKEN}x` },
        { authorization: METRICS_TOKEN }, // not as a bearer token
      ];
      for (const headers of wrong) {
        const refused = await fetch(`${base}/metrics`, { headers });
        expect(refused.status).toBe(401);
        expect(await refused.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
      }
      // A user's access token is not the metrics token either.
      const user = await signUp(t, 'admin');
      expect((await fetch(`${base}/metrics`, { headers: bearer(user) })).status).toBe(401);

      const text = await scrape(base, { authorization: `Bearer ${METRICS_TOKEN}` });
      expect(sample(text, 'parley_ws_open_sockets')).toBe(0);
    });
  });

  describe('in production', () => {
    it('is not there without METRICS_TOKEN, and the start-up log says how to turn it on', async () => {
      let logs = '';
      const t = await startTestApp({
        env: { NODE_ENV: 'production', LOG_LEVEL: 'info' },
        logStream: { write: (line) => void (logs += line) },
      });
      try {
        const response = await t.app.inject({ method: 'GET', url: '/metrics' });
        expect(response.statusCode).toBe(404);
        expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Route GET /metrics not found' } });
        expect(logs).toContain('set METRICS_TOKEN');
      } finally {
        await t.close();
      }
    });

    it('is served to whoever has METRICS_TOKEN', async () => {
      const t = await startTestApp({ env: { NODE_ENV: 'production', METRICS_TOKEN } });
      try {
        const base = await listen(t);
        expect((await fetch(`${base}/metrics`)).status).toBe(401);
        expect(await scrape(base, { authorization: `Bearer ${METRICS_TOKEN}` })).toContain('parley_messages_total');
      } finally {
        await t.close();
      }
    });
  });

  describe.skipIf(!REDIS_URL)('on a node clustered through Redis', () => {
    let t: TestApp;
    let otherNode: ZodApp;
    let base: string;
    let otherBase: string;

    beforeAll(async () => {
      t = await startTestApp({ env: { REDIS_URL: REDIS_URL! } });
      base = await listen(t);
      // A second node on the same database and Redis, in this process.
      otherNode = await buildApp({ config: t.config, database: t.database });
      otherBase = await otherNode.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await otherNode?.close();
      await t?.close();
    });

    it('reports Redis up', async () => {
      expect(sample(await scrape(base), 'parley_redis_up')).toBe(1);
    });

    it('counts a message on the node that created it only, though every node delivers it', async () => {
      const carla = await signUp(t, 'customer');
      const ticket = await openTicket(t, carla);
      const here = sample(await scrape(base), 'parley_messages_total')!;
      const there = sample(await scrape(otherBase), 'parley_messages_total')!;
      const watcher = await connectSocket(otherBase, carla.accessToken);
      await watcher.next('ready');
      watcher.send({ type: 'subscribe', conversationId: ticket.conversationId });
      await watcher.next('subscribed');

      const sent = await as(t, carla).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: 'c1',
        body: 'across the cluster',
      });
      expect(sent.statusCode).toBe(201);
      await watcher.next('message', (f) => f.message.body === 'across the cluster'); // relayed through Redis
      await watcher.close();

      expect(sample(await scrape(base), 'parley_messages_total')).toBe(here + 1);
      expect(sample(await scrape(otherBase), 'parley_messages_total')).toBe(there);
    });
  });
});
