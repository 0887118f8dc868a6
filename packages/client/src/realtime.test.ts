import type { Message, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { buildApp } from '../../../apps/server/src/app';
import { bearer, listen, startTestApp, type TestApp } from '../../../apps/server/src/testing/test-app';
import { openTicket, setUpDesk } from '../../../apps/server/src/testing/test-desk';
import type { ZodApp } from '../../../apps/server/src/http/zod-app';
import { Outbox } from './outbox';
import { RealtimeSession, type RealtimeStatus } from './realtime';
import { memoryStorage, type KeyValueStorage } from './storage';

describe('the realtime session and the outbox, against a real server', () => {
  let t: TestApp;
  /** The app currently serving; replaced when a test restarts the server. */
  let app: ZodApp;
  let baseUrl: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let thread: string;
  const opened: RealtimeSession[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    app = t.app;
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
    thread = (await openTicket(t, desk.carla, { teamId: desk.support })).conversationId;
  });
  afterEach(() => {
    for (const session of opened.splice(0)) session.close();
  });
  afterAll(async () => {
    if (app !== t.app) await app.close();
    await t.close();
  });

  function sessionOf(who: Session, options: { heartbeatMs?: number } = {}) {
    const session = new RealtimeSession({
      baseUrl,
      getToken: async () => who.accessToken,
      WebSocket: WebSocket,
      backoff: { initialMs: 20, maxMs: 200 },
      ...options,
    });
    opened.push(session);
    return session;
  }

  const until = (session: RealtimeSession, status: RealtimeStatus) =>
    new Promise<void>((resolve) => {
      if (session.status === status) return resolve();
      const off = session.on('status', (s) => s === status && (off(), resolve()));
    });

  /** Collects the messages a session receives in a conversation. */
  function inbox(session: RealtimeSession) {
    const messages: Message[] = [];
    session.on('message', (frame) => messages.push(frame.message));
    return {
      messages,
      bodies: () => messages.map((m) => m.body),
      waitFor: (count: number) =>
        new Promise<void>((resolve, reject) => {
          const deadline = setTimeout(() => reject(new Error(`got ${messages.length}, wanted ${count}`)), 8_000);
          const check = () => messages.length >= count && (clearTimeout(deadline), resolve());
          check();
          session.on('message', check);
        }),
    };
  }

  const postAs = (who: Session, body: string) =>
    app.inject({
      method: 'POST',
      url: `/conversations/${thread}/messages`,
      headers: bearer(who),
      payload: { clientMsgId: `rest-${body.replace(/\W/g, '-')}`, body },
    });

  async function outboxOf(who: Session, storage: KeyValueStorage) {
    const session = sessionOf(who);
    const outbox = new Outbox(session, storage);
    await outbox.load();
    return { session, outbox };
  }

  it('a message written while disconnected is delivered exactly once after reconnecting', async () => {
    const sam = sessionOf(desk.sam);
    const seen = inbox(sam);
    sam.connect();
    sam.subscribe(thread);
    await new Promise<void>((resolve) => sam.on('subscribed', () => resolve()));

    const storage = memoryStorage();
    const { session: carla, outbox } = await outboxOf(desk.carla, storage);
    const sent: string[] = [];
    outbox.on('sent', ({ message }) => sent.push(message.body));
    const pending = await outbox.send(thread, 'Typed on the train');
    expect(pending.state).toBe('pending');
    expect(outbox.list()).toHaveLength(1);

    carla.connect();
    await seen.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for a wrong duplicate to show up
    expect(seen.bodies()).toEqual(['Typed on the train']);
    expect(sent).toEqual(['Typed on the train']);
    expect(outbox.list()).toEqual([]);
    expect(await storage.getItem('parley.outbox')).toBe('[]');
  });

  it('a client restarted with a non-empty outbox delivers it, once, in order', async () => {
    const sam = sessionOf(desk.sam);
    const seen = inbox(sam);
    sam.connect();
    sam.subscribe(thread);
    await new Promise<void>((resolve) => sam.on('subscribed', () => resolve()));

    const storage = memoryStorage();
    const before = await outboxOf(desk.carla, storage);
    for (const body of ['one', 'two', 'three']) await before.outbox.send(thread, body);
    // The app dies before it ever connects; the next run finds the outbox in storage.
    const after = await outboxOf(desk.carla, storage);
    expect(after.outbox.list().map((m) => m.body)).toEqual(['one', 'two', 'three']);
    after.session.connect();
    await seen.waitFor(3);
    // The first run comes back too (say, a second tab): the server's dedup keeps it exactly once.
    before.session.connect();
    await until(before.session, 'open');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.bodies()).toEqual(['one', 'two', 'three']);
  });

  it('a refused message is marked failed with the reason, and the rest still go', async () => {
    const { session, outbox } = await outboxOf(desk.dan, memoryStorage());
    const danThread = (await openTicket(t, desk.dan)).conversationId;
    session.connect();
    await outbox.send(thread, 'Not my ticket');
    await outbox.send(danThread, 'My own ticket');
    await new Promise<void>((resolve) => {
      const check = () => outbox.list().every((m) => m.state === 'failed') && resolve();
      outbox.on('change', check);
      check();
    });
    expect(outbox.list()).toMatchObject([{ body: 'Not my ticket', state: 'failed', error: { code: 'not_found' } }]);
  });

  it('resumes across a server restart with no gap and no duplicate', async () => {
    const sam = sessionOf(desk.sam);
    const seen = inbox(sam);
    const statuses: RealtimeStatus[] = [];
    sam.on('status', (s) => statuses.push(s));
    sam.connect();
    sam.subscribe(thread);
    await new Promise<void>((resolve) => sam.on('subscribed', () => resolve()));
    const start = seen.messages.length;

    for (let i = 1; i <= 5; i++) await postAs(desk.carla, `before restart ${i}`);
    await seen.waitFor(start + 5);

    // The server goes down (1012) and comes back on the same port and database.
    const port = Number(new URL(baseUrl).port);
    await app.close();
    app = await buildApp({ config: t.config, database: t.database });
    for (let i = 1; i <= 5; i++) await postAs(desk.carla, `while away ${i}`);
    await app.listen({ host: '127.0.0.1', port });
    await until(sam, 'open');
    for (let i = 1; i <= 5; i++) await postAs(desk.carla, `after restart ${i}`);

    await seen.waitFor(start + 15);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fresh = seen.messages.slice(start);
    expect(fresh.map((m) => m.body)).toEqual([
      ...[1, 2, 3, 4, 5].map((i) => `before restart ${i}`),
      ...[1, 2, 3, 4, 5].map((i) => `while away ${i}`),
      ...[1, 2, 3, 4, 5].map((i) => `after restart ${i}`),
    ]);
    const seqs = fresh.map((m) => m.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(statuses).toContain('reconnecting');
  });

  it('notices a dead link by its heartbeat and reconnects', async () => {
    const sam = sessionOf(desk.sam, { heartbeatMs: 50 });
    sam.connect();
    await until(sam, 'open');
    // Silence the server side of this socket without closing it: frames stop arriving.
    const statuses: RealtimeStatus[] = [];
    sam.on('status', (s) => statuses.push(s));
    (sam as unknown as { socket: { onmessage: unknown } }).socket.onmessage = () => {};
    await until(sam, 'reconnecting');
    await until(sam, 'open');
    expect(statuses.slice(0, 2)).toEqual(['reconnecting', 'open']);
  });

  it('waits while offline and connects when the network is back', async () => {
    let online = false;
    const listeners = new Set<(online: boolean) => void>();
    const session = new RealtimeSession({
      baseUrl,
      getToken: async () => desk.kim.accessToken,
      WebSocket: WebSocket,
      network: {
        isOnline: () => online,
        onChange: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
      },
    });
    opened.push(session);
    session.connect();
    expect(session.status).toBe('offline');
    online = true;
    for (const listener of listeners) listener(true);
    await until(session, 'open');
  });

  it('follows a conversation someone else just opened with us, from its first message', async () => {
    const dan = sessionOf(desk.dan);
    const received = inbox(dan);
    const told: string[] = [];
    dan.on('conversation.created', ({ conversation }) => void told.push(conversation.id));
    dan.connect();
    await until(dan, 'open');
    const opened = await app.inject({
      method: 'POST',
      url: '/conversations/direct',
      headers: bearer(desk.sam),
      payload: { userId: desk.dan.user.id },
    });
    const { id } = opened.json<{ id: string }>();
    await app.inject({
      method: 'POST',
      url: `/conversations/${id}/messages`,
      headers: bearer(desk.sam),
      payload: { clientMsgId: 'first-to-dan', body: 'Hello Dan' },
    });
    await received.waitFor(1);
    expect(told).toEqual([id]);
    expect(received.messages.map((m) => [m.conversationId, m.seq, m.body])).toEqual([[id, 1, 'Hello Dan']]);
    expect(dan.lastSeq(id)).toBe(1); // a reconnect resumes it from there
  });

  it('tells of a group it was removed from while offline, once back, and stops asking for it', async () => {
    let online = true;
    const listeners = new Set<(online: boolean) => void>();
    const setOnline = (value: boolean) => {
      online = value;
      for (const listener of listeners) listener(value);
    };
    const kim = new RealtimeSession({
      baseUrl,
      getToken: async () => desk.kim.accessToken,
      WebSocket: WebSocket,
      backoff: { initialMs: 20, maxMs: 200 },
      network: { isOnline: () => online, onChange: (l) => (listeners.add(l), () => listeners.delete(l)) },
    });
    opened.push(kim);
    const created = await app.inject({
      method: 'POST',
      url: '/conversations/groups',
      headers: bearer(desk.sam),
      payload: { title: 'While you were away', memberIds: [desk.kim.user.id] },
    });
    const { id } = created.json<{ id: string }>();
    const removed: string[] = [];
    kim.on('conversation.removed', ({ conversationId }) => void removed.push(conversationId));
    kim.connect();
    kim.subscribe(id);
    await new Promise<void>((resolve) => kim.on('subscribed', (f) => f.conversationId === id && resolve()));
    setOnline(false);
    await until(kim, 'offline');
    const out = await app.inject({
      method: 'DELETE',
      url: `/conversations/${id}/members/${desk.kim.user.id}`,
      headers: bearer(desk.sam),
    });
    expect(out.statusCode).toBe(204);
    setOnline(true);
    await until(kim, 'open');
    await expect.poll(() => removed, { timeout: 5000 }).toEqual([id]);
    expect(kim.lastSeq(id)).toBeNull();
  });

  it('closes quietly when signed out while the socket is still connecting (sign-out right after sign-in)', async () => {
    let made!: () => void;
    const socketMade = new Promise<void>((resolve) => (made = resolve));
    class WatchedSocket extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        made();
      }
    }
    const session = new RealtimeSession({
      baseUrl,
      getToken: async () => desk.kim.accessToken,
      WebSocket: WatchedSocket,
    });
    const errors: unknown[] = [];
    const onError = (error: unknown) => errors.push(error);
    process.on('uncaughtException', onError);
    try {
      session.connect();
      await socketMade;
      expect(session.status).toBe('connecting');
      session.close();
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      process.off('uncaughtException', onError);
    }
    expect(errors).toEqual([]);
    expect(session.status).toBe('closed');
  });

  it('stops when signed out, and asks for a fresh token after a 4401', async () => {
    const asked: boolean[] = [];
    const session = new RealtimeSession({
      baseUrl,
      getToken: async (fresh) => {
        asked.push(fresh);
        return asked.length === 1 ? 'not-a-token' : asked.length === 2 ? desk.kim.accessToken : null;
      },
      WebSocket: WebSocket,
      backoff: { initialMs: 10, maxMs: 10 },
    });
    opened.push(session);
    session.connect();
    await until(session, 'open');
    expect(asked).toEqual([false, true]);
  });
});

