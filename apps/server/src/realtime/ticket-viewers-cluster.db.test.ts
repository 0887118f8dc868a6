import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENEROUS_LIMITS } from '../testing/generous-limits';
import { callNode, startServerProcess, type ServerProcess } from '../testing/server-process';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/** [RT-VIEWERS] Collision across nodes: who has a ticket open is known to staff on every node. */
describe.skipIf(TEST_DIALECT === 'sqlite' || !REDIS_URL)(`ticket viewers on two nodes, ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-viewers-cluster-'));
  const env = {
    DATABASE_URL: testDb.url,
    REDIS_URL: REDIS_URL!,
    DATA_DIR: dataDir,
    PORT: '0',
    JWT_SECRET: 'cluster-test-secret-shared-by-both-nodes',
    ...GENEROUS_LIMITS,
  };
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let a: string;
  let b: string;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    nodeA = startServerProcess(env);
    a = await nodeA.listening;
    nodeB = startServerProcess(env);
    b = await nodeB.listening;
  }, 60_000);
  afterAll(async () => {
    for (const node of [nodeA, nodeB]) node?.child.kill('SIGKILL');
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const register = (base: string, name: string) =>
    callNode<Session>(base, 'POST', '/auth/register', undefined, {
      email: `${name}@v.test`,
      username: name,
      password: 'cluster pass',
    });
  const open = async (socket: TestSocket, conversationId: string) => {
    socket.send({ type: 'subscribe', conversationId });
    await socket.next('subscribed');
    socket.send({ type: 'viewing', conversationId });
    await settle(socket);
  };

  it('[RT-VIEWERS] an agent on node B sees the admin on node A open and leave the ticket', async () => {
    const ada = await register(a, 'ada'); // the first account: admin
    let bob = await register(b, 'bob');
    const carla = await register(b, 'carla');
    const roles = await callNode<{ items: Array<{ id: string; builtIn: string | null }> }>(
      a,
      'GET',
      '/roles',
      ada.accessToken,
    );
    await callNode(a, 'PATCH', `/users/${bob.user.id}`, ada.accessToken, {
      roleId: roles.items.find((r) => r.builtIn === 'agent')!.id,
    });
    bob = await callNode<Session>(b, 'POST', '/auth/login', undefined, { login: 'bob', password: 'cluster pass' });
    const ticket = await callNode<Ticket>(b, 'POST', '/tickets', carla.accessToken, {
      subject: 'Hi',
      description: 'There',
    });
    const c = ticket.conversationId;

    const onB = await readySocket(b, bob);
    const carlaOnB = await readySocket(b, carla);
    await open(onB, c);
    await open(carlaOnB, c);
    const onA = await readySocket(a, ada);
    await open(onA, c);
    const both = [ada.user.id, bob.user.id].sort();
    expect((await onB.next('viewers', (f) => f.userIds.length === 2, 10_000)).userIds).toEqual(both);
    expect((await onA.next('viewers', (f) => f.userIds.length === 2, 10_000)).userIds).toEqual(both);

    await onA.close();
    expect((await onB.next('viewers', (f) => f.userIds.length === 1, 10_000)).userIds).toEqual([bob.user.id]);
    await settle(carlaOnB);
    expect(carlaOnB.all('viewers')).toEqual([]);
    await onB.close();
    await carlaOnB.close();
  }, 60_000);
});
