import { CLOSE_CODES, type Session, type Ticket } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';

/** What the node holds for its sockets, as an operator reads it on /metrics. */
async function gauges(t: TestApp): Promise<Record<string, number>> {
  const text = (await t.app.inject({ method: 'GET', url: '/metrics' })).body;
  const values: Record<string, number> = {};
  for (const [, name, value] of text.matchAll(/^(parley_ws_\w+) (\S+)$/gm)) values[name!] = Number(value);
  return values;
}

/** Polls until `check` passes (state that settles after a socket closes), or fails with its last error. */
async function eventually(check: () => Promise<void>, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`realtime memory and liveness on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  const sockets: TestSocket[] = [];
  const open = async (who: { accessToken: string }) => {
    const socket = await connectSocket(base, who.accessToken);
    sockets.push(socket);
    await socket.next('ready');
    return socket;
  };
  beforeAll(async () => {
    t = await startTestApp({
      realtime: {
        presenceGraceMs: 50,
        framesPerSecond: 1000,
        burst: 1000,
        maxBufferedBytes: 64 * 1024,
        maxBacklogBytes: 256 * 1024,
        maxSubscriptions: 3,
      },
    });
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
    await eventually(async () =>
      expect(await gauges(t)).toMatchObject({ parley_ws_open_sockets: 0, parley_ws_watched_users: 0 }),
    );
  });
  afterAll(() => t.close());

  it('[RT-LIMITS] closes with 4413 a client that floods frames while a replay waits on it', async () => {
    // ~9 MB of history: more than the kernel's buffers hold, so the replay waits on the reader.
    const body = '€'.repeat(10_000);
    for (let i = 0; i < 300; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) =>
          as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
            clientMsgId: `history-${i + k}`,
            body,
          }),
        ),
      );
    }
    const reader = await open(desk.sam);
    const raw = (reader.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause(); // stops reading: the replay below stalls on it
    reader.send({ type: 'subscribe', conversationId: ticket.conversationId, afterSeq: 0 });
    const junk = 'x'.repeat(60_000);
    for (let i = 0; i < 40; i++) reader.sendRaw(junk); // 2.4 MB the server could only queue
    await sleep(200);
    raw.resume();
    expect((await reader.closed).code).toBe(CLOSE_CODES.backlogFull);
    await eventually(async () =>
      expect(await gauges(t)).toMatchObject({ parley_ws_open_sockets: 0, parley_ws_backlog_bytes: 0 }),
    );
  }, 60_000);

  it('[RT-AUTH] a socket that closes while signing in leaves its user offline and nothing behind', async () => {
    const [eve, fred] = [await signUp(t, 'customer'), await signUp(t, 'customer')];
    const request = (await as(t, eve).post('/friend-requests', { userId: fred.user.id })).json();
    await as(t, fred).post(`/friend-requests/${request.id}/accept`);
    const fredSocket = await open(fred);
    // Each closes at once, while the server is still checking its token or setting it up.
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const socket = await connectSocket(base, eve.accessToken);
        socket.ws.terminate();
        await socket.closed;
      }),
    );
    await sleep(300); // past the presence grace: every socket of Eve is gone
    fredSocket.send({ type: 'ping' });
    await fredSocket.next('pong');
    const eves = fredSocket.all('presence').filter((p) => p.userId === eve.user.id);
    expect(eves.at(-1)?.status ?? 'offline').toBe('offline');
    await fredSocket.close();
    await eventually(async () =>
      expect(await gauges(t)).toMatchObject({ parley_ws_open_sockets: 0, parley_ws_users: 0 }),
    );
  });

  it('[RT-PRESENCE] after unsubscribe, a co-member’s presence no longer arrives and the index empties', async () => {
    const sam = await open(desk.sam);
    const kim = await open(desk.kim);
    for (const agent of [sam, kim]) {
      agent.send({ type: 'subscribe', conversationId: ticket.conversationId });
      await agent.next('subscribed');
    }
    const carla = await open(desk.carla);
    await sam.next('presence', (p) => p.userId === desk.carla.user.id && p.status === 'online');
    sam.send({ type: 'unsubscribe', conversationId: ticket.conversationId });
    await sam.next('unsubscribed');
    carla.send({ type: 'presence', status: 'away' });
    await kim.next('presence', (p) => p.userId === desk.carla.user.id && p.status === 'away');
    expect(sam.all('presence').filter((p) => p.status === 'away')).toEqual([]);

    kim.send({ type: 'unsubscribe', conversationId: ticket.conversationId });
    await kim.next('unsubscribed');
    expect(await gauges(t)).toMatchObject({ parley_ws_conversations: 0, parley_ws_subscriptions: 0 });
  });

  it('[RT-LIMITS] a socket follows at most so many conversations at once', async () => {
    const tickets = await Promise.all(Array.from({ length: 4 }, () => openTicket(t, desk.dan)));
    const dan = await open(desk.dan);
    for (const [i, { conversationId }] of tickets.entries()) {
      dan.send({ type: 'subscribe', conversationId, ref: `s${i}` });
    }
    expect(await dan.next('error')).toMatchObject({ code: 'bad_request', ref: 's3' });
    expect(dan.all('subscribed')).toHaveLength(3);
    dan.send({ type: 'unsubscribe', conversationId: tickets[0]!.conversationId });
    dan.send({ type: 'subscribe', conversationId: tickets[3]!.conversationId });
    await dan.next('subscribed', (f) => f.conversationId === tickets[3]!.conversationId);
  });

  it('[RT-SUB] a subscribe whose replay fails is answered with an error and leaves no subscription', async () => {
    const sam = await open(desk.sam);
    // A real fault in the middle of the subscribe: access is checked, then the replay's read fails.
    await sql`ALTER TABLE messages RENAME TO messages_away`.execute(t.database.db);
    try {
      sam.send({ type: 'subscribe', conversationId: ticket.conversationId, afterSeq: 0, ref: 'doomed' });
      expect(await sam.next('error')).toMatchObject({ code: 'internal', ref: 'doomed' });
    } finally {
      await sql`ALTER TABLE messages_away RENAME TO messages`.execute(t.database.db);
    }
    await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'after-the-fault',
      body: 'Anyone?',
    });
    expect(await gauges(t)).toMatchObject({ parley_ws_subscriptions: 0, parley_ws_pending_events: 0 });
    sam.send({ type: 'subscribe', conversationId: ticket.conversationId, afterSeq: 0 });
    await sam.next('subscribed');
    expect(sam.all('message').at(-1)?.message.body).toBe('Anyone?');
  });

  it('[RT-SUB] one subscribe frame names many conversations, each answered on its own', async () => {
    const mine = await Promise.all([openTicket(t, desk.carla), openTicket(t, desk.carla)]);
    const danTicket = await openTicket(t, desk.dan);
    const carla = await open(desk.carla);
    carla.send({
      type: 'subscribe',
      ref: 'batch',
      conversations: [
        { conversationId: mine[0]!.conversationId, afterSeq: 0 },
        { conversationId: danTicket.conversationId },
        { conversationId: mine[1]!.conversationId },
      ],
    });
    expect(await carla.next('error')).toMatchObject({
      code: 'not_found',
      ref: 'batch',
      conversationId: danTicket.conversationId,
    });
    await carla.next('subscribed', (f) => f.conversationId === mine[1]!.conversationId);
    expect(carla.all('subscribed').map((f) => f.conversationId)).toEqual(mine.map((m) => m.conversationId));
    carla.send({ type: 'subscribe', ref: 'both', conversationId: mine[0]!.conversationId, conversations: [] });
    expect(await carla.next('error')).toMatchObject({ code: 'validation_failed', ref: 'both' });
  });
});

describe(`realtime writes share the user's write limit on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let carla: Session;
  let ticket: Ticket;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_WRITES_PER_MINUTE: '6' } });
    base = await listen(t);
    carla = await signUp(t, 'customer');
    ticket = await openTicket(t, carla); // write 1
  });
  afterAll(() => t.close());

  it('[RT-LIMITS] one budget for REST and every socket of the user; presence flips spend it too', async () => {
    const [phone, laptop] = [
      await connectSocket(base, carla.accessToken),
      await connectSocket(base, carla.accessToken),
    ];
    await Promise.all([phone.next('ready'), laptop.next('ready')]);
    const { conversationId } = ticket;
    await as(t, carla).post(`/conversations/${conversationId}/messages`, { clientMsgId: 'rest-1', body: 'a' }); // 2
    phone.send({ type: 'message.send', conversationId, clientMsgId: 'phone-1', body: 'b' }); // 3
    const { messageId, seq } = await phone.next('ack');
    laptop.send({ type: 'message.send', conversationId, clientMsgId: 'laptop-1', body: 'c' }); // 4
    await laptop.next('ack');
    laptop.send({ type: 'reaction', conversationId, messageId, emoji: '👍' }); // 5
    laptop.send({ type: 'read', conversationId, seq }); // 6
    laptop.send({ type: 'presence', status: 'away', ref: 'away' }); // over
    expect(await laptop.next('error')).toMatchObject({ code: 'rate_limited', ref: 'away' });
    phone.send({ type: 'message.send', conversationId, clientMsgId: 'phone-2', body: 'd', ref: 'over' });
    expect(await phone.next('error')).toMatchObject({ code: 'rate_limited', ref: 'over' });
    const rest = await as(t, carla).post(`/conversations/${conversationId}/messages`, { clientMsgId: 'r2', body: 'e' });
    expect(rest.statusCode).toBe(429);
    expect(phone.all('ack')).toHaveLength(1);
    await Promise.all([phone.close(), laptop.close()]);
  });
});
