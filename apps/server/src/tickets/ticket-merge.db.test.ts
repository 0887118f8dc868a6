import type { Conversation, MergeTicketResult, Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpTwoDesks, type Desk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

/** Merging two tickets of one requester (docs/decisions/0010-ticket-merge.md). */
describe(`ticket merge on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let other: Desk;
  let base: string;
  let sent = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    ({ a: desk, b: other } = await setUpTwoDesks(t));
    base = await listen(t);
  });
  afterAll(() => t.close());

  const messagesOf = async (ticket: Ticket, who = desk.admin) =>
    (await as(t, who).get(`/conversations/${ticket.conversationId}/messages?limit=100`)).json<{ items: Message[] }>()
      .items;
  const send = async (who: Desk['sam'], ticket: Ticket, body: string, internal = false) => {
    clock.advance(60_000);
    const res = await as(t, who).post(`/conversations/${ticket.conversationId}/messages`, {
      body,
      clientMsgId: `c-${++sent}`,
      internal,
    });
    expect(res.statusCode).toBe(201);
  };
  const merge = (who: Desk['sam'], from: Ticket, into: Ticket) =>
    as(t, who).post(`/tickets/${from.id}/merge`, { intoTicketId: into.id });

  it('appends the source thread to the target in time order, closes the source with a link, live', async () => {
    const target = await openTicket(t, desk.carla, { subject: 'Printer broken', teamId: desk.support });
    const source = await openTicket(t, desk.carla, { subject: 'Printer still broken', teamId: desk.support });
    await send(desk.carla, target, 'first in target');
    await send(desk.carla, source, 'first in source');
    await send(desk.sam, source, 'staff only remark', true);
    await send(desk.sam, source, 'we are on it');
    await send(desk.carla, target, 'second in target');

    const carlaSocket = await readySocket(base, desk.carla);
    carlaSocket.send({ type: 'subscribe', conversationId: target.conversationId });
    await carlaSocket.next('subscribed');
    const targetBefore = await messagesOf(target);
    const lastBefore = targetBefore.at(-1)!.seq;

    clock.advance(60_000);
    const res = await merge(desk.sam, source, target);
    expect(res.statusCode).toBe(200);
    const result = res.json<MergeTicketResult>();
    expect(result.copiedMessages).toBe(3);
    expect(result.source.status).toBe('closed');

    const after = await messagesOf(target);
    // The seqs a client has seen stay as they were; the merge comes after them.
    expect(after.slice(0, targetBefore.length).map((m) => [m.id, m.seq])).toEqual(
      targetBefore.map((m) => [m.id, m.seq]),
    );
    const added = after.slice(targetBefore.length);
    expect(added.map((m) => m.body)).toEqual([
      'Sam Agent merged "Printer still broken" into this ticket (3 messages below)',
      'first in source',
      'staff only remark',
      'we are on it',
    ]);
    expect(added[0]!.system).toMatchObject({ event: 'ticket.merged_from', params: { ticket: { id: source.id } } });
    expect(added.map((m) => m.seq)).toEqual([lastBefore + 1, lastBefore + 2, lastBefore + 3, lastBefore + 4]);
    // Original authors and times.
    const original = (await messagesOf(source)).find((m) => m.body === 'first in source')!;
    expect(added[1]).toMatchObject({ senderId: desk.carla.user.id, createdAt: original.createdAt });
    expect(added[2]!.kind).toBe('note');

    // The customer sees the copies but not the note, live and by REST.
    const live = [];
    for (let i = 0; i < 3; i++) live.push((await carlaSocket.next('message')).message.body);
    expect(live).toEqual([added[0]!.body, 'first in source', 'we are on it']);
    expect((await messagesOf(target, desk.carla)).map((m) => m.body)).not.toContain('staff only remark');
    await carlaSocket.close();

    // The source keeps its messages (nothing acked is lost), closed, with a line naming the target.
    const sourceMessages = await messagesOf(source);
    expect(sourceMessages.map((m) => m.body)).toContain('first in source');
    const link = sourceMessages.find((m) => m.system?.event === 'ticket.merged_into')!;
    expect(link.system).toMatchObject({ params: { ticket: { id: target.id, subject: 'Printer broken' } } });
    expect((await as(t, desk.carla).get(`/tickets/${source.id}`)).json<Ticket>().status).toBe('closed');
  });

  it('a retry answers the same result and copies nothing twice', async () => {
    const target = await openTicket(t, desk.carla, { teamId: desk.support });
    const source = await openTicket(t, desk.carla, { teamId: desk.support });
    await send(desk.carla, source, 'only once');
    const [a, b] = await Promise.all([merge(desk.sam, source, target), merge(desk.sam, source, target)]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const again = await merge(desk.sam, source, target);
    expect(again.statusCode).toBe(200);
    expect(again.json<MergeTicketResult>().copiedMessages).toBe(1);
    expect((await messagesOf(target)).filter((m) => m.body === 'only once')).toHaveLength(1);
  });

  it('refuses itself, another requester, a merged or closed target, another workspace, customers', async () => {
    const one = await openTicket(t, desk.carla, { teamId: desk.support });
    const two = await openTicket(t, desk.carla, { teamId: desk.support });
    const dans = await openTicket(t, desk.dan, { teamId: desk.support });
    expect((await merge(desk.sam, one, one)).statusCode).toBe(400);
    expect((await merge(desk.sam, one, dans)).statusCode).toBe(400);
    expect((await merge(desk.carla, one, two)).statusCode).toBe(403);

    const elsewhere = await openTicket(t, other.carla, { teamId: other.support });
    expect((await merge(desk.sam, one, elsewhere)).statusCode).toBe(404);
    // Billing's ticket is not Sam's to work.
    const billing = await openTicket(t, desk.carla, { teamId: desk.billing });
    expect((await merge(desk.sam, one, billing)).statusCode).toBe(404);

    expect((await merge(desk.sam, one, two)).statusCode).toBe(200);
    // one is merged (and closed): nothing merges into it, and it does not merge elsewhere.
    expect((await merge(desk.sam, two, one)).statusCode).toBe(409);
    const three = await openTicket(t, desk.carla, { teamId: desk.support });
    expect((await merge(desk.sam, one, three)).statusCode).toBe(409);
    await as(t, desk.sam).patch(`/tickets/${three.id}`, { status: 'closed' });
    expect((await merge(desk.sam, two, three)).statusCode).toBe(409);
  });

  it("[RT-REOPEN] a customer's reply to the merged ticket goes to the one it was merged into, even after the window", async () => {
    const target = await openTicket(t, desk.carla, { subject: 'Login fails', teamId: desk.support });
    const source = await openTicket(t, desk.carla, { subject: 'Login fails again', teamId: desk.support });
    expect((await merge(desk.sam, source, target)).statusCode).toBe(200);

    // By REST: the answer is the message, in the target's thread; the source stays closed.
    const post = (body: string, clientMsgId: string) =>
      as(t, desk.carla).post(`/conversations/${source.conversationId}/messages`, { body, clientMsgId });
    const first = await post('Any news?', 'merged-1');
    expect(first.statusCode).toBe(201);
    expect(first.json<Message>().conversationId).toBe(target.conversationId);
    expect((await messagesOf(target)).at(-1)!.body).toBe('Any news?');
    expect((await as(t, desk.carla).get(`/tickets/${source.id}`)).json<Ticket>().status).toBe('closed');
    // Its resend is the same message.
    const again = await post('Any news?', 'merged-1');
    expect([again.statusCode, again.json<Message>().id]).toEqual([200, first.json<Message>().id]);

    // Past the reopen window, by socket: still the target (open), not a follow-up; the ack says so.
    clock.advance(8 * 24 * 3600_000);
    const carla = await readySocket(base, desk.carla);
    try {
      carla.send({
        type: 'message.send',
        conversationId: source.conversationId,
        clientMsgId: 'merged-2',
        body: 'Hello?',
      });
      const ack = await carla.next('ack');
      expect(ack).toMatchObject({ conversationId: target.conversationId, movedToTicketId: target.id });
    } finally {
      await carla.close();
    }
    expect((await messagesOf(target)).at(-1)!.body).toBe('Hello?');

    // Staff who write in the merged ticket stay in it.
    await send(desk.sam, source, 'For the record');
    expect((await messagesOf(source)).at(-1)!.body).toBe('For the record');
  });

  it('read positions: a reader of both threads has read the merge; unread counts stay sensible', async () => {
    const target = await openTicket(t, desk.carla, { teamId: desk.support });
    const source = await openTicket(t, desk.carla, { teamId: desk.support });
    await send(desk.carla, source, 'hello there');
    await send(desk.carla, target, 'and here');
    const unreadOf = async (who: Desk['sam'], ticket: Ticket) =>
      (await as(t, who).get(`/conversations/${ticket.conversationId}`)).json<Conversation>().unreadCount;
    // Carla wrote everything in both threads: she has read them.
    expect(await unreadOf(desk.carla, target)).toBe(0);
    await merge(desk.sam, source, target);
    expect(await unreadOf(desk.carla, target)).toBe(0);
  });
});
