import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLOSE_CODES, type Session, type Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { openDatabase } from '../db/connect';
import { GENEROUS_LIMITS } from '../testing/generous-limits';
import { callNode, startServerProcess, type ServerProcess } from '../testing/server-process';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { connectSocket, type TestSocket } from '../testing/ws-client';
import { builtInRoleId } from '../workspaces/member-repository';
import { findDefaultWorkspace, insertWorkspace } from '../workspaces/workspace-repository';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/**
 * Two server processes behind no load balancer at all: a client on each, one database, one
 * Redis. Runs on MariaDB and PostgreSQL whenever Redis answers (required under CI=true).
 */
describe.skipIf(TEST_DIALECT === 'sqlite' || !REDIS_URL)(`a two-node cluster on ${TEST_DIALECT} + Redis`, () => {
  const testDb = createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cluster-'));
  const env = {
    DATABASE_URL: testDb.url,
    REDIS_URL: REDIS_URL!,
    DATA_DIR: dataDir,
    PORT: '0',
    JWT_SECRET: 'cluster-test-secret-shared-by-both-nodes',
    // Writers below pipeline hundreds of frames; the per-socket rate limit has its own tests.
    WS_FRAMES_PER_SECOND: '10000',
    WS_FRAME_BURST: '10000',
    ...GENEROUS_LIMITS,
  };
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let a: string;
  let b: string;
  let ada: Session;
  let carla: Session;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    nodeA = startServerProcess(env);
    a = await nodeA.listening; // A migrates the database; B then finds it ready
    nodeB = startServerProcess(env);
    b = await nodeB.listening;
  }, 60_000);
  afterAll(async () => {
    for (const node of [nodeA, nodeB]) node?.child.kill('SIGKILL');
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('acts as one: chat, presence, typing and ticket changes cross between the nodes', async () => {
    // Ada signs up first (admin) on A; Carla (customer) on B.
    ada = await callNode<Session>(a, 'POST', '/auth/register', undefined, {
      email: 'ada@c.test',
      username: 'ada',
      password: 'cluster pass',
    });
    carla = await callNode<Session>(b, 'POST', '/auth/register', undefined, {
      email: 'carla@c.test',
      username: 'carla',
      password: 'cluster pass',
    });
    const ticket = await callNode<Ticket>(a, 'POST', '/tickets', carla.accessToken, {
      subject: 'Two nodes',
      description: 'Hello cluster',
    });
    await callNode(a, 'PATCH', `/tickets/${ticket.id}`, ada.accessToken, { assigneeId: ada.user.id });

    const onA: TestSocket = await connectSocket(a, carla.accessToken);
    await onA.next('ready');
    onA.send({ type: 'subscribe', conversationId: ticket.conversationId });
    await onA.next('subscribed');

    const onB: TestSocket = await connectSocket(b, ada.accessToken);
    await onB.next('ready');
    onB.send({ type: 'subscribe', conversationId: ticket.conversationId });
    await onB.next('subscribed');

    // Presence and typing of Ada (node B) reach Carla (node A).
    await onA.next('presence', (p) => p.userId === ada.user.id && p.status === 'online');
    onB.send({ type: 'typing', conversationId: ticket.conversationId });
    expect(await onA.next('typing')).toMatchObject({ userId: ada.user.id });

    // Messages both ways, each acked by the sender's node and delivered by the other.
    onA.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: 'from-a', body: 'Hi from A' });
    const ackA = await onA.next('ack');
    expect((await onB.next('message', (m) => m.message.clientMsgId === 'from-a')).message.seq).toBe(ackA.seq);
    onB.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: 'from-b', body: 'Hi from B' });
    const ackB = await onB.next('ack');
    expect((await onA.next('message', (m) => m.message.clientMsgId === 'from-b')).message.seq).toBe(ackB.seq);
    expect(ackB.seq).toBe(ackA.seq + 1);

    // A ticket change made over REST on node A reaches the socket on node B.
    await callNode(a, 'PATCH', `/tickets/${ticket.id}`, ada.accessToken, { priority: 'urgent', status: 'in_progress' });
    expect(
      (await onB.next('ticket.updated', (f) => f.ticket.id === ticket.id && f.ticket.priority === 'urgent')).ticket
        .status,
    ).toBe('in_progress');

    // Ada leaves node B: Carla sees her go offline, after the grace period.
    await onB.close();
    await onA.next('presence', (p) => p.userId === ada.user.id && p.status === 'offline', 15_000);

    // Shutting node A down tells its clients to reconnect elsewhere.
    nodeA.child.kill('SIGTERM');
    expect((await onA.closed).code).toBe(CLOSE_CODES.serviceRestart);
    expect(await nodeA.exited).toBe(0);
  }, 60_000);

  it('[RT-SEND] keeps seq order across nodes: with writers on both at once, every subscriber gets every message once, in order', async () => {
    nodeA = startServerProcess(env); // the test above shut A down
    a = await nodeA.listening;
    const ticket = await callNode<Ticket>(b, 'POST', '/tickets', carla.accessToken, {
      subject: 'Busy ticket',
      description: 'Two writers, two nodes',
    });
    const subscribers = await Promise.all(
      (
        [
          [a, carla],
          [b, ada],
          [a, ada],
          [b, carla],
        ] as const
      ).map(async ([node, who]) => {
        const socket = await connectSocket(node, who.accessToken);
        await socket.next('ready');
        socket.send({ type: 'subscribe', conversationId: ticket.conversationId });
        await socket.next('subscribed');
        return socket;
      }),
    );
    // Carla writes on A while Ada writes on B, neither waiting for acks: the two nodes commit
    // and publish in whatever order they get to it.
    const perWriter = 150;
    for (let i = 0; i < perWriter; i++) {
      for (const [writer, name] of [
        [subscribers[0]!, 'carla'],
        [subscribers[1]!, 'ada'],
      ] as const) {
        writer.send({
          type: 'message.send',
          conversationId: ticket.conversationId,
          clientMsgId: `${name}-${i}`,
          body: `${name} ${i}`,
        });
      }
    }
    for (const socket of subscribers) {
      await expect.poll(() => socket.all('message').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2 * perWriter);
      const seqs = socket.all('message').map((m) => m.message.seq);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
      expect(new Set(socket.all('message').map((m) => m.message.clientMsgId)).size).toBe(2 * perWriter);
    }
    await Promise.all(subscribers.map((s) => s.close()));
  }, 60_000);

  it('keeps workspaces apart across nodes: each has its own Redis channel, and nothing crosses over', async () => {
    const database = await openDatabase(testDb.url);
    const beta = await insertWorkspace(database.db, { slug: 'beta', name: 'Beta', openSignup: true }, Date.now());
    const defaultWorkspace = await findDefaultWorkspace(database.db);
    const bea = await callNode<Session>(b, 'POST', '/auth/register', undefined, {
      email: 'bea@c.test',
      username: 'bea',
      password: 'cluster pass',
      workspace: 'beta',
    });
    // Beta's admin: were the default workspace's events to cross over, she would see its tickets.
    const ws = { workspaceId: beta.id };
    await database.db
      .updateTable('workspaceMembers')
      .set({ roleId: await builtInRoleId(database.db, ws, 'admin') })
      .where('workspaceId', '=', beta.id)
      .where('userId', '=', bea.user.id)
      .execute();
    await database.close();
    expect(bea.user.workspace.id).toBe(beta.id);
    // What goes over Redis: each event's channel and workspace (other suites may share the server).
    const listener = new Redis(REDIS_URL!);
    const heard: Array<{ channel: string; workspaceId?: string }> = [];
    await listener.psubscribe('parley:events:*');
    listener.on('pmessage', (_pattern, channel: string, raw: string) =>
      heard.push({ channel, workspaceId: (JSON.parse(raw) as { event?: { workspaceId: string } }).event?.workspaceId }),
    );
    try {
      const onB = await connectSocket(b, bea.accessToken);
      await onB.next('ready');
      const ticket = await callNode<Ticket>(a, 'POST', '/tickets', carla.accessToken, {
        subject: 'Only for the default workspace',
        description: 'Beta must not hear of it',
      });
      const carlaOnA = await connectSocket(a, carla.accessToken);
      await carlaOnA.next('ready');
      carlaOnA.send({ type: 'subscribe', conversationId: ticket.conversationId });
      await carlaOnA.next('subscribed');
      carlaOnA.send({ type: 'message.send', conversationId: ticket.conversationId, clientMsgId: 'ws-a', body: 'Hi' });
      await carlaOnA.next('ack');
      const ours = () => heard.filter((h) => h.workspaceId === defaultWorkspace!.id || h.workspaceId === beta.id);
      await expect.poll(() => ours().some((h) => h.workspaceId === defaultWorkspace!.id)).toBe(true);
      // Bea's own workspace carries her presence; the default one's events never reach her socket.
      onB.send({ type: 'ping', ref: 'fence' });
      await onB.next('pong');
      expect(onB.all('ticket.updated').length + onB.all('message').length + onB.all('presence').length).toBe(0);
      // Every event of these two workspaces went on its own workspace's channel.
      expect(ours().every((h) => h.channel === `parley:events:${h.workspaceId}`)).toBe(true);
      await Promise.all([onB.close(), carlaOnA.close()]);
    } finally {
      listener.disconnect();
    }
  }, 60_000);
});
