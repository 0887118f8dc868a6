import type { AuditPage, BulkTicketResult, Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpTwoDesks, type Desk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

/** One change to many tickets, each through the ticket update path, answered per ticket. */
describe(`bulk ticket actions on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  let other: Desk;
  let base: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a: desk, b: other } = await setUpTwoDesks(t));
    base = await listen(t);
  });
  afterAll(() => t.close());

  const bulk = (who: Desk['sam'], ticketIds: string[], change: object) =>
    as(t, who).post('/tickets/bulk', { ticketIds, change });

  it('changes each ticket as PATCH would: system lines, audit, live updates; refusals per ticket', async () => {
    const a = await openTicket(t, desk.carla, { teamId: desk.support });
    const b = await openTicket(t, desk.dan, { teamId: desk.support });
    const billing = await openTicket(t, desk.carla, { teamId: desk.billing });
    const elsewhere = await openTicket(t, other.carla, { teamId: other.support });
    const socket = await readySocket(base, desk.kim);

    const res = await bulk(desk.sam, [a.id, b.id, billing.id, elsewhere.id, a.id], {
      status: 'pending',
      priority: 'high',
    });
    expect(res.statusCode).toBe(200);
    const { results } = res.json<BulkTicketResult>();
    expect(results).toEqual([
      { id: a.id, ok: true },
      { id: b.id, ok: true },
      { id: billing.id, ok: false, error: { code: 'not_found', message: expect.any(String) } },
      { id: elsewhere.id, ok: false, error: { code: 'not_found', message: expect.any(String) } },
    ]);
    for (const ticket of [a, b]) {
      expect((await as(t, desk.admin).get(`/tickets/${ticket.id}`)).json<Ticket>()).toMatchObject({
        status: 'pending',
        priority: 'high',
      });
      const lines = (await as(t, desk.admin).get(`/conversations/${ticket.conversationId}/messages`))
        .json<{ items: Message[] }>()
        .items.map((m) => m.body);
      expect(lines).toContain('Sam Agent changed the status to Pending');
      expect(lines).toContain('Sam Agent changed the priority from medium to high');
    }
    const updated = await socket.next('ticket.updated', (f) => f.ticket.id === b.id && f.ticket.priority === 'high');
    expect(updated.ticket.status).toBe('pending');
    await socket.close();
    const audit = (await as(t, desk.admin).get(`/audit?entityId=${a.id}`)).json<AuditPage>();
    expect(audit.items.map((e) => e.action)).toEqual(
      expect.arrayContaining(['ticket.status_changed', 'ticket.priority_changed']),
    );
    // Billing's ticket is untouched.
    expect((await as(t, desk.admin).get(`/tickets/${billing.id}`)).json<Ticket>().status).toBe('open');
  });

  it('permissions apply per ticket: an agent without tickets.assign cannot assign outside their team', async () => {
    const a = await openTicket(t, desk.carla, { teamId: desk.support });
    const res = await bulk(desk.sam, [a.id], { assigneeId: desk.otto.user.id });
    expect(res.json<BulkTicketResult>().results[0]).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const mine = await bulk(desk.sam, [a.id], { assigneeId: desk.sam.user.id });
    expect(mine.json<BulkTicketResult>().results[0]).toEqual({ id: a.id, ok: true });
  });

  it('puts labels on and takes others off many tickets, keeping the rest; an unknown label changes nothing', async () => {
    const label = async (name: string) =>
      (await as(t, desk.admin).post('/labels', { name, colour: '#336699' })).json<{ id: string }>().id;
    const [vip, refund, keep] = [await label('VIP'), await label('Refund'), await label('Keep')];
    const a = await openTicket(t, desk.carla, { teamId: desk.support });
    const b = await openTicket(t, desk.dan, { teamId: desk.support });
    for (const id of [a.id, b.id]) await as(t, desk.sam).put(`/tickets/${id}/labels`, { labelIds: [refund, keep] });
    const labelsOf = async (id: string) =>
      (await as(t, desk.sam).get(`/tickets/${id}`)).json<{ labels: { name: string }[] }>().labels.map((l) => l.name);

    const unknown = await bulk(desk.sam, [a.id], { addLabelIds: ['01JZZZZZZZZZZZZZZZZZZZZZZZ'] });
    expect(unknown.statusCode).toBe(400);
    expect(await labelsOf(a.id)).toEqual(['Keep', 'Refund']);

    const res = await bulk(desk.sam, [a.id, b.id], {
      addLabelIds: [vip],
      removeLabelIds: [refund],
      priority: 'urgent',
    });
    expect(res.json<BulkTicketResult>().results).toEqual([
      { id: a.id, ok: true },
      { id: b.id, ok: true },
    ]);
    for (const id of [a.id, b.id]) expect(await labelsOf(id)).toEqual(['Keep', 'VIP']);
    expect((await as(t, desk.sam).get(`/tickets/${a.id}`)).json<Ticket>().priority).toBe('urgent');
    const filtered = (await as(t, desk.sam).get(`/tickets?labelIds=${vip}`)).json<{ items: Ticket[] }>();
    expect(filtered.items.map((i) => i.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('customers get 403; more than 100 tickets or no change is 400', async () => {
    const a = await openTicket(t, desk.carla, { teamId: desk.support });
    expect((await bulk(desk.carla, [a.id], { status: 'closed' })).statusCode).toBe(403);
    expect((await bulk(desk.sam, [a.id], {})).statusCode).toBe(400);
    expect((await bulk(desk.sam, Array(101).fill(a.id), { status: 'closed' })).statusCode).toBe(400);
    expect((await as(t, desk.admin).get(`/tickets/${a.id}`)).json<Ticket>().status).toBe('open');
  });
});
