import type { Call, Conversation, Message, ServerFrame } from '@parley/protocol';
import { CALL_RING_SECONDS, MAX_IN_CALL } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

type CallFrame = Extract<ServerFrame, { type: 'call.updated' }>;

describe(`calls on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  const clock = manualClock();
  const sockets: TestSocket[] = [];
  const socketOf = async (who: { accessToken: string }) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await t?.close();
  });

  const direct = async (from: Desk['sam'], to: Desk['kim']) =>
    (await as(t, from).post('/conversations/direct', { userId: to.user.id })).json<Conversation>();
  const start = (who: Desk['sam'], conversationId: string, kind: 'voice' | 'video' = 'voice') =>
    as(t, who).post(`/conversations/${conversationId}/calls`, { kind });
  const act = (who: Desk['sam'], callId: string, action: 'join' | 'decline' | 'leave') =>
    as(t, who).post(`/calls/${callId}/${action}`, {});
  const states = (call: Call) => Object.fromEntries(call.participants.map((p) => [p.userId, p.state]));
  const lastLine = async (who: Desk['sam'], conversationId: string) => {
    const page = (await as(t, who).get(`/conversations/${conversationId}/messages`)).json<{ items: Message[] }>();
    return page.items.at(-1)!;
  };

  it('Sam calls Kim: both her devices ring, she answers on one, the other stops; his hang-up logs the call', async () => {
    const chat = await direct(desk.sam, desk.kim);
    const phone = await socketOf(desk.kim);
    const laptop = await socketOf(desk.kim);
    const started = await start(desk.sam, chat.id, 'video');
    expect(started.statusCode, started.body).toBe(201);
    const call = started.json<Call>();
    expect(call).toMatchObject({ kind: 'video', state: 'ringing', startedBy: desk.sam.user.id });
    expect(states(call)).toEqual({ [desk.sam.user.id]: 'joined', [desk.kim.user.id]: 'ringing' });
    for (const device of [phone, laptop]) {
      await device.next('call.updated', (f) => (f as CallFrame).call.id === call.id && f.call.state === 'ringing');
    }

    clock.advance(4_000);
    const answered = (await act(desk.kim, call.id, 'join')).json<Call>();
    expect(answered).toMatchObject({ state: 'active', answeredAt: new Date(clock.now()).toISOString() });
    // The laptop hears that she answered elsewhere: it stops ringing.
    await laptop.next('call.updated', (f) => (f as CallFrame).call.id === call.id && f.call.state === 'active');
    // "Join here" on the laptop: the call moves there, and every device hears of it (a new join time).
    clock.advance(1_000);
    const moved = (await act(desk.kim, call.id, 'join')).json<Call>();
    expect(moved.version).toBe(answered.version + 1);
    const kimIn = (c: Call) => c.participants.find((p) => p.userId === desk.kim.user.id)!;
    expect(kimIn(moved)).toEqual({
      userId: desk.kim.user.id,
      state: 'joined',
      joinedAt: new Date(clock.now()).toISOString(),
    });
    for (const device of [phone, laptop]) {
      await device.next(
        'call.updated',
        (f) => (f as CallFrame).call.id === call.id && f.call.version === moved.version,
      );
    }

    clock.advance(74_000);
    const ended = (await act(desk.sam, call.id, 'leave')).json<Call>();
    expect(ended).toMatchObject({ state: 'ended', endReason: 'completed' });
    await phone.next('call.updated', (f) => (f as CallFrame).call.id === call.id && f.call.state === 'ended');
    const line = await lastLine(desk.kim, chat.id);
    expect(line).toMatchObject({
      kind: 'system',
      body: 'Sam Agent made a video call (1:15)',
      system: { event: 'call.ended', params: { kind: 'video', outcome: 'completed', durationSeconds: 75 } },
    });
    // Once it is over, hanging up again is refused: there is nothing left to hang up.
    expect((await act(desk.kim, call.id, 'leave')).statusCode).toBe(409);
  });

  it(`nobody answers: after ${CALL_RING_SECONDS} s it rings out as missed, in the thread too`, async () => {
    const chat = await direct(desk.sam, desk.otto);
    const call = (await start(desk.sam, chat.id)).json<Call>();
    clock.advance(CALL_RING_SECONDS * 1000 - 1);
    await t.app.jobs.runDueJobs();
    expect((await as(t, desk.sam).get(`/calls/${call.id}`)).json<Call>().state).toBe('ringing');
    clock.advance(1);
    await t.app.jobs.runDueJobs();
    const after = (await as(t, desk.otto).get(`/calls/${call.id}`)).json<Call>();
    expect(after).toMatchObject({ state: 'ended', endReason: 'missed' });
    expect(states(after)[desk.otto.user.id]).toBe('missed');
    expect((await lastLine(desk.otto, chat.id)).body).toBe('Sam Agent made a call: missed');
  });

  it('one call per conversation; someone in another call is busy; a decline ends a call to one person', async () => {
    const chat = await direct(desk.kim, desk.otto);
    const call = (await start(desk.kim, chat.id)).json<Call>();
    const again = await start(desk.otto, chat.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'conflict', details: { callId: call.id } } });
    await act(desk.otto, call.id, 'join');

    // Kim and Otto are talking: Sam's call to Kim finds her busy, and ends there.
    const other = await direct(desk.sam, desk.kim);
    const busy = (await start(desk.sam, other.id)).json<Call>();
    expect(busy).toMatchObject({ state: 'ended', endReason: 'declined' });
    expect(states(busy)[desk.kim.user.id]).toBe('busy');
    await act(desk.otto, call.id, 'leave');

    const next = (await start(desk.sam, other.id)).json<Call>();
    const declined = (await act(desk.kim, next.id, 'decline')).json<Call>();
    expect(declined).toMatchObject({ state: 'ended', endReason: 'declined' });
    expect((await lastLine(desk.sam, other.id)).body).toBe('Sam Agent made a call: declined');
  });

  it(`a group call takes ${MAX_IN_CALL} people; the fifth hears it is full until someone leaves`, async () => {
    const extra = await signUp(t, 'agent', { displayName: 'Lee Agent' });
    const group = (
      await as(t, desk.sam).post('/conversations/groups', {
        title: 'Standup',
        memberIds: [desk.kim.user.id, desk.otto.user.id, desk.admin.user.id, extra.user.id],
      })
    ).json<Conversation>();
    const call = (await start(desk.sam, group.id)).json<Call>();
    expect(call.participants).toHaveLength(5);
    for (const who of [desk.kim, desk.otto, desk.admin]) expect((await act(who, call.id, 'join')).statusCode).toBe(200);
    const full = await act(extra, call.id, 'join');
    expect(full.statusCode).toBe(409);
    expect(full.json()).toMatchObject({ error: { message: 'The call is full' } });
    await act(desk.otto, call.id, 'leave');
    expect((await act(extra, call.id, 'join')).json<Call>().state).toBe('active');
    for (const who of [desk.sam, desk.kim, desk.admin, extra]) await act(who, call.id, 'leave');
  });

  it('in a ticket, the agent rings the requester and she rings its assignee; nobody else hears of it', async () => {
    const ticket = await openTicket(t, desk.carla, { subject: 'Call me back', teamId: desk.support });
    const none = await start(desk.carla, ticket.conversationId);
    expect(none.statusCode).toBe(409); // no assignee yet: nobody to ring
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    const byCarla = (await start(desk.carla, ticket.conversationId)).json<Call>();
    expect(byCarla.participants.map((p) => p.userId)).toEqual([desk.carla.user.id, desk.sam.user.id]);
    await act(desk.carla, byCarla.id, 'leave');
    const bySam = (await start(desk.sam, ticket.conversationId)).json<Call>();
    expect(bySam.participants.map((p) => p.userId)).toEqual([desk.sam.user.id, desk.carla.user.id]);
    // Dan is in none of it: the call does not exist for him, and he cannot ring in Carla's ticket.
    expect((await as(t, desk.dan).get(`/calls/${bySam.id}`)).statusCode).toBe(404);
    expect((await act(desk.dan, bySam.id, 'join')).statusCode).toBe(404);
    expect((await start(desk.dan, ticket.conversationId)).statusCode).toBe(404);
    expect((await as(t, desk.carla).get('/calls')).json<{ items: Call[] }>().items.map((c) => c.id)).toEqual([
      bySam.id,
    ]);
    await act(desk.sam, bySam.id, 'leave');
    expect((await as(t, desk.carla).get('/calls')).json()).toEqual({ items: [] });
  });

  it('answering on two devices at once, or answering while the caller hangs up, settles one way', async () => {
    const chat = await direct(desk.admin, desk.kim);
    const call = (await start(desk.admin, chat.id)).json<Call>();
    const both = await Promise.all([act(desk.kim, call.id, 'join'), act(desk.kim, call.id, 'join')]);
    expect(both.map((r) => r.statusCode)).toEqual([200, 200]);
    const now = (await as(t, desk.kim).get(`/calls/${call.id}`)).json<Call>();
    expect(now).toMatchObject({ state: 'active' });
    await act(desk.kim, call.id, 'leave');

    const race = (await start(desk.admin, chat.id)).json<Call>();
    const [join, leave] = await Promise.all([act(desk.kim, race.id, 'join'), act(desk.admin, race.id, 'leave')]);
    const final = (await as(t, desk.admin).get(`/calls/${race.id}`)).json<Call>();
    expect(final.state).toBe('ended');
    // Either she answered first (then his hang-up ended a completed call) or he called it off first.
    if (join.statusCode === 200) expect(['completed', 'cancelled']).toContain(final.endReason);
    else expect(final.endReason).toBe('cancelled');
    expect(leave.statusCode).toBe(200);
    const lines = (await as(t, desk.admin).get(`/conversations/${chat.id}/messages`)).json<{ items: Message[] }>();
    expect(lines.items.filter((m) => m.system?.event === 'call.ended')).toHaveLength(2);
  });
});
