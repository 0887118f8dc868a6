import type { Call, Conversation, Message, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import { createLocalBus } from '../events/local-bus';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';
import { leaveCallsOfAbsent } from './call-service';

const GRACE_MS = 100;
/** The call's own grace, after presence has said "offline" (CALL_DROP_GRACE_MS). */
const DROP_MS = 1_000;
/** The sweep for those whose node died runs every three call graces. */
const SWEEP_MS = DROP_MS * 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pastTheGrace = () => sleep((GRACE_MS + DROP_MS) * 1.5);

describe(`leaving a call when every device is gone, on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  const sockets: TestSocket[] = [];
  const socketOf = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp({
      realtime: { presenceGraceMs: GRACE_MS },
      env: { CALL_DROP_GRACE_MS: String(DROP_MS), JOB_POLL_INTERVAL_MS: '50' },
    });
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t?.close());

  const start = async (who: Session, conversationId: string) => {
    const started = await as(t, who).post(`/conversations/${conversationId}/calls`, { kind: 'voice' });
    expect(started.statusCode, started.body).toBe(201);
    return started.json<Call>();
  };
  const join = async (who: Session, call: Call) =>
    expect((await as(t, who).post(`/calls/${call.id}/join`, {})).statusCode).toBe(200);
  const read = async (call: Call, who = desk.sam) => (await as(t, who).get(`/calls/${call.id}`)).json<Call>();
  const stateOf = (call: Call, who: Session) => call.participants.find((p) => p.userId === who.user.id)?.state;
  const callLines = async (who: Session, conversationId: string) =>
    (await as(t, who).get(`/conversations/${conversationId}/messages`))
      .json<{ items: Message[] }>()
      .items.filter((m) => m.system?.event === 'call.ended');

  it("Kim's phone and laptop both go: after the grace she has left, Sam hears the call end, the thread logs it", async () => {
    const chat = (
      await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id })
    ).json<Conversation>();
    const sam = await socketOf(desk.sam);
    const phone = await readySocket(base, desk.kim);
    const laptop = await readySocket(base, desk.kim);
    const call = await start(desk.sam, chat.id);
    await join(desk.kim, call);

    // The phone drops: her laptop is still there, so she is still in the call.
    await phone.close();
    await pastTheGrace();
    expect(stateOf(await read(call), desk.kim)).toBe('joined');

    await laptop.close();
    const { call: ended } = await sam.next('call.updated', (f) => f.call.id === call.id && f.call.state === 'ended');
    expect(ended.endReason).toBe('completed');
    expect(stateOf(ended, desk.kim)).toBe('left');
    expect(await callLines(desk.sam, chat.id)).toMatchObject([
      { kind: 'system', system: { event: 'call.ended', params: { kind: 'voice', outcome: 'completed' } } },
    ]);
  });

  it("Kim loses her only connection for a moment (past presence, within the call's grace): she is still in the call", async () => {
    const chat = (
      await as(t, desk.kim).post('/conversations/direct', { userId: desk.otto.user.id })
    ).json<Conversation>();
    await socketOf(desk.otto);
    const phone = await readySocket(base, desk.kim);
    const call = await start(desk.otto, chat.id);
    await join(desk.kim, call);

    // Her phone changes networks: offline to everyone for a while, then back.
    await phone.close();
    await sleep(GRACE_MS * 4);
    await socketOf(desk.kim);
    await pastTheGrace();
    expect(await read(call, desk.otto)).toMatchObject({ state: 'active' });
    expect(stateOf(await read(call, desk.otto), desk.kim)).toBe('joined');
    await as(t, desk.otto).post(`/calls/${call.id}/leave`, {});
  });

  it("Nia's node dies, so no 'offline' ever comes for her: the sweep finds her gone, and she leaves", async () => {
    const nia = await signUp(t, 'agent', { displayName: 'Nia Agent' });
    const chat = (await as(t, desk.sam).post('/conversations/direct', { userId: nia.user.id })).json<Conversation>();
    const sam = await socketOf(desk.sam);
    const call = await start(desk.sam, chat.id);
    // She answered from a node that is gone now: joined, without a socket anywhere.
    await join(nia, call);

    const { call: ended } = await sam.next(
      'call.updated',
      (f) => f.call.id === call.id && f.call.state === 'ended',
      SWEEP_MS + DROP_MS + 3_000,
    );
    expect(ended.endReason).toBe('completed');
    expect(stateOf(ended, nia)).toBe('left');
    expect(await callLines(desk.sam, chat.id)).toHaveLength(1);
  });

  it('in a group call, who goes is left and the others talk on; who is only ringing rings on', async () => {
    const lee = await signUp(t, 'agent', { displayName: 'Lee Agent' });
    const group = (
      await as(t, desk.sam).post('/conversations/groups', {
        title: 'Standup',
        memberIds: [desk.kim.user.id, desk.otto.user.id, lee.user.id],
      })
    ).json<Conversation>();
    const sam = await socketOf(desk.sam);
    await socketOf(lee);
    const kim = await readySocket(base, desk.kim);
    const otto = await readySocket(base, desk.otto);
    const call = await start(desk.sam, group.id);
    await join(desk.kim, call);
    await join(lee, call);

    await Promise.all([kim.close(), otto.close()]);
    const { call: after } = await sam.next(
      'call.updated',
      (f) => f.call.id === call.id && stateOf(f.call, desk.kim) === 'left',
    );
    expect(after.state).toBe('active');
    expect(stateOf(after, desk.sam)).toBe('joined');
    expect(stateOf(after, lee)).toBe('joined');
    // Otto never answered: he is not "gone from" the call; the ring-out decides for him.
    await pastTheGrace();
    expect(stateOf(await read(call), desk.otto)).toBe('ringing');
    for (const who of [desk.sam, lee]) await as(t, who).post(`/calls/${call.id}/leave`, {});
  });

  it('a second offline for the same absence (two nodes both saw it) changes nothing', async () => {
    const chat = (
      await as(t, desk.admin).post('/conversations/direct', { userId: desk.otto.user.id })
    ).json<Conversation>();
    const call = await start(desk.admin, chat.id);
    await join(desk.otto, call);
    const published: DomainEvent[] = [];
    const events = createLocalBus();
    events.subscribe((event) => published.push(event));
    const deps: ServiceDeps = { db: t.database.db, clock: systemClock, events, reactions: t.app.reactions };
    const ws = { workspaceId: desk.otto.user.workspace.id };

    // Both at once, then once more after.
    await Promise.all([
      leaveCallsOfAbsent(deps, ws, desk.otto.user.id),
      leaveCallsOfAbsent(deps, ws, desk.otto.user.id),
    ]);
    await leaveCallsOfAbsent(deps, ws, desk.otto.user.id);
    await new Promise((resolve) => setImmediate(resolve)); // the bus delivers on the next turn

    expect(await read(call, desk.admin)).toMatchObject({ state: 'ended', endReason: 'completed' });
    expect(published.map((e) => e.type).sort()).toEqual(['call.updated', 'message.created']);
    expect(await callLines(desk.admin, chat.id)).toHaveLength(1);
  });
});
