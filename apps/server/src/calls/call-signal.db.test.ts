import type { Call, Conversation, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { copyMigratedTemplate } from '../testing/database-template';
import { joinWorkspace, listen, manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { as, setUpTwoDesks, type Desk } from '../testing/test-desk';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

const offer = { kind: 'offer', sdp: 'v=0 offer' };
const answer = { kind: 'answer', sdp: 'v=0 answer' };

/** A call between two people in their direct chat, over REST on `node`: `from` rings, `to` answers unless told not to. */
async function callBetween(node: TestApp, from: Session, to: Session, { answered = true } = {}): Promise<Call> {
  const chat = (await as(node, from).post('/conversations/direct', { userId: to.user.id })).json<Conversation>();
  const started = await as(node, from).post(`/conversations/${chat.id}/calls`, { kind: 'video' });
  expect(started.statusCode, started.body).toBe(201);
  const call = started.json<Call>();
  if (answered) expect((await as(node, to).post(`/calls/${call.id}/join`, {})).statusCode).toBe(200);
  return call;
}

const hangUp = (node: TestApp, who: Session, call: Call) => as(node, who).post(`/calls/${call.id}/leave`, {});

let refs = 0;
/** Sends a signal and waits for the answer to it: the error, or nothing (then it was relayed). */
async function signal(from: TestSocket, callId: string, to: Session, payload: unknown = offer) {
  const ref = `signal-${++refs}`;
  from.send({ type: 'call.signal', callId, toUserId: to.user.id, payload, ref });
  await settle(from);
  return from.frames.find((f) => f.type === 'error' && f.ref === ref);
}

describe(`call signals on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  let acme: Desk;
  const sockets: TestSocket[] = [];
  const socketOf = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    ({ a: desk, b: acme } = await setUpTwoDesks(t));
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t?.close());

  it('[RT-CALL] Sam and Kim, both in the call, trade an offer and an answer; each of her devices gets his', async () => {
    const call = await callBetween(t, desk.sam, desk.kim);
    const sam = await socketOf(desk.sam);
    const phone = await socketOf(desk.kim);
    const laptop = await socketOf(desk.kim);

    expect(await signal(sam, call.id, desk.kim, offer)).toBeUndefined();
    for (const device of [phone, laptop]) {
      expect(await device.next('call.signal')).toEqual({
        type: 'call.signal',
        callId: call.id,
        fromUserId: desk.sam.user.id,
        payload: offer,
      });
    }
    expect(await signal(phone, call.id, desk.sam, answer)).toBeUndefined();
    expect(await sam.next('call.signal')).toEqual({
      type: 'call.signal',
      callId: call.id,
      fromUserId: desk.kim.user.id,
      payload: answer,
    });

    // A payload over 16 KiB is refused whole; and nobody hears their own signals back.
    const huge = await signal(sam, call.id, desk.kim, { blob: 'x'.repeat(20_000) });
    expect(huge).toMatchObject({ code: 'validation_failed' });
    await settle(phone);
    expect(phone.all('call.signal')).toHaveLength(1);
    expect(sam.all('call.signal')).toHaveLength(1);
    await hangUp(t, desk.sam, call);
  });

  it('[RT-CALL] nothing reaches anyone not joined: ringing, not in the call, the call ended, another workspace, a stranger', async () => {
    const call = await callBetween(t, desk.sam, desk.kim, { answered: false });
    const sam = await socketOf(desk.sam);
    const kim = await socketOf(desk.kim);
    const otto = await socketOf(desk.otto);
    // Sam again, signed in to another workspace of the installation: the same person, not the same call.
    const samInAcme = await socketOf(await joinWorkspace(t, desk.sam, 'acme', 'agent'));
    const acmeAdmin = await socketOf(acme.admin);
    const notFound = { type: 'error', code: 'not_found', message: 'Call not found' };

    // Kim's phone is still ringing: the offer waits until she answers.
    expect(await signal(sam, call.id, desk.kim)).toMatchObject(notFound);
    expect(await signal(kim, call.id, desk.sam)).toMatchObject(notFound);
    expect((await as(t, desk.kim).post(`/calls/${call.id}/join`, {})).statusCode).toBe(200);
    // Not in the call: Otto neither sends into it nor is sent to in it.
    expect(await signal(otto, call.id, desk.kim)).toMatchObject(notFound);
    expect(await signal(sam, call.id, desk.otto)).toMatchObject(notFound);
    // To herself, or from another workspace (even as Sam himself there).
    expect(await signal(kim, call.id, desk.kim)).toMatchObject(notFound);
    expect(await signal(samInAcme, call.id, desk.kim)).toMatchObject(notFound);
    expect(await signal(acmeAdmin, call.id, desk.kim)).toMatchObject(notFound);
    // Now that both are in it, the same signal goes through: the refusals above were about who.
    expect(await signal(sam, call.id, desk.kim)).toBeUndefined();
    await hangUp(t, desk.kim, call);
    expect(await signal(sam, call.id, desk.kim)).toMatchObject(notFound);

    for (const socket of [sam, kim, otto, samInAcme, acmeAdmin]) await settle(socket);
    expect(kim.all('call.signal')).toEqual([
      { type: 'call.signal', callId: call.id, fromUserId: desk.sam.user.id, payload: offer },
    ]);
    expect([sam, otto, samInAcme, acmeAdmin].flatMap((s) => s.all('call.signal'))).toEqual([]);
  });
});

describe(`the call signal budget on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  const clock = manualClock(Date.now());
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    // Small budgets: five signals, and five writes (Sam spends two on ringing Kim).
    t = await startTestApp({ clock, env: { RATE_LIMIT_SIGNALS_PER_MINUTE: '5', RATE_LIMIT_WRITES_PER_MINUTE: '5' } });
    base = await listen(t);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await t?.close();
  });

  it('[RT-LIMITS] past its signals a minute, a user gets rate_limited; writes have their own budget', async () => {
    const sam = await signUp(t, 'agent');
    const kim = await signUp(t, 'agent');
    const call = await callBetween(t, sam, kim);
    const onSam = await readySocket(base, sam);
    const onKim = await readySocket(base, kim);
    sockets.push(onSam, onKim);

    // Five signals: each would have been refused past the third had signals spent writes.
    for (let i = 0; i < 5; i++) expect(await signal(onSam, call.id, kim)).toBeUndefined();
    expect(await signal(onSam, call.id, kim)).toMatchObject({ code: 'rate_limited' });
    // Writing still works: one of his writes left is spent here.
    onSam.send({ type: 'message.send', conversationId: call.conversationId, clientMsgId: 'still-writes', body: 'Hi' });
    expect((await onSam.next('ack')).clientMsgId).toBe('still-writes');

    clock.advance(60_000);
    expect(await signal(onSam, call.id, kim)).toBeUndefined();
    await settle(onKim);
    expect(onKim.all('call.signal')).toHaveLength(6);
  });
});

describe.skipIf(!REDIS_URL)(`call signals across two nodes on ${TEST_DIALECT} + Redis`, () => {
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

  it('[RT-CALL] an offer sent on node A reaches Kim on node B, and her answer comes back', async () => {
    const sam = await signUp(nodeA, 'agent');
    const kim = await signUp(nodeA, 'agent');
    const call = await callBetween(nodeA, sam, kim, { answered: false });
    expect((await as(nodeB, kim).post(`/calls/${call.id}/join`, {})).statusCode).toBe(200);
    const onA = await readySocket(await listen(nodeA), sam);
    const onB = await readySocket(await listen(nodeB), kim);

    expect(await signal(onA, call.id, kim, offer)).toBeUndefined();
    expect(await onB.next('call.signal')).toEqual({
      type: 'call.signal',
      callId: call.id,
      fromUserId: sam.user.id,
      payload: offer,
    });
    expect(await signal(onB, call.id, sam, answer)).toBeUndefined();
    expect((await onA.next('call.signal')).payload).toEqual(answer);

    await hangUp(nodeB, kim, call);
    await Promise.all([onA.close(), onB.close()]);
  });
});
