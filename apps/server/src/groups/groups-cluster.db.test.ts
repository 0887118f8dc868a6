import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Conversation, Message, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENEROUS_LIMITS } from '../testing/generous-limits';
import { callNode, startServerProcess, type ServerProcess } from '../testing/server-process';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/**
 * [RT-GROUPS] A member removed on one node stops hearing the group on the other at once, even
 * while messages pour in from a third client: everything said before the line that removes
 * them reaches them, nothing after it does.
 */
describe.skipIf(TEST_DIALECT === 'sqlite' || !REDIS_URL)(`group membership on two nodes, ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-groups-cluster-'));
  const env = {
    DATABASE_URL: testDb.url,
    REDIS_URL: REDIS_URL!,
    DATA_DIR: dataDir,
    PORT: '0',
    JWT_SECRET: 'cluster-test-secret-shared-by-both-nodes',
    WS_FRAMES_PER_SECOND: '10000',
    WS_FRAME_BURST: '10000',
    ...GENEROUS_LIMITS,
  };
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let a: string;
  let b: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    nodeA = startServerProcess(env);
    a = await nodeA.listening;
    nodeB = startServerProcess(env);
    b = await nodeB.listening;
  }, 60_000);
  afterAll(async () => {
    for (const socket of sockets) await socket.close().catch(() => {});
    for (const node of [nodeA, nodeB]) node?.child.kill('SIGKILL');
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const register = (base: string, name: string) =>
    callNode<Session>(base, 'POST', '/auth/register', undefined, {
      email: `${name}@g.test`,
      username: name,
      password: 'cluster pass',
    });
  const follow = async (base: string, who: Session, conversationId: string) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    socket.send({ type: 'subscribe', conversationId });
    await socket.next('subscribed');
    return socket;
  };

  it('removed through node B while Cid talks on node A, Bob gets everything before the line and nothing after', async () => {
    const ada = await register(a, 'ada'); // the first account: admin
    const bob = await register(b, 'bob');
    const cid = await register(a, 'cid');
    const group = await callNode<Conversation>(a, 'POST', '/conversations/groups', ada.accessToken, {
      title: 'Two nodes',
      memberIds: [bob.user.id, cid.user.id],
    });
    const bobOnB = await follow(b, bob, group.id);
    const cidOnA = await follow(a, cid, group.id);
    const bobElsewhere = await readySocket(b, bob); // another device of Bob, following nothing
    sockets.push(bobElsewhere);

    // Cid talks on node A; half way, Ada removes Bob through node B.
    const said: Message[] = [];
    const talk = (async () => {
      for (let i = 0; i < 40; i++) {
        said.push(
          await callNode<Message>(a, 'POST', `/conversations/${group.id}/messages`, cid.accessToken, {
            clientMsgId: `c-${i}`,
            body: `message ${i}`,
          }),
        );
      }
    })();
    while (said.length < 15) await new Promise((resolve) => setTimeout(resolve, 5));
    const removal = await fetch(`${b}/conversations/${group.id}/members/${bob.user.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${ada.accessToken}` },
    });
    expect(removal.status).toBe(204);
    await talk;

    const line = await bobOnB.next('message', (f) => f.message.system?.event === 'group.member_removed');
    await bobOnB.next('unsubscribed', (f) => f.conversationId === group.id);
    await bobOnB.next('conversation.removed', (f) => f.conversationId === group.id);
    await bobElsewhere.next('conversation.removed', (f) => f.conversationId === group.id);
    // Cid hears every message, the line included, in order.
    const last = said.at(-1)!;
    await cidOnA.next('message', (f) => f.message.id === last.id, 10_000);
    await settle(bobOnB);
    const bobGot = bobOnB.all('message').filter((f) => f.message.conversationId === group.id);
    const seqs = bobGot.map((f) => f.message.seq);
    expect(seqs.at(-1)).toBe(line.message.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    // Nothing said while he was in it is missing; nothing said after reaches him.
    const before = said.filter((m) => m.seq < line.message.seq).map((m) => m.id);
    expect(bobGot.map((f) => f.message.id)).toEqual(expect.arrayContaining(before));
    expect(said.filter((m) => m.seq > line.message.seq).length).toBeGreaterThan(0);
    expect(bobGot.some((f) => f.message.seq > line.message.seq)).toBe(false);
    // And he cannot read them by REST either, on either node.
    for (const base of [a, b]) {
      const answer = await fetch(`${base}/conversations/${group.id}/messages`, {
        headers: { authorization: `Bearer ${bob.accessToken}` },
      });
      expect(answer.status).toBe(404);
    }
  }, 60_000);
});
