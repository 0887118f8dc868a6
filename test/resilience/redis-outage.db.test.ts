import type { Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { openTicket } from '../../apps/server/src/testing/test-desk';
import { copyMigratedTemplate } from '../../apps/server/src/testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { startTcpProxy, viaProxy, type TcpProxy } from '../../apps/server/src/testing/tcp-proxy';
import { chatClient, oneTo, PASSWORD, seqsOf, type ChatClient } from './chat-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/**
 * Redis, which links the nodes of a cluster, goes away and comes back. Each node keeps serving
 * its own sockets meanwhile, and afterwards every client has every message, in order, once,
 * without reconnecting. Redis sits behind a TCP relay we cut: the real one is shared by suites.
 */
describe.skipIf(!REDIS_URL)(`Redis restarting under a two-node cluster on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let proxy: TcpProxy;
  let nodeA: TestApp;
  let nodeB: TestApp;
  let ticket: Ticket;
  let admin: Session;
  let customer: Session;
  let onA: ChatClient; // the customer, on node A
  let onB: ChatClient; // an admin, on node B
  const logA: Array<{ msg: string }> = [];
  /** How often node A logged each message matching `pattern`, by message. */
  const logged = (pattern: RegExp) => {
    const counts: Record<string, number> = {};
    for (const { msg } of logA) if (pattern.test(msg)) counts[msg] = (counts[msg] ?? 0) + 1;
    return counts;
  };

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    proxy = await startTcpProxy(new URL(REDIS_URL!).host);
    const env = { REDIS_URL: viaProxy(REDIS_URL!, proxy) };
    nodeA = await startTestApp({
      database: testDb,
      env: { ...env, LOG_LEVEL: 'info' },
      logStream: { write: (line) => void logA.push(JSON.parse(line) as { msg: string }) },
    });
    nodeB = await startTestApp({ database: testDb, env });
    admin = await signUp(nodeA, 'admin');
    customer = await signUp(nodeA, 'customer');
    ticket = await openTicket(nodeA, customer);
    onA = await chatClient(await listen(nodeA), customer.user.username, [ticket.conversationId]);
    onB = await chatClient(await listen(nodeB), admin.user.username, [ticket.conversationId]);
  });
  afterAll(async () => {
    onA?.close();
    onB?.close();
    await nodeA?.close();
    await nodeB?.close();
    await proxy?.close();
    await testDb.drop();
  });

  const readiness = async (node: TestApp) => {
    const response = await node.app.inject({ method: 'GET', url: '/readyz' });
    return { status: response.statusCode, body: response.json() };
  };

  it('keeps each node serving, reports degraded, and ends with every message everywhere', async () => {
    await onA.send(
      ticket.conversationId,
      oneTo(5).map((i) => `linked ${i}`),
    );
    await expect.poll(() => seqsOf(onB, ticket.conversationId), { timeout: 5_000 }).toEqual(oneTo(5));

    await proxy.cut();
    for (const node of [nodeA, nodeB]) {
      await expect
        .poll(() => readiness(node), { timeout: 5_000 })
        .toEqual({ status: 200, body: { status: 'degraded', checks: { database: 'ok', redis: 'down' } } });
    }
    // Each node still serves its own sockets: sends are acked and reach that node's subscribers.
    await onA.send(
      ticket.conversationId,
      oneTo(10).map((i) => `alone on A ${i}`),
    );
    await onA.drained();
    await expect.poll(() => seqsOf(onA, ticket.conversationId), { timeout: 5_000 }).toEqual(oneTo(15));
    await onB.send(
      ticket.conversationId,
      oneTo(5).map((i) => `alone on B ${i}`),
    );
    await onB.drained();
    // B's subscriber saw seq 16 after 5: it read the missing ones from the database.
    await expect.poll(() => seqsOf(onB, ticket.conversationId), { timeout: 5_000 }).toEqual(oneTo(20));
    // Signing in works too: limits and throttles count locally while Redis is away.
    const login = await nodeA.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: customer.user.username, password: PASSWORD },
    });
    expect(login.statusCode).toBe(200);
    expect(seqsOf(onA, ticket.conversationId)).toEqual(oneTo(15)); // A cannot know about B's yet

    await proxy.restore();
    for (const node of [nodeA, nodeB]) {
      await expect.poll(() => readiness(node), { timeout: 10_000 }).toMatchObject({ body: { status: 'ok' } });
    }
    // Nothing new was sent: A's client gets B's five only because A caught up from the database.
    await expect.poll(() => seqsOf(onA, ticket.conversationId), { timeout: 10_000 }).toEqual(oneTo(20));
    expect(seqsOf(onB, ticket.conversationId)).toEqual(oneTo(20));
    expect([onA.opened(), onB.opened()]).toEqual([1, 1]); // nobody had to reconnect

    // And the link works live again.
    await onB.send(ticket.conversationId, ['back together']);
    await expect.poll(() => seqsOf(onA, ticket.conversationId), { timeout: 5_000 }).toEqual(oneTo(21));

    // The outage is in A's log once per connection, however often ioredis retried meanwhile,
    // and so is its end; the sign-in's counters said once that they counted locally.
    const signIn = { login: customer.user.username, password: PASSWORD };
    expect((await nodeA.app.inject({ method: 'POST', url: '/auth/login', payload: signIn })).statusCode).toBe(200);
    const connections = ['redis commands', 'redis publisher', 'redis subscriber'];
    expect(logged(/^redis .*: connection lost/)).toEqual(
      Object.fromEntries(connections.map((c) => [`${c}: connection lost, retrying (logged again when it is back)`, 1])),
    );
    expect(logged(/^redis .*: connected again$/)).toEqual(
      Object.fromEntries(connections.map((c) => [`${c}: connected again`, 1])),
    );
    expect(logged(/^abuse counters/)).toEqual({
      'abuse counters: Redis failed, counting on this node meanwhile': 1,
      'abuse counters: counting in Redis again': 1,
    });
  });
});