describe("the SDK under the server's per-socket rate limit", () => {
  let t: TestApp;
  let baseUrl: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  const opened: RealtimeSession[] = [];

  beforeAll(async () => {
    t = await startTestApp({ realtime: { framesPerSecond: 2, burst: 3 } });
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
  });
  afterEach(() => {
    for (const session of opened.splice(0)) session.close();
  });
  afterAll(() => t.close());

  function sessionOf(who: Session) {
    const session = new RealtimeSession({
      baseUrl,
      getToken: async () => who.accessToken,
      WebSocket: WebSocket,
      backoff: { initialMs: 20, maxMs: 200 },
    });
    opened.push(session);
    return session;
  }
  const open = (session: RealtimeSession) =>
    new Promise<void>((resolve) => {
      if (session.status === 'open') return resolve();
      const off = session.on('status', (s) => s === 'open' && (off(), resolve()));
    });
  const subscribedTo = (session: RealtimeSession, count: number) =>
    new Promise<Set<string>>((resolve) => {
      const ids = new Set<string>();
      session.on('subscribed', (f) => {
        ids.add(f.conversationId);
        if (ids.size === count) resolve(ids);
      });
    });

  it('[RT-SUB] follows 100 conversations at once, and retries a subscribe refused for rate', async () => {
    const conversations = await Promise.all(
      Array.from({ length: 100 }, async () => (await openTicket(t, desk.carla)).conversationId),
    );
    const carla = sessionOf(desk.carla);
    carla.connect();
    await open(carla);
    for (let i = 0; i < 3; i++) carla.send({ type: 'ping' }); // the burst is spent
    const live = subscribedTo(carla, conversations.length);
    const refused: string[] = [];
    carla.on('error', (f) => refused.push(f.code));
    for (const id of conversations) carla.subscribe(id, 0); // as the app does after loading its list
    expect(await live).toEqual(new Set(conversations));
    expect(refused).toContain('rate_limited');
  }, 20_000);

  it('the outbox sends again what the rate limit refused, until every message is acked', async () => {
    const { conversationId } = await openTicket(t, desk.dan);
    const dan = sessionOf(desk.dan);
    const outbox = new Outbox(dan, memoryStorage());
    const sent: string[] = [];
    outbox.on('sent', ({ message }) => sent.push(message.body));
    const bodies = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const body of bodies) await outbox.send(conversationId, body);
    dan.connect();
    await new Promise<void>((resolve) => outbox.on('change', (list) => list.length === 0 && resolve()));
    expect([...sent].sort()).toEqual([...bodies].sort());
  }, 20_000);
});

