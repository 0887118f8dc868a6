import {
  MAX_SEQ,
  type Conversation,
  type Message,
  type ServerFrame,
  type Session,
  type Ticket,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

/**
 * [RT-NOTE] A customer sees no trace of an internal note: every field, order and count they can
 * read is byte for byte what it was before staff wrote (and read) notes on their ticket.
 */
describe(`internal notes leave no trace for customers on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  /** Carla's older ticket (where staff write notes) and her newer one. */
  let older: Ticket, newer: Ticket;
  const sockets: TestSocket[] = [];
  let n = 0;
  const id = () => `note-${++n}`;

  const say = (who: Session, ticket: Ticket, body: string, internal = false) => {
    clock.advance(1000);
    return as(t, who).post(`/conversations/${ticket.conversationId}/messages`, { clientMsgId: id(), body, internal });
  };
  const open = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };
  /** Every frame a fresh socket gets for a subscribe (with or without a replay), up to `subscribed`. */
  const subscribeFrames = async (who: Session, afterSeq?: number) => {
    const socket = await open(who);
    socket.send({
      type: 'subscribe',
      conversationId: older.conversationId,
      ...(afterSeq !== undefined && { afterSeq }),
    });
    await socket.next('subscribed');
    await settle(socket);
    return socket.frames.filter((f) => f.type !== 'ready' && f.type !== 'pong');
  };
  /** Everything Carla can read about her tickets, as the bytes she gets. */
  const carlasView = async () => {
    const get = async (url: string) => (await as(t, desk.carla).get(url)).body;
    const conversation = `/conversations/${older.conversationId}`;
    return {
      conversations: await get('/conversations'),
      conversation: await get(conversation),
      messages: await get(`${conversation}/messages`),
      firstMessage: await get(`${conversation}/messages?afterSeq=0&limit=1`),
      tail: await get(`${conversation}/messages?afterSeq=2&limit=1`),
      tickets: await get('/tickets'),
      ticket: await get(`/tickets/${older.id}`),
      notifications: await get('/notifications'),
      live: JSON.stringify(await subscribeFrames(desk.carla)),
      replay: JSON.stringify(await subscribeFrames(desk.carla, 0)),
    };
  };

  beforeAll(async () => {
    t = await startTestApp({ clock });
    base = await listen(t);
    desk = await setUpDesk(t);
    older = await openTicket(t, desk.carla, { teamId: desk.support, subject: 'Older' });
    await as(t, desk.sam).patch(`/tickets/${older.id}`, { assigneeId: desk.sam.user.id });
    expect((await say(desk.carla, older, 'help please')).statusCode).toBe(201);
    clock.advance(1000);
    newer = await openTicket(t, desk.carla, { teamId: desk.support, subject: 'Newer' });
    expect((await say(desk.sam, older, 'on it')).statusCode).toBe(201);
    clock.advance(1000);
    expect((await say(desk.carla, newer, 'another thing')).statusCode).toBe(201);
    await as(t, desk.sam).post(`/conversations/${older.conversationId}/read`, { seq: MAX_SEQ });
    await t.app.notifications.settled(); // what the messages above notify is in Carla's view from the start
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  it('[RT-NOTE] notes written and read by staff change nothing a customer can read, live or on reload', async () => {
    const before = await carlasView();
    const watching = await open(desk.carla);
    watching.send({ type: 'subscribe', conversationId: older.conversationId });
    await watching.next('subscribed');
    const seen = watching.frames.length;

    // Kim is not a member of the thread: her note must not make her one (members are public).
    expect((await say(desk.kim, older, 'customer seems upset', true)).statusCode).toBe(201);
    expect((await say(desk.sam, older, 'refund approved', true)).statusCode).toBe(201);
    clock.advance(1000);
    expect(
      (await as(t, desk.sam).post(`/conversations/${older.conversationId}/read`, { seq: MAX_SEQ })).statusCode,
    ).toBe(204);
    expect((await as(t, desk.kim).get(`/conversations/${older.conversationId}/messages`)).json().items).toHaveLength(5);

    await settle(watching);
    expect(watching.frames.slice(seen).map((f) => f.type)).toEqual(['pong']);
    await t.app.notifications.settled();
    expect(await carlasView()).toEqual(before);
  });

  it('[RT-NOTE] a customer’s read cursor stops at the last message they can see', async () => {
    const socket = await open(desk.carla);
    socket.send({ type: 'read', conversationId: older.conversationId, seq: MAX_SEQ });
    const receipt = await socket.next('read', (f) => f.userId === desk.carla.user.id);
    const conversation = (await as(t, desk.carla).get(`/conversations/${older.conversationId}`)).json<Conversation>();
    const visible = (await as(t, desk.carla).get(`/conversations/${older.conversationId}/messages`)).json<{
      items: Message[];
    }>();
    const lastVisible = visible.items.at(-1)!.seq;
    expect(receipt.seq).toBe(lastVisible);
    expect(conversation).toMatchObject({ lastSeq: lastVisible, lastReadSeq: lastVisible });
  });

  it('[RT-NOTE] staff see the notes move the conversation as before', async () => {
    const conversation = (await as(t, desk.sam).get(`/conversations/${older.conversationId}`)).json<Conversation>();
    const messages = (await as(t, desk.sam).get(`/conversations/${older.conversationId}/messages`)).json<{
      items: Message[];
      lastSeq: number;
    }>();
    expect(messages.items.map((m) => m.kind).slice(-2)).toEqual(['note', 'note']);
    expect(conversation.lastSeq).toBe(messages.items.at(-1)!.seq);
    expect(messages.lastSeq).toBe(conversation.lastSeq);
    expect(conversation.lastMessage?.kind).toBe('note');
    const frames: ServerFrame[] = await subscribeFrames(desk.sam);
    expect(frames.find((f) => f.type === 'subscribed')).toMatchObject({ lastSeq: conversation.lastSeq });
  });
});
