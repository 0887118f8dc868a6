import type { Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

const HOUR = 3600_000;

/** Pending (waiting on the customer) and snoozed (put away until a time, then back by itself). */
describe(`pending and snoozed tickets on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let base: string;

  beforeAll(async () => {
    // The queue is stepped by the tests (a long poll), and tokens outlive the clock's jumps.
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    desk = await setUpDesk(t);
    base = await listen(t);
  });
  afterAll(() => t.close());

  const ticketOf = async (id: string) => (await as(t, desk.admin).get(`/tickets/${id}`)).json<Ticket>();
  const systemLines = async (ticket: Ticket) =>
    (await as(t, desk.admin).get(`/conversations/${ticket.conversationId}/messages`))
      .json<{ items: Message[] }>()
      .items.filter((m) => m.kind === 'system')
      .map((m) => m.body);
  const inHours = (hours: number) => new Date(clock.now() + hours * HOUR).toISOString();

  it('an agent marks a ticket pending; the customer cannot', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const byCarla = await as(t, desk.carla).patch(`/tickets/${ticket.id}`, { status: 'pending' });
    expect(byCarla.statusCode).toBe(403);
    const bySam = await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'pending' });
    expect(bySam.json<Ticket>().status).toBe('pending');
    expect(await systemLines(ticket)).toContain('Sam Agent changed the status to Pending');
  });

  it('a snoozed ticket wakes up as open at its time, with a line from Parley, once', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const until = inHours(2);
    const snoozed = await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'snoozed', snoozedUntil: until });
    expect(snoozed.json<Ticket>()).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    expect(await systemLines(ticket)).toContain(`Sam Agent snoozed the ticket until ${until}`);

    clock.advance(HOUR);
    await t.app.jobs.runDueJobs();
    expect((await ticketOf(ticket.id)).status).toBe('snoozed');

    clock.advance(HOUR);
    await t.app.jobs.runDueJobs();
    await t.app.jobs.runDueJobs();
    expect(await ticketOf(ticket.id)).toMatchObject({ status: 'open', snoozedUntil: null });
    const lines = await systemLines(ticket);
    expect(lines.filter((l) => l === 'Parley changed the status to Open')).toHaveLength(1);
  });

  it('snoozed again for longer, it sleeps on past the first time; opened by hand, it stays as it is', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'snoozed', snoozedUntil: inHours(1) });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'snoozed', snoozedUntil: inHours(5) });
    clock.advance(2 * HOUR);
    await t.app.jobs.runDueJobs();
    expect((await ticketOf(ticket.id)).status).toBe('snoozed');

    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'in_progress' });
    clock.advance(4 * HOUR);
    await t.app.jobs.runDueJobs();
    expect(await ticketOf(ticket.id)).toMatchObject({ status: 'in_progress', snoozedUntil: null });
  });

  it('refuses a snooze without a time, with a time in the past, or over a year ahead', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const patch = (body: object) => as(t, desk.sam).patch(`/tickets/${ticket.id}`, body);
    for (const body of [
      { status: 'snoozed' },
      { status: 'snoozed', snoozedUntil: inHours(-1) },
      { status: 'snoozed', snoozedUntil: inHours(24 * 400) },
      { status: 'open', snoozedUntil: inHours(1) },
    ]) {
      const answer = await patch(body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.json()).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect((await ticketOf(ticket.id)).status).toBe('open');
  });

  describe("the customer's reply", () => {
    let sent = 0;
    const reply = async (who: keyof Desk, ticket: Ticket, internal = false) => {
      const response = await as(t, desk[who] as never).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: `wake-${++sent}`,
        body: `Reply ${sent}`,
        internal,
      });
      expect(response.statusCode).toBe(201);
    };
    const statusAudit = async (ticket: Ticket) =>
      (
        await t.database.db
          .selectFrom('auditLog')
          .select(['actorId', 'data'])
          .where('entityId', '=', ticket.id)
          .where('action', '=', 'ticket.status_changed')
          .orderBy('id')
          .execute()
      ).map((a) => ({ actorId: a.actorId, ...JSON.parse(a.data) }));

    it('brings a pending ticket back to open, live, with a line and an audit entry; staff replies do not', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'pending' });
      await reply('sam', ticket);
      await reply('sam', ticket, true);
      expect((await ticketOf(ticket.id)).status).toBe('pending');

      const kim = await readySocket(base, desk.kim);
      try {
        await reply('carla', ticket);
        const live = await kim.next('ticket.updated', (f) => f.ticket.id === ticket.id);
        expect(live.ticket).toMatchObject({ status: 'open', snoozedUntil: null });
      } finally {
        await kim.close();
      }
      expect((await ticketOf(ticket.id)).status).toBe('open');
      expect((await systemLines(ticket)).at(-1)).toBe('Carla reopened the ticket by replying');
      expect((await statusAudit(ticket)).at(-1)).toMatchObject({
        actorId: desk.carla.user.id,
        from: 'pending',
        to: 'open',
      });
      // Open already: another reply changes nothing more.
      await reply('carla', ticket);
      expect((await systemLines(ticket)).filter((l) => l.includes('by replying'))).toHaveLength(1);
    });

    it('wakes a snoozed ticket early; its wake-up job then has nothing to do', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'snoozed', snoozedUntil: inHours(3) });
      clock.advance(HOUR);
      await reply('carla', ticket);
      expect(await ticketOf(ticket.id)).toMatchObject({ status: 'open', snoozedUntil: null });
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'in_progress' });
      clock.advance(3 * HOUR);
      await t.app.jobs.runDueJobs();
      expect((await ticketOf(ticket.id)).status).toBe('in_progress');
      const lines = await systemLines(ticket);
      expect(lines).toContain('Carla reopened the ticket by replying');
      expect(lines.filter((l) => l.startsWith('Parley'))).toEqual([]);
      expect((await statusAudit(ticket)).map((a) => `${a.from}>${a.to}`)).toEqual([
        'open>snoozed',
        'snoozed>open',
        'open>in_progress',
      ]);
    });

    it('leaves an in-progress ticket as it is', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'in_progress' });
      await reply('carla', ticket);
      expect((await ticketOf(ticket.id)).status).toBe('in_progress');
    });
  });
});
