import { NOTIFICATION_PREVIEW_CHARS, type NotificationPage, type Session, type Ticket } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;
let sent = 0;

async function say(t: TestApp, who: Session, ticket: Ticket, body: string, internal = false) {
  const response = await as(t, who).post(`/conversations/${ticket.conversationId}/messages`, {
    clientMsgId: `help-${++sent}`,
    body,
    internal,
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ seq: number }>();
}

/** What the user's notifications list shows, once every event so far has been handled. */
async function listOf(t: TestApp, who: Session): Promise<NotificationPage> {
  await t.app.notifications.settled();
  const response = await as(t, who).get('/notifications');
  expect(response.statusCode).toBe(200);
  return response.json<NotificationPage>();
}

const entryOf = async (t: TestApp, who: Session, ticket: Ticket) =>
  (await listOf(t, who)).items.find((n) => n.conversationId === ticket.conversationId);

describe(`notifications that help on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  const sockets: TestSocket[] = [];
  const open = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };
  /** A ticket of Carla's in team Support, taken by Sam, with everything so far read. */
  const assignedTicket = async (subject = 'Printer on fire') => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support, subject });
    expect((await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id })).statusCode).toBe(
      200,
    );
    await t.app.notifications.settled();
    for (const who of [desk.sam, desk.kim, desk.carla]) await as(t, who).post('/notifications/read-all');
    return ticket;
  };

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  it('names the ticket, the sender and what they wrote, live and in the list', async () => {
    const ticket = await assignedTicket('Scanner jams');
    const onSam = await open(desk.sam);
    await say(t, desk.carla, ticket, 'It jams   on every\nsecond page.');
    const { notification } = await onSam.next('notification', (f) => f.notification.ticketId === ticket.id);
    expect(notification).toMatchObject({
      kind: 'ticket.message',
      conversationId: ticket.conversationId,
      ticketId: ticket.id,
      subject: 'Scanner jams',
      sender: { id: desk.carla.user.id, displayName: 'Carla', bot: false },
      preview: 'It jams on every second page.',
      count: 1,
      readAt: null,
    });
    expect((await listOf(t, desk.sam)).items[0]).toEqual(notification);
  });

  it('previews a long message by its start, cut at a word', async () => {
    const ticket = await assignedTicket();
    const words = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    await say(t, desk.carla, ticket, words);
    const { preview } = (await entryOf(t, desk.sam, ticket))!;
    expect(preview!.length).toBeLessThanOrEqual(NOTIFICATION_PREVIEW_CHARS + 1);
    expect(preview).toMatch(/^word0 word1 .* word\d+…$/);
    expect(words.startsWith(preview!.slice(0, -1))).toBe(true);
  });

  it('never tells a customer of an internal note, nor shows them its text', async () => {
    const ticket = await assignedTicket();
    await say(t, desk.kim, ticket, 'Customer is on the old firmware', true);
    expect(await entryOf(t, desk.carla, ticket)).toBeUndefined();
    // The assignee is staff: they hear of a colleague's note.
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ preview: 'Customer is on the old firmware' });
    await say(t, desk.sam, ticket, 'Please update the firmware');
    const carlas = await listOf(t, desk.carla);
    expect(carlas.items.find((n) => n.conversationId === ticket.conversationId)).toMatchObject({
      preview: 'Please update the firmware',
      count: 1,
    });
    expect(JSON.stringify(carlas)).not.toContain('old firmware');
  });

  it('gathers a conversation into one entry with a count and the latest preview; the badge counts entries', async () => {
    const ticket = await assignedTicket();
    const other = await assignedTicket('Second ticket');
    for (const body of ['first', 'second', 'third']) await say(t, desk.carla, ticket, body);
    await say(t, desk.carla, other, 'elsewhere');
    const list = await listOf(t, desk.sam);
    const entries = list.items.filter((n) => [ticket.conversationId, other.conversationId].includes(n.conversationId!));
    expect(entries.map((n) => [n.subject, n.count, n.preview])).toEqual([
      ['Second ticket', 1, 'elsewhere'],
      ['Printer on fire', 3, 'third'],
    ]);
    expect(list.unreadCount).toBe(2);
  });

  it('[RT-VIEW] makes none for a conversation the user has open, and resumes when they look away', async () => {
    const ticket = await assignedTicket();
    const onSam = await open(desk.sam);
    onSam.send({ type: 'viewing', conversationId: ticket.conversationId });
    await settle(onSam);
    await say(t, desk.carla, ticket, 'while you look');
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ readAt: expect.any(String) });

    onSam.send({ type: 'viewing', conversationId: null }); // another screen, or the tab was hidden
    await settle(onSam);
    await say(t, desk.carla, ticket, 'after you looked away');
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ readAt: null, count: 1 });

    // A socket that closes stops counting as looking.
    const again = await open(desk.sam);
    again.send({ type: 'viewing', conversationId: ticket.conversationId });
    await settle(again);
    await again.close();
    await say(t, desk.carla, ticket, 'after you left');
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ readAt: null, preview: 'after you left' });
  });

  it('[RT-VIEW] refuses to view a conversation the user may not read', async () => {
    const ticket = await assignedTicket();
    const onOtto = await open(desk.otto);
    onOtto.send({ type: 'viewing', conversationId: ticket.conversationId, ref: 'peek' });
    expect(await onOtto.next('error')).toMatchObject({ code: 'not_found', ref: 'peek' });
    onOtto.send({ type: 'viewing', conversationId: 'nope', ref: 'bad' });
    expect(await onOtto.next('error')).toMatchObject({ code: 'validation_failed', ref: 'bad' });
  });

  it('[RT-VIEW] opening a conversation clears its entry, live on the other devices', async () => {
    const ticket = await assignedTicket();
    await say(t, desk.carla, ticket, 'one');
    await say(t, desk.carla, ticket, 'two');
    const entry = (await entryOf(t, desk.sam, ticket))!;
    const unreadBefore = (await listOf(t, desk.sam)).unreadCount;
    const phone = await open(desk.sam);
    const laptop = await open(desk.sam);
    laptop.send({ type: 'viewing', conversationId: ticket.conversationId });
    expect(await phone.next('notifications.read')).toMatchObject({ ids: [entry.id] });
    const after = await listOf(t, desk.sam);
    expect(after.unreadCount).toBe(unreadBefore - 1);
    expect(after.items.find((n) => n.id === entry.id)?.readAt).not.toBeNull();
  });

  it('reading up to a message clears the entry, but not a message that came after the read', async () => {
    const ticket = await assignedTicket();
    const first = await say(t, desk.carla, ticket, 'one');
    await say(t, desk.carla, ticket, 'two');
    const read = (seq: number) =>
      as(t, desk.sam)
        .post(`/conversations/${ticket.conversationId}/read`, { seq })
        .then((r) => r.statusCode);
    expect(await read(first.seq)).toBe(204);
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ readAt: null, count: 2 });
    const onSam = await open(desk.sam);
    onSam.send({ type: 'read', conversationId: ticket.conversationId, seq: first.seq + 1 });
    await onSam.next('notifications.read');
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ readAt: expect.any(String) });
    // The next message starts a fresh count.
    await say(t, desk.carla, ticket, 'three');
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ readAt: null, count: 1, preview: 'three' });
  });

  it("tells the agents of the ticket's team of a new ticket, and the admins of one without a team", async () => {
    for (const who of [desk.sam, desk.kim, desk.otto, desk.admin]) await as(t, who).post('/notifications/read-all');
    const onKim = await open(desk.kim);
    const ticket = await openTicket(t, desk.carla, {
      teamId: desk.support,
      subject: 'Refund please',
      description: 'I was charged twice.',
    });
    const { notification } = await onKim.next('notification', (f) => f.notification.ticketId === ticket.id);
    expect(notification).toMatchObject({
      kind: 'ticket.created',
      subject: 'Refund please',
      sender: { id: desk.carla.user.id, displayName: 'Carla', bot: false },
      preview: 'I was charged twice.',
    });
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({ kind: 'ticket.created' });
    expect(await entryOf(t, desk.otto, ticket)).toBeUndefined(); // another team
    expect(await entryOf(t, desk.admin, ticket)).toBeUndefined();
    expect(await entryOf(t, desk.carla, ticket)).toBeUndefined(); // who opened it

    const unqueued = await openTicket(t, desk.dan, { subject: 'Where does this go?' });
    expect(await entryOf(t, desk.admin, unqueued)).toMatchObject({
      kind: 'ticket.created',
      subject: 'Where does this go?',
    });
    for (const agent of [desk.sam, desk.kim, desk.otto]) expect(await entryOf(t, agent, unqueued)).toBeUndefined();
  });

  it('tells the assignee when the customer closes the ticket, not when they close it themselves', async () => {
    const ticket = await assignedTicket('Closing time');
    expect((await as(t, desk.carla).patch(`/tickets/${ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    expect(await entryOf(t, desk.sam, ticket)).toMatchObject({
      kind: 'ticket.closed',
      subject: 'Closing time',
      sender: { id: desk.carla.user.id, displayName: 'Carla', bot: false },
      readAt: null,
    });

    const another = await assignedTicket('Closed by staff');
    expect((await as(t, desk.kim).patch(`/tickets/${another.id}`, { status: 'closed' })).statusCode).toBe(200);
    expect(await entryOf(t, desk.sam, another)).toMatchObject({ readAt: expect.any(String) }); // nothing new
  });
});

describe.skipIf(!REDIS_URL)(`notifications across two nodes on ${TEST_DIALECT} + Redis`, () => {
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

  it('[RT-VIEW] makes none for a user looking on another node, and one each once they look away', async () => {
    const desk = await setUpDesk(nodeA);
    const ticket = await openTicket(nodeA, desk.carla, { teamId: desk.support });
    await as(nodeA, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    await nodeA.app.notifications.settled();
    await as(nodeA, desk.sam).post('/notifications/read-all');
    const onB = await readySocket(await listen(nodeB), desk.sam);
    onB.send({ type: 'viewing', conversationId: ticket.conversationId });
    await settle(onB);

    await say(nodeA, desk.carla, ticket, 'seen on B');
    expect(await entryOf(nodeA, desk.sam, ticket)).toMatchObject({ readAt: expect.any(String) });

    onB.send({ type: 'viewing', conversationId: null });
    await settle(onB);
    await say(nodeA, desk.carla, ticket, 'after B looked away');
    const { notification } = await onB.next('notification', (f) => f.notification.ticketId === ticket.id);
    expect(notification).toMatchObject({ preview: 'after B looked away', count: 1, readAt: null });
    await onB.close();
  });
});
