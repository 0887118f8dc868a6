import type { Conversation, ConversationPage, NotificationPage, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DIRECT_QUIET_MS } from '../conversations/direct-message-notifications';
import { listen, manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/** Opens the direct chat of `from` with `to` over REST on `node`, as the app does. */
async function openDirect(node: TestApp, from: Session, to: Session): Promise<Conversation> {
  const response = await as(node, from).post('/conversations/direct', { userId: to.user.id });
  expect(response.statusCode).toBe(201);
  return response.json<Conversation>();
}

async function post(node: TestApp, from: Session, conversationId: string, clientMsgId: string) {
  const response = await as(node, from).post(`/conversations/${conversationId}/messages`, {
    clientMsgId,
    body: `${clientMsgId} body`,
  });
  expect(response.statusCode).toBe(201);
}

/** The recipient's client: told of the new chat, it follows it from the start (afterSeq 0). */
async function followNew(socket: TestSocket): Promise<Conversation> {
  const { conversation } = await socket.next('conversation.created');
  socket.send({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 });
  await socket.next('subscribed', (f) => f.conversationId === conversation.id);
  return conversation;
}

describe(`a first direct message on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let sam: Session;
  const sockets: TestSocket[] = [];

  const clock = manualClock(Date.now());

  beforeAll(async () => {
    t = await startTestApp({ clock });
    base = await listen(t);
    sam = await signUp(t, 'agent', { displayName: 'Sam' });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  const directDmsOf = async (who: Session) =>
    (await as(t, who).get('/conversations')).json<ConversationPage>().items.filter((c) => c.kind === 'direct');
  const directNotificationsOf = async (who: Session) =>
    (await as(t, who).get('/notifications')).json<NotificationPage>().items.filter((n) => n.kind === 'direct.message');

  it('[RT-LIVE] reaches the recipient live: conversation.created as their list shows it, then the message', async () => {
    const carla = await signUp(t, 'customer', { displayName: 'Carla' });
    const onCarla = await readySocket(base, carla);
    const samsOtherTab = await readySocket(base, sam);
    sockets.push(onCarla, samsOtherTab);

    const opened = await openDirect(t, sam, carla);
    await post(t, sam, opened.id, 'first-words'); // before Carla's client subscribed: the replay has it
    const told = await followNew(onCarla);
    expect(told).toMatchObject({ id: opened.id, kind: 'direct', lastReadSeq: 0 });
    expect(told.members.map((m) => m.id).sort()).toEqual([sam.user.id, carla.user.id].sort());
    expect((await onCarla.next('message')).message).toMatchObject({ clientMsgId: 'first-words', seq: 1 });
    // Sam's other tab lists the new chat too.
    expect((await samsOtherTab.next('conversation.created')).conversation.id).toBe(opened.id);

    // Live from here on, once each.
    await post(t, sam, opened.id, 'second');
    expect((await onCarla.next('message')).message).toMatchObject({ clientMsgId: 'second', seq: 2 });
    expect(onCarla.all('message').map((f) => f.message.seq)).toEqual([1, 2]);
  });

  it('[RT-LIVE] is the conversation.created item exactly as GET /conversations gives it to the recipient', async () => {
    const dan = await signUp(t, 'customer', { displayName: 'Dan' });
    const onDan = await readySocket(base, dan);
    sockets.push(onDan);
    const opened = await openDirect(t, sam, dan);
    const { conversation } = await onDan.next('conversation.created');
    // Both joined in the same millisecond: the order of members is not part of the promise.
    const byId = (c: Conversation | undefined) =>
      c && { ...c, members: [...c.members].sort((a, b) => a.id.localeCompare(b.id)) };
    expect(byId(conversation)).toEqual(byId((await directDmsOf(dan)).find((c) => c.id === opened.id)));
    // Opening it again creates nothing and tells nobody again.
    await as(t, sam).post('/conversations/direct', { userId: dan.user.id });
    await post(t, sam, opened.id, 'ping-dan');
    await onDan.next('notification');
    expect(onDan.all('conversation.created')).toHaveLength(1);
  });

  it('[RT-LIVE] notifies the first message of a direct chat and one that breaks a silence, not a lively exchange', async () => {
    const eve = await signUp(t, 'customer', { displayName: 'Eve' });
    const onEve = await readySocket(base, eve);
    sockets.push(onEve);
    const opened = await openDirect(t, sam, eve);
    await post(t, sam, opened.id, 'one');
    const { notification } = await onEve.next('notification');
    expect(notification).toMatchObject({
      kind: 'direct.message',
      data: { conversationId: opened.id, seq: 1, fromUserId: sam.user.id },
      readAt: null,
    });
    await post(t, sam, opened.id, 'two');
    await post(t, eve, opened.id, 'reply');
    await post(t, sam, opened.id, 'three');
    await t.app.notifications.settled();
    expect((await directNotificationsOf(eve)).map((n) => n.data.seq)).toEqual([1]); // no noise while they talk
    expect(await directNotificationsOf(sam)).toHaveLength(0);

    clock.advance(DIRECT_QUIET_MS);
    await post(t, sam, opened.id, 'after-a-while');
    expect((await onEve.next('notification')).notification.data).toMatchObject({ seq: 5 });
    // Still one entry for the chat, now counting both times it woke up.
    expect((await directNotificationsOf(eve)).map((n) => [n.data.seq, n.count])).toEqual([[5, 2]]);
  });
});

describe.skipIf(!REDIS_URL)(`a first direct message across two nodes on ${TEST_DIALECT} + Redis`, () => {
  const testDb = createTestDatabase();
  let nodeA: TestApp;
  let nodeB: TestApp;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    nodeA = await startTestApp({ database: testDb, env: { REDIS_URL: REDIS_URL! } });
    nodeB = await startTestApp({ database: testDb, env: { REDIS_URL: REDIS_URL! } });
  });
  afterAll(async () => {
    await nodeA?.close();
    await nodeB?.close();
    await testDb.drop();
  });

  it('[RT-LIVE] reaches the recipient on the other node: conversation.created, the message and its notification', async () => {
    const sam = await signUp(nodeA, 'agent');
    const carla = await signUp(nodeA, 'customer');
    const onB = await readySocket(await listen(nodeB), carla);
    const opened = await openDirect(nodeA, sam, carla);
    expect((await followNew(onB)).id).toBe(opened.id);
    await post(nodeA, sam, opened.id, 'across');
    expect((await onB.next('message')).message).toMatchObject({ clientMsgId: 'across', seq: 1 });
    expect((await onB.next('notification')).notification).toMatchObject({ kind: 'direct.message' });
    await onB.close();
  });
});
