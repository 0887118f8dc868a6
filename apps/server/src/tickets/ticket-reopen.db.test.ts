import type { Message, NotificationPage, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { multipart } from '../testing/multipart';
import { readySocket, settle } from '../testing/ws-client';

const DAY = 24 * 3600_000;

/**
 * [RT-REOPEN] A customer's reply to their closed ticket: within the reopen window
 * (`TICKET_REOPEN_WINDOW_DAYS`, 3 here) it reopens the ticket; after it, it opens a follow-up.
 */
describe(`a customer's reply to a closed ticket on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let baseUrl: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let clientMsg = 0;

  beforeAll(async () => {
    // The clock jumps days ahead; tokens must outlive it.
    t = await startTestApp({
      clock,
      env: { TICKET_REOPEN_WINDOW_DAYS: '3', ACCESS_TOKEN_TTL_SECONDS: '31536000' },
    });
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  /** Carla's ticket for Support, taken by Sam, then closed by Sam `closedDaysAgo` days ago. */
  async function closedTicket(closedDaysAgo: number): Promise<Ticket> {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support, subject: `Closed ${closedDaysAgo}d ago` });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'closed' });
    clock.advance(closedDaysAgo * DAY);
    return ticket;
  }

  const reply = (ticket: Ticket, body: string, clientMsgId = `r-${++clientMsg}`) =>
    as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, { clientMsgId, body });
  const ticketOf = async (id: string) => (await as(t, desk.admin).get(`/tickets/${id}`)).json<Ticket>();
  const thread = async (conversationId: string) =>
    (await as(t, desk.admin).get(`/conversations/${conversationId}/messages`)).json<{ items: Message[] }>().items;
  const samsNotifications = async () => (await as(t, desk.sam).get('/notifications')).json<NotificationPage>().items;
  const followUpsOf = (ticketId: string) =>
    t.database.db.selectFrom('tickets').selectAll().where('followUpOf', '=', ticketId).execute();
  const auditOf = (ticketId: string) =>
    t.database.db.selectFrom('auditLog').selectAll().where('entityId', '=', ticketId).orderBy('id').execute();

  describe('within the window', () => {
    it('[RT-REOPEN] reopens it: the reply, a system line, an audit entry, live to all who see it, and Sam is told', async () => {
      const ticket = await closedTicket(2);
      const carla = await readySocket(baseUrl, desk.carla);
      const sam = await readySocket(baseUrl, desk.sam);
      const kim = await readySocket(baseUrl, desk.kim); // Support too: sees it in the queue
      const dan = await readySocket(baseUrl, desk.dan);
      try {
        sam.send({ type: 'subscribe', conversationId: ticket.conversationId });
        await sam.next('subscribed');

        carla.send({
          type: 'message.send',
          conversationId: ticket.conversationId,
          clientMsgId: 'ws-1',
          body: 'Broken again',
        });
        const ack = await carla.next('ack');
        expect(ack).toMatchObject({ clientMsgId: 'ws-1', conversationId: ticket.conversationId });
        expect(ack.movedToTicketId).toBeUndefined();

        for (const socket of [carla, sam, kim]) {
          const { ticket: live } = await socket.next('ticket.updated', (f) => f.ticket.id === ticket.id);
          expect(live).toMatchObject({ status: 'open', closedAt: null });
        }
        // Sam, in the thread, gets the reply and then the system line, in order.
        expect((await sam.next('message')).message.body).toBe('Broken again');
        expect((await sam.next('message')).message).toMatchObject({
          kind: 'system',
          body: 'Carla reopened the ticket by replying',
        });
        const notified = await sam.next('notification', (f) => f.notification.kind === 'ticket.reopened');
        expect(notified.notification).toMatchObject({
          kind: 'ticket.reopened',
          ticketId: ticket.id,
          sender: { id: desk.carla.user.id },
        });
        await settle(dan);
        expect(dan.all('ticket.updated').filter((f) => f.ticket.id === ticket.id)).toEqual([]);
      } finally {
        await Promise.all([carla, sam, kim, dan].map((s) => s.close()));
      }

      expect(await ticketOf(ticket.id)).toMatchObject({ status: 'open', closedAt: null });
      expect((await thread(ticket.conversationId)).slice(-2).map((m) => m.body)).toEqual([
        'Broken again',
        'Carla reopened the ticket by replying',
      ]);
      const reopenings = (await auditOf(ticket.id)).filter(
        (a) => a.action === 'ticket.status_changed' && JSON.parse(a.data).to === 'open',
      );
      expect(reopenings).toHaveLength(1);
      expect(reopenings[0]!.actorId).toBe(desk.carla.user.id);
      // One entry for Sam, saying reopened (the reply itself is counted in it, not listed apart).
      await t.app.notifications.settled();
      const aboutIt = (await samsNotifications()).filter((n) => n.ticketId === ticket.id);
      expect(aboutIt.map((n) => n.kind)).toEqual(['ticket.reopened']);
    });

    it('[RT-REOPEN] reopens once when several replies come at once', async () => {
      const ticket = await closedTicket(1);
      const results = await Promise.all([1, 2, 3, 4, 5].map((i) => reply(ticket, `At once ${i}`)));
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201, 201]);
      const messages = await thread(ticket.conversationId);
      expect(messages.filter((m) => m.body.startsWith('At once'))).toHaveLength(5);
      expect(messages.filter((m) => m.body === 'Carla reopened the ticket by replying')).toHaveLength(1);
      const reopenings = (await auditOf(ticket.id)).filter((a) => JSON.parse(a.data).byReply !== undefined);
      expect(reopenings).toHaveLength(1);
      expect((await ticketOf(ticket.id)).status).toBe('open');
      expect(await followUpsOf(ticket.id)).toEqual([]);
    });

    it('leaves it closed when staff write to it, and an open ticket stays as it is', async () => {
      const ticket = await closedTicket(1);
      const sent = await as(t, desk.sam).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: 'sam-after-close',
        body: 'For the record: fixed in 1.4.3',
      });
      expect(sent.statusCode).toBe(201);
      expect((await ticketOf(ticket.id)).status).toBe('closed');

      const open = await openTicket(t, desk.carla, { teamId: desk.support });
      expect((await reply(open, 'Still there?')).statusCode).toBe(201);
      expect((await thread(open.conversationId)).map((m) => m.kind)).toEqual(['text']);
    });
  });

  describe('after the window', () => {
    it('[RT-REOPEN] opens a follow-up carrying the reply, linked to the old ticket, and says so in the ack', async () => {
      const old = await closedTicket(4);
      const carla = await readySocket(baseUrl, desk.carla);
      const sam = await readySocket(baseUrl, desk.sam);
      try {
        carla.send({
          type: 'message.send',
          conversationId: old.conversationId,
          clientMsgId: 'late-1',
          body: 'Back again',
        });
        const ack = await carla.next('ack');
        expect(ack.movedToTicketId).toBeDefined();
        expect(ack.conversationId).not.toBe(old.conversationId);

        const { ticket: live } = await carla.next('ticket.updated', (f) => f.ticket.id === ack.movedToTicketId);
        expect(live).toMatchObject({
          followUpOf: old.id,
          status: 'open',
          subject: old.subject,
          requesterId: desk.carla.user.id,
          assigneeId: desk.sam.user.id,
          teamId: desk.support,
          conversationId: ack.conversationId,
          description: '',
        });
        expect((await sam.next('ticket.updated', (f) => f.ticket.id === live.id)).ticket.followUpOf).toBe(old.id);
        expect(
          (await sam.next('notification', (f) => f.notification.kind === 'ticket.follow_up')).notification,
        ).toMatchObject({ kind: 'ticket.follow_up', ticketId: live.id, sender: { id: desk.carla.user.id } });

        // A resend of the same reply (its ack was lost) is answered the same, and makes nothing new.
        carla.send({
          type: 'message.send',
          conversationId: old.conversationId,
          clientMsgId: 'late-1',
          body: 'Back again',
        });
        expect(await carla.next('ack')).toEqual(ack);

        const messages = await thread(live.conversationId);
        expect(messages.map((m) => [m.seq, m.senderId, m.body])).toEqual([[1, desk.carla.user.id, 'Back again']]);
        expect(await ticketOf(old.id)).toMatchObject({ status: 'closed' });
        expect((await thread(old.conversationId)).some((m) => m.body === 'Back again')).toBe(false);
        const created = (await auditOf(live.id)).map((a) => [a.action, JSON.parse(a.data).followUpOf]);
        expect(created).toEqual([['ticket.created', old.id]]);
      } finally {
        await Promise.all([carla.close(), sam.close()]);
      }
    });

    it('[RT-REOPEN] opens one follow-up when several replies come at once; the others join it', async () => {
      const old = await closedTicket(5);
      const results = await Promise.all([1, 2, 3, 4].map((i) => reply(old, `Late at once ${i}`)));
      expect(results.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
      const followUps = await followUpsOf(old.id);
      expect(followUps).toHaveLength(1);
      const landed = results.map((r) => r.json<Message>().conversationId);
      expect(new Set(landed)).toEqual(new Set([followUps[0]!.conversationId]));
      const bodies = (await thread(followUps[0]!.conversationId)).map((m) => m.body).sort();
      expect(bodies).toEqual(['Late at once 1', 'Late at once 2', 'Late at once 3', 'Late at once 4']);
    });

    it('sends a later reply to the old ticket into its follow-up, and REST answers with where it went', async () => {
      const old = await closedTicket(10);
      const first = (await reply(old, 'First late reply')).json<Message>();
      const second = await reply(old, 'Second late reply');
      expect(second.statusCode).toBe(201);
      expect(second.json<Message>().conversationId).toBe(first.conversationId);
      expect(await followUpsOf(old.id)).toHaveLength(1);
    });

    it('carries an attachment uploaded to the old thread along to the follow-up', async () => {
      const old = await closedTicket(6);
      const body = multipart({ fileName: 'log.txt', contentType: 'text/plain', content: Buffer.from('error 42') });
      const upload = await t.app.inject({
        method: 'POST',
        url: `/conversations/${old.conversationId}/attachments`,
        headers: { authorization: `Bearer ${desk.carla.accessToken}`, 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(upload.statusCode).toBe(201);
      const sent = await as(t, desk.carla).post(`/conversations/${old.conversationId}/messages`, {
        clientMsgId: 'late-with-file',
        body: 'Here is the log',
        attachmentIds: [upload.json().id],
      });
      expect(sent.statusCode).toBe(201);
      const message = sent.json<Message>();
      expect(message.conversationId).not.toBe(old.conversationId);
      expect(message.attachments.map((a) => [a.fileName, a.conversationId])).toEqual([
        ['log.txt', message.conversationId],
      ]);
    });

    it('refuses to reopen it by status too, and points at writing to it instead', async () => {
      const old = await closedTicket(4);
      const late = await as(t, desk.carla).patch(`/tickets/${old.id}`, { status: 'open' });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.message).toBe(
        'This ticket was closed more than 3 days ago; write to it and a follow-up ticket opens',
      );
    });
  });
});
