import { CLOSE_CODES, type Session, type Ticket } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, registerUser, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';

const sockets: TestSocket[] = [];
const open = async (base: string, who: { accessToken: string }) => {
  const socket = await connectSocket(base, who.accessToken);
  sockets.push(socket);
  await socket.next('ready');
  return socket;
};
afterEach(async () => {
  await Promise.all(sockets.splice(0).map((s) => s.close()));
});

describe(`realtime notifications on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
  });
  afterAll(() => t.close());

  it('[RT-LIVE] tells an agent at once that a ticket was assigned to them', async () => {
    const kim = await open(base, desk.kim);
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.kim.user.id });
    // (Kim may first hear of the new ticket itself: her team's.)
    const { notification } = await kim.next('notification', (f) => f.notification.kind === 'ticket.assigned');
    expect(notification).toMatchObject({
      kind: 'ticket.assigned',
      data: { ticketId: ticket.id, byUserId: desk.sam.user.id },
      readAt: null,
    });
  });
});

describe(`realtime token expiry on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '3' } });
    base = await listen(t);
  });
  afterAll(() => t.close());

  it('[RT-AUTH] closes with 4401 when the token expires, unless the client re-authenticates in-band', async () => {
    const ann = await registerUser(t.app);
    const renewing = await open(base, ann);
    const lapsing = await open(base, ann);
    // Token times have one-second resolution: renew once a new second has begun.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const refreshed = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: ann.refreshToken },
    });
    renewing.send({ type: 'auth', token: refreshed.json().accessToken });
    expect(await lapsing.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'Access token expired' });
    renewing.send({ type: 'ping', ref: 'after-expiry' });
    expect(await renewing.next('pong')).toEqual({ type: 'pong', ref: 'after-expiry' });
  });
});

describe(`realtime abuse limits on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let carla: Session;
  let agent: Session;
  let ticket: Ticket;
  beforeAll(async () => {
    t = await startTestApp({ realtime: { framesPerSecond: 5, burst: 5, maxStrikes: 10, maxBufferedBytes: 64 * 1024 } });
    base = await listen(t);
    const desk = await setUpDesk(t);
    carla = desk.carla;
    agent = desk.admin;
    ticket = await openTicket(t, carla);
  });
  afterAll(() => t.close());

  it('[RT-LIMITS] answers a flood with rate_limited errors, then closes with 4429', async () => {
    const socket = await open(base, carla);
    for (let i = 0; i < 30; i++) socket.send({ type: 'ping', ref: `p${i}` });
    expect((await socket.next('error')).code).toBe('rate_limited');
    expect((await socket.closed).code).toBe(CLOSE_CODES.rateLimited);
    expect(socket.all('pong').length).toBeLessThanOrEqual(6);
  });

  it('[RT-LIMITS] cuts a client that stops reading live traffic (4408); it resumes from its last seq', async () => {
    const slow = await open(base, agent);
    slow.send({ type: 'subscribe', conversationId: ticket.conversationId });
    const { lastSeq: before } = await slow.next('subscribed');
    const raw = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause(); // stop reading: the server's buffer for this socket fills up
    const total = 600; // ~6 MB: more than the kernel's buffers hold
    const body = 'x'.repeat(10_000);
    for (let i = 0; i < total; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          as(t, carla).post(`/conversations/${ticket.conversationId}/messages`, {
            clientMsgId: `flood-${i + k}`,
            body,
          }),
        ),
      );
    }
    raw.resume();
    expect((await slow.closed).code).toBe(CLOSE_CODES.tooSlow);
    const lastSeen = Math.max(before, ...slow.all('message').map((m) => m.message.seq));
    expect(lastSeen).toBeLessThan(before + total);

    // Back again: the missed history is replayed at the pace the client reads, without a cut.
    const again = await open(base, agent);
    again.send({ type: 'subscribe', conversationId: ticket.conversationId, afterSeq: lastSeen });
    expect((await again.next('subscribed', undefined, 30_000)).lastSeq).toBe(before + total);
    const seqs = again.all('message').map((m) => m.message.seq);
    expect(seqs).toEqual(Array.from({ length: before + total - lastSeen }, (_, i) => lastSeen + 1 + i));
  }, 60_000);
});
