import type { NotificationPage, Ticket, TicketPage } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

/** Staff open a ticket on behalf of a customer, found by search or given as a new contact. */
describe(`tickets opened on behalf of a customer on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  const body = (extra: object) => ({ subject: 'Called about the printer', description: 'It is on fire.', ...extra });
  const openFor = (extra: object, who = desk.sam) => as(t, who).post('/tickets', body(extra));
  const db = () => t.database.db;
  const ticketCount = async () =>
    Number(
      (
        await db()
          .selectFrom('tickets')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const membersOf = async (ticket: Ticket) =>
    (
      await db()
        .selectFrom('conversationMembers')
        .select('userId')
        .where('conversationId', '=', ticket.conversationId)
        .execute()
    )
      .map((r) => r.userId)
      .sort();

  it('an agent opens one for a customer found by search; the customer has it, in the thread, told live', async () => {
    const carlaLive = await readySocket(base, desk.carla);
    sockets.push(carlaLive);
    const found = (await as(t, desk.sam).get('/users?q=carla&role=customer')).json<{ items: { id: string }[] }>();
    expect(found.items.map((u) => u.id)).toEqual([desk.carla.user.id]);

    const response = await openFor({ requesterId: desk.carla.user.id, teamId: desk.support });
    expect(response.statusCode, response.body).toBe(201);
    const ticket = response.json<Ticket>();
    expect(ticket).toMatchObject({ requesterId: desk.carla.user.id, teamId: desk.support, assigneeId: null });

    expect((await carlaLive.next('ticket.updated', (f) => f.ticket.id === ticket.id)).ticket.requesterId).toBe(
      desk.carla.user.id,
    );
    const { notification } = await carlaLive.next('notification', (f) => f.notification.ticketId === ticket.id);
    expect(notification).toMatchObject({
      kind: 'ticket.opened_for_you',
      sender: { id: desk.sam.user.id, displayName: 'Sam Agent', bot: false },
      subject: 'Called about the printer',
      preview: 'It is on fire.',
    });
    const carlas = (await as(t, desk.carla).get('/tickets')).json<TicketPage>();
    expect(carlas.items.map((i) => i.id)).toContain(ticket.id);
    expect(await membersOf(ticket)).toEqual([desk.carla.user.id, desk.sam.user.id].sort());
    // Carla can write to it; Kim (Support) has it in her Unassigned queue.
    const reply = await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'carla-on-behalf-1',
      body: 'Thanks for opening this',
    });
    expect(reply.statusCode).toBe(201);
    const kims = (await as(t, desk.kim).get('/tickets?view=unassigned')).json<TicketPage>();
    expect(kims.items.map((i) => i.id)).toContain(ticket.id);

    const audit = await db()
      .selectFrom('auditLog')
      .select(['actorId', 'action', 'data'])
      .where('entityId', '=', ticket.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: desk.sam.user.id, action: 'ticket.created' });
    expect(JSON.parse(audit[0]!.data)).toMatchObject({ onBehalfOf: desk.carla.user.id, requester: 'customer' });
  });

  it('a new contact becomes a customer of the workspace, with an account nobody can sign in to yet', async () => {
    const response = await openFor({ requester: { email: 'New.Person@Example.com', name: 'New Person' } });
    expect(response.statusCode, response.body).toBe(201);
    const ticket = response.json<Ticket>();
    const user = await db()
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'new.person@example.com')
      .executeTakeFirstOrThrow();
    expect(ticket.requesterId).toBe(user.id);
    expect(user).toMatchObject({ displayName: 'New Person', deactivatedAt: null });
    expect(user.username).toMatch(/^new\.person-[0-9a-f]{6}$/);
    const person = (await as(t, desk.sam).get(`/users/${user.id}`)).json();
    expect(person).toMatchObject({ id: user.id, role: 'customer' });
    expect(await membersOf(ticket)).toEqual([user.id, desk.sam.user.id].sort());
    for (const password of ['', 'correct horse battery', user.passwordHash]) {
      const login = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { login: 'new.person@example.com', password: password || 'x' },
      });
      expect(login.statusCode).toBe(401);
    }
    await t.app.notifications.settled();
    const [entry] = await db().selectFrom('notifications').selectAll().where('userId', '=', user.id).execute();
    expect(entry).toMatchObject({ kind: 'ticket.opened_for_you' });

    // The same email again: the same person, no second account.
    const again = await openFor({ requester: { email: 'new.person@example.com', name: 'Someone Else' } }, desk.kim);
    expect(again.json<Ticket>().requesterId).toBe(user.id);
    const audit = await db()
      .selectFrom('auditLog')
      .select('data')
      .where('entityId', 'in', [ticket.id, again.json<Ticket>().id])
      .orderBy('id')
      .execute();
    expect(audit.map((a) => JSON.parse(a.data).requester)).toEqual(['new_account', 'customer']);
  });

  it('makes someone with an account elsewhere a customer here, keeping their name', async () => {
    await createWorkspace(t, 'elsewhere');
    const eve = await signUp(t, 'customer', { workspace: 'elsewhere', displayName: 'Eve Elsewhere' });
    const response = await openFor({ requester: { email: eve.user.email, name: 'Not Her Name' } });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Ticket>().requesterId).toBe(eve.user.id);
    expect((await as(t, desk.sam).get(`/users/${eve.user.id}`)).json()).toMatchObject({
      role: 'customer',
      displayName: 'Eve Elsewhere',
    });
  });

  it('refuses anyone but an active customer of the workspace, and customers opening one for someone', async () => {
    const acmeCustomer = await signUp(t, 'customer', { workspace: 'elsewhere' });
    const closed = await signUp(t, 'customer');
    expect(
      (await as(t, desk.admin).patch(`/users/${closed.user.id}`, { deactivated: true })).statusCode,
      'deactivated',
    ).toBe(200);
    const before = await ticketCount();
    for (const [extra, path] of [
      [{ requesterId: desk.kim.user.id }, 'requesterId'],
      [{ requesterId: acmeCustomer.user.id }, 'requesterId'],
      [{ requesterId: closed.user.id }, 'requesterId'],
      [{ requesterId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }, 'requesterId'],
      [{ requester: { email: desk.otto.user.email, name: 'Otto' } }, 'requester.email'],
      [{ requester: { email: closed.user.email, name: 'Closed' } }, 'requester.email'],
    ] as const) {
      const response = await openFor(extra);
      expect(response.statusCode, JSON.stringify(extra)).toBe(400);
      expect(response.json().error.details.fields.map((f: { path: string }) => f.path)).toEqual([path]);
    }
    for (const extra of [
      { requester: { email: 'not an email', name: 'X' } },
      { requester: { email: 'x@example.com', name: '   ' } },
      { requester: { email: 'x@example.com' } },
      { requester: { email: 'x@example.com', name: 'X', role: 'admin' } },
      { requesterId: desk.carla.user.id, requester: { email: 'x@example.com', name: 'X' } },
      { requesterId: 'carla' },
    ]) {
      expect((await openFor(extra)).statusCode, JSON.stringify(extra)).toBe(400);
    }
    for (const extra of [{ requesterId: desk.dan.user.id }, { requester: { email: 'y@example.com', name: 'Y' } }]) {
      const response = await openFor(extra, desk.carla);
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    expect(await ticketCount()).toBe(before);
    expect(await db().selectFrom('users').select('id').where('email', '=', 'y@example.com').execute()).toEqual([]);
    const carlasNotes = (await as(t, desk.carla).get('/notifications')).json<NotificationPage>();
    expect(carlasNotes.items.filter((n) => n.kind === 'ticket.opened_for_you')).toHaveLength(1);
  });
});