describe('read receipts under the per-user write limit', () => {
  let t: TestApp;
  let baseUrl: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  const opened: RealtimeSession[] = [];

  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_WRITES_PER_MINUTE: '8' } });
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
  });
  afterEach(() => {
    for (const session of opened.splice(0)) session.close();
  });
  afterAll(() => t.close());

  async function connected(who: Session) {
    const session = new RealtimeSession({ baseUrl, getToken: async () => who.accessToken, WebSocket: WebSocket });
    opened.push(session);
    session.connect();
    await new Promise<void>((resolve) => session.on('status', (s) => s === 'open' && resolve()));
    return session;
  }

  it('a reader of a busy thread sends one read a second, so her own messages still go out', async () => {
    const { conversationId } = await openTicket(t, desk.carla, { teamId: desk.support });
    const post = (who: Session, body: string) =>
      t.app.inject({
        method: 'POST',
        url: `/conversations/${conversationId}/messages`,
        headers: bearer(who),
        payload: { clientMsgId: `read-limit-${body}`, body },
      });
    for (const body of ['one', 'two', 'three']) expect((await post(desk.sam, body)).statusCode).toBe(201);

    const sam = await connected(desk.sam);
    const receipts: number[] = [];
    sam.on('read', (f) => f.userId === desk.carla.user.id && receipts.push(f.seq));
    sam.subscribe(conversationId);
    await new Promise<void>((resolve) => sam.on('subscribed', () => resolve()));

    const carla = await connected(desk.carla);
    // As the chat screen does while messages stream in: a read for every one of them.
    for (let i = 0; i < 30; i++) carla.markRead(conversationId, 1 + (i % 3));
    await expect.poll(() => receipts.at(-1), { timeout: 5_000 }).toBe(3);
    expect(receipts.length).toBeLessThanOrEqual(2);

    expect((await post(desk.carla, 'still-mine')).statusCode).toBe(201);
  });
});
