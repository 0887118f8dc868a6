import { CLOSE_CODES, type Session, type Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, listen, signUp, startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { openTicket } from '../../apps/server/src/testing/test-desk';
import { copyMigratedTemplate } from '../../apps/server/src/testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { startTcpProxy, viaProxy, type TcpProxy } from '../../apps/server/src/testing/tcp-proxy';
import { TEST_SERVICES } from '../test-services';
import { chatClient, oneTo, seqsOf, type ChatClient } from './chat-client';

/**
 * MariaDB or PostgreSQL goes away while people chat (a restart, a failover). The server sits
 * behind a TCP relay we cut and restore: the real servers are shared by every suite, so
 * restarting them would fail the others.
 */
describe.skipIf(TEST_DIALECT === 'sqlite')(`the database restarting under live chat on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let proxy: TcpProxy;
  let t: TestApp;
  let baseUrl: string;
  let ticket: Ticket;
  let customer: Session;
  let carla: ChatClient;
  let watcher: ChatClient;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    const server = new URL(TEST_SERVICES[TEST_DIALECT as 'mysql' | 'postgres'].url);
    proxy = await startTcpProxy(server.host);
    t = await startTestApp({ database: testDb, env: { DATABASE_URL: viaProxy(testDb.url, proxy) } });
    baseUrl = await listen(t);
    const admin = await signUp(t, 'admin');
    customer = await signUp(t, 'customer');
    ticket = await openTicket(t, customer);
    carla = await chatClient(baseUrl, customer.user.username);
    watcher = await chatClient(baseUrl, admin.user.username, [ticket.conversationId]);
  });
  afterAll(async () => {
    carla?.close();
    watcher?.close();
    await t?.close();
    await proxy?.close();
    await testDb.drop();
  });

  it('answers 503 unavailable meanwhile, recovers by itself, and every message lands once, in order', async () => {
    const before = await carla.send(
      ticket.conversationId,
      oneTo(10).map((i) => `before ${i}`),
    );
    await carla.drained();

    await proxy.cut();
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().error.code).toBe('unavailable');
    const list = await t.app.inject({ method: 'GET', url: '/tickets', headers: bearer(customer) });
    expect(list.statusCode).toBe(503);
    expect(list.json().error).toMatchObject({ code: 'unavailable' });
    expect(Number(list.headers['retry-after'])).toBeGreaterThan(0);
    // A socket that signs in now is told to come back later, not that its token is bad
    // (4401 would send every client off to refresh its tokens, and fail at that too).
    const latecomer = await connectSocket(baseUrl, customer.accessToken);
    expect((await latecomer.closed).code).toBe(CLOSE_CODES.tryAgainLater);
    // Typed while the database is down: the server refuses them (`error unavailable`), the
    // outbox keeps them and tries again.
    const during = await carla.send(
      ticket.conversationId,
      oneTo(10).map((i) => `during ${i}`),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(carla.client.outbox.list().map((m) => m.clientMsgId)).toEqual(during);
    expect(carla.client.outbox.list().every((m) => m.state === 'pending')).toBe(true);

    await proxy.restore();
    await expect
      .poll(async () => (await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode, {
        timeout: 10_000,
      })
      .toBe(200);
    const after = await carla.send(
      ticket.conversationId,
      oneTo(10).map((i) => `after ${i}`),
    );
    await carla.drained();

    const sent = [...before, ...during, ...after];
    const rows = await t.database.db
      .selectFrom('messages')
      .select(['clientMsgId', 'seq'])
      .where('conversationId', '=', ticket.conversationId)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.clientMsgId)).toEqual(sent); // each once, in the order typed
    expect(rows.map((r) => r.seq)).toEqual(oneTo(30));
    await expect.poll(() => seqsOf(watcher, ticket.conversationId), { timeout: 10_000 }).toEqual(oneTo(30));
    expect((await t.app.inject({ method: 'GET', url: '/tickets', headers: bearer(customer) })).statusCode).toBe(200);
  });
});
