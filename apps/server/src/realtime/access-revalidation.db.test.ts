import { CLOSE_CODES, type Session, type Ticket } from '@parley/protocol';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, viaProxy, type TcpProxy } from '../testing/tcp-proxy';
import { listen, setRole, startTestApp, type TestApp } from '../testing/test-app';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';
import { ACCESS_CHANGED } from './access-revalidation';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;
const revoked = { code: CLOSE_CODES.unauthorized, reason: ACCESS_CHANGED };

async function subscribedSocket(base: string, who: Session, conversationId?: string): Promise<TestSocket> {
  const socket = await connectSocket(base, who.accessToken);
  await socket.next('ready');
  if (conversationId) {
    socket.send({ type: 'subscribe', conversationId });
    await socket.next('subscribed');
  }
  return socket;
}

/** The socket is open and has handled every frame sent before this. */
async function stillServed(socket: TestSocket, ref: string) {
  socket.send({ type: 'ping', ref });
  expect(await socket.next('pong', (p) => p.ref === ref)).toBeTruthy();
}

/**
 * [RT-AUTH] Rights revoked while the `access.changed` event could not reach a socket: Redis was
 * cut between the admin's node and the user's node, or an operator changed the database by hand.
 */
describe.skipIf(!REDIS_URL)(`revocation across a Redis outage on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  let proxy: TcpProxy;
  let nodeA: TestApp;
  let nodeB: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    proxy = await startTcpProxy(new URL(REDIS_URL!).host);
    const env = { REDIS_URL: viaProxy(REDIS_URL!, proxy) };
    nodeA = await startTestApp({ database: testDb, env });
    nodeB = await startTestApp({ database: testDb, env });
    desk = await setUpDesk(nodeA);
    ticket = await openTicket(nodeA, desk.carla, { teamId: desk.support });
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await nodeA?.close();
    await nodeB?.close();
    await proxy?.close();
    await testDb.drop();
  });

  const redisIs = (node: TestApp, state: 'ok' | 'down') =>
    expect
      .poll(async () => (await node.app.inject({ method: 'GET', url: '/readyz' })).json(), { timeout: 10_000 })
      .toMatchObject({ checks: { redis: state } });

  it('[RT-AUTH] closes with 4401 the sockets on the other node of users removed from a team, demoted or deactivated meanwhile', async () => {
    const base = await listen(nodeB);
    const sam = await subscribedSocket(base, desk.sam, ticket.conversationId); // loses team Support
    const kim = await subscribedSocket(base, desk.kim, ticket.conversationId); // becomes a customer
    const otto = await subscribedSocket(base, desk.otto); // is deactivated
    const carla = await subscribedSocket(base, desk.carla, ticket.conversationId); // keeps her rights
    sockets.push(sam, kim, otto, carla);

    await proxy.cut();
    for (const node of [nodeA, nodeB]) await redisIs(node, 'down');
    const admin = as(nodeA, desk.admin);
    expect((await admin.delete(`/teams/${desk.support}/members/${desk.sam.user.id}`)).statusCode).toBe(204);
    expect((await admin.patch(`/users/${desk.kim.user.id}`, { role: 'customer' })).statusCode).toBe(200);
    expect((await admin.patch(`/users/${desk.otto.user.id}`, { deactivated: true })).statusCode).toBe(200);
    // Node B never heard of it: its sockets keep their old rights for now.
    for (const socket of [sam, kim, otto]) expect(socket.ws.readyState).toBe(WebSocket.OPEN);

    await proxy.restore();
    for (const node of [nodeA, nodeB]) await redisIs(node, 'ok');
    expect(await sam.closed).toEqual(revoked);
    expect(await kim.closed).toEqual(revoked);
    expect(await otto.closed).toEqual(revoked);
    await stillServed(carla, 'carla-after');
  });
});

describe(`revocation at an in-band token renewal on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  const renew = (socket: TestSocket, who: Session) => socket.send({ type: 'auth', token: who.accessToken });

  it('[RT-AUTH] closes with 4401 when the renewing agent lost a team in the database behind our back', async () => {
    const sam = await subscribedSocket(base, desk.sam, ticket.conversationId);
    sockets.push(sam);
    await t.database.db.deleteFrom('teamMembers').where('userId', '=', desk.sam.user.id).execute();
    renew(sam, desk.sam);
    expect(await sam.closed).toEqual(revoked);
  });

  it('[RT-AUTH] closes with 4401 when the renewing user has another role (internal notes must stop)', async () => {
    const kim = await subscribedSocket(base, desk.kim, ticket.conversationId);
    sockets.push(kim);
    await setRole(t, desk.kim, 'customer');
    renew(kim, desk.kim);
    expect(await kim.closed).toEqual(revoked);
  });

  it('[RT-AUTH] keeps the socket and its subscriptions when nothing changed', async () => {
    const otto = await subscribedSocket(base, desk.otto);
    const carla = await subscribedSocket(base, desk.carla, ticket.conversationId);
    sockets.push(otto, carla);
    renew(otto, desk.otto);
    renew(carla, desk.carla);
    await stillServed(otto, 'otto-renewed');
    await stillServed(carla, 'carla-renewed');
    await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'after-renewal',
      body: 'still here',
    });
    expect((await carla.next('message')).message.clientMsgId).toBe('after-renewal');
  });
});
