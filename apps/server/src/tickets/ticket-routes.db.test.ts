import type { Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

describe(`tickets on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  /** Carla's ticket for team Support; Dan's ticket with no team. */
  let carlas: Ticket;
  let dans: Ticket;

  beforeAll(async () => {
    // The clock jumps days ahead here; tokens must outlive it (expiry is auth's concern).
    t = await startTestApp({ clock, env: { BODY_LIMIT_BYTES: '65536', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    desk = await setUpDesk(t);
    carlas = await openTicket(t, desk.carla, { subject: 'Cannot sign in', priority: 'high', teamId: desk.support });
    dans = await openTicket(t, desk.dan, { subject: 'Invoice is wrong' });
  });
  afterAll(() => t.close());

  const ids = (page: { items: Ticket[] }) => page.items.map((i) => i.id);
  const thread = async (ticket: Ticket) =>
    (await as(t, desk.admin).get(`/conversations/${ticket.conversationId}/messages`)).json<{ items: Message[] }>()
      .items;

  describe('a customer opening a ticket', () => {
    it('gets it back with defaults, its own conversation, and an audit entry', async () => {
      expect(carlas).toMatchObject({
        status: 'open',
        priority: 'high',
        requesterId: desk.carla.user.id,
        assigneeId: null,
        teamId: desk.support,
        closedAt: null,
      });
      expect(dans.priority).toBe('medium');
      const audit = await t.database.db.selectFrom('auditLog').selectAll().where('entityId', '=', carlas.id).execute();
      expect(audit.map((a) => a.action)).toEqual(['ticket.created']);
      expect((await as(t, desk.carla).get(`/conversations/${carlas.conversationId}`)).json().ticketId).toBe(carlas.id);
    });

    it('is told exactly what is wrong with a bad ticket', async () => {
      const bad = await as(t, desk.carla).post('/tickets', {
        subject: '  ',
        description: 'x'.repeat(10_001),
        priority: 'critical',
      });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.details.fields.map((f: { path: string }) => f.path)
          .sort(),
      ).toEqual(['description', 'priority', 'subject']);
      expect(
        (
          await as(t, desk.sam).post('/tickets', {
            subject: 'Hi',
            description: 'x',
            teamId: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
          })
        ).statusCode,
      ).toBe(404);
      // Customers pick categories: an unknown one is refused like one not offered to them.
      expect(
        (
          await as(t, desk.carla).post('/tickets', {
            subject: 'Hi',
            description: 'x',
            teamId: '01JZZZZZZZZZZZZZZZZZZZZZZZ',
          })
        ).json().error.details.fields,
      ).toEqual([{ in: 'body', path: 'teamId', message: 'Not an offered category' }]);
      expect(
        (await as(t, desk.carla).post('/tickets', { subject: 'Hi', description: 'x'.repeat(70_000) })).statusCode,
      ).toBe(413);
    });
  });

  describe('who sees which ticket', () => {
    it("a customer sees only their own, and a stranger's ticket does not exist for them", async () => {
      expect(ids((await as(t, desk.carla).get('/tickets')).json())).toEqual([carlas.id]);
      for (const response of [
        await as(t, desk.dan).get(`/tickets/${carlas.id}`),
        await as(t, desk.dan).patch(`/tickets/${carlas.id}`, { status: 'closed' }),
        await as(t, desk.dan).get(`/conversations/${carlas.conversationId}/messages`),
      ]) {
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('not_found');
      }
      expect(ids((await as(t, desk.dan).get(`/tickets?requesterId=${desk.carla.user.id}`)).json())).toEqual([]);
    });

    it("an agent sees their teams' tickets, those with no team and those assigned to them, not other teams'", async () => {
      // A ticket with no team is in every agent's queue (the workspace's shared queue).
      expect(ids((await as(t, desk.sam).get('/tickets')).json()).sort()).toEqual([carlas.id, dans.id].sort());
      expect((await as(t, desk.otto).get(`/tickets/${carlas.id}`)).statusCode).toBe(404);
      expect(ids((await as(t, desk.otto).get('/tickets')).json())).toEqual([dans.id]);
      // Moved into Billing, it leaves Support's agents; assigned to Sam, it is his again.
      await as(t, desk.admin).patch(`/tickets/${dans.id}`, { teamId: desk.billing });
      expect(ids((await as(t, desk.sam).get('/tickets')).json())).toEqual([carlas.id]);
      await as(t, desk.admin).patch(`/tickets/${dans.id}`, { assigneeId: desk.sam.user.id });
      expect(ids((await as(t, desk.sam).get('/tickets')).json()).sort()).toEqual([carlas.id, dans.id].sort());
      await as(t, desk.admin).patch(`/tickets/${dans.id}`, { teamId: null, assigneeId: null });
    });

    it('an admin sees every ticket', async () => {
      expect(ids((await as(t, desk.admin).get('/tickets')).json()).sort()).toEqual([carlas.id, dans.id].sort());
    });
  });

  describe('working a ticket', () => {
    it('an agent takes it and moves it along; each step is in the thread and the audit log', async () => {
      const sam = as(t, desk.sam);
      expect(
        (await sam.patch(`/tickets/${carlas.id}`, { assigneeId: desk.sam.user.id, status: 'in_progress' })).json(),
      ).toMatchObject({
        assigneeId: desk.sam.user.id,
        status: 'in_progress',
      });
      clock.advance(60_000);
      const closed = (
        await sam.patch(`/tickets/${carlas.id}`, { status: 'closed', priority: 'urgent' })
      ).json<Ticket>();
      expect(closed).toMatchObject({
        status: 'closed',
        priority: 'urgent',
        closedAt: new Date(clock.now()).toISOString(),
      });
      expect((await thread(carlas)).filter((m) => m.kind === 'system').map((m) => m.body)).toEqual([
        'Sam Agent changed the status to In progress',
        'Sam Agent took the ticket',
        'Sam Agent closed the ticket',
        'Sam Agent changed the priority from high to urgent',
      ]);
      const audit = await t.database.db
        .selectFrom('auditLog')
        .select(['action', 'data'])
        .where('entityId', '=', carlas.id)
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'ticket.created',
        'ticket.status_changed',
        'ticket.assignee_changed',
        'ticket.status_changed',
        'ticket.priority_changed',
      ]);
      expect(JSON.parse(audit[4]!.data)).toEqual({ from: 'high', to: 'urgent' });
      expect((await sam.patch(`/tickets/${carlas.id}`, { status: 'in_progress' })).statusCode).toBe(409);
      expect((await sam.patch(`/tickets/${carlas.id}`, { status: 'open' })).json().status).toBe('open');
    });

    it('an agent assigns within their team only, and the new assignee is notified', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      const sam = as(t, desk.sam);
      expect((await sam.patch(`/tickets/${ticket.id}`, { assigneeId: desk.otto.user.id })).statusCode).toBe(403);
      expect((await sam.patch(`/tickets/${ticket.id}`, { assigneeId: desk.carla.user.id })).statusCode).toBe(400);
      expect((await sam.patch(`/tickets/${ticket.id}`, { teamId: desk.billing })).statusCode).toBe(403);
      expect((await sam.patch(`/tickets/${ticket.id}`, { assigneeId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).statusCode).toBe(
        404,
      );
      expect((await sam.patch(`/tickets/${ticket.id}`, { assigneeId: desk.kim.user.id })).json().assigneeId).toBe(
        desk.kim.user.id,
      );
      await t.app.notifications.settled();
      const notes = await t.database.db
        .selectFrom('notifications')
        .selectAll()
        .where('kind', '=', 'ticket.assigned')
        .execute();
      expect(notes.map((n) => [n.userId, JSON.parse(n.data).ticketId])).toContainEqual([desk.kim.user.id, ticket.id]);
      // An admin may move it anywhere and assign any staff member.
      expect(
        (
          await as(t, desk.admin).patch(`/tickets/${ticket.id}`, {
            teamId: desk.billing,
            assigneeId: desk.otto.user.id,
          })
        ).statusCode,
      ).toBe(200);
      expect((await sam.get(`/tickets/${ticket.id}`)).statusCode).toBe(404);
    });

    it('a customer may close their ticket and reopen it within 7 days, and nothing else', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      const carla = as(t, desk.carla);
      expect((await carla.patch(`/tickets/${ticket.id}`, { priority: 'urgent' })).statusCode).toBe(403);
      expect((await carla.patch(`/tickets/${ticket.id}`, { status: 'in_progress' })).statusCode).toBe(403);
      expect((await carla.patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id })).statusCode).toBe(403);
      expect((await carla.patch(`/tickets/${ticket.id}`, { status: 'closed' })).json().status).toBe('closed');
      clock.advance(6 * 24 * 3600_000);
      expect((await carla.patch(`/tickets/${ticket.id}`, { status: 'open' })).json().status).toBe('open');
      await carla.patch(`/tickets/${ticket.id}`, { status: 'closed' });
      clock.advance(8 * 24 * 3600_000);
      const late = await carla.patch(`/tickets/${ticket.id}`, { status: 'open' });
      expect(late.statusCode).toBe(409);
      expect(late.json().error.message).toMatch(/more than 7 days/);
      expect((await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'open' })).statusCode).toBe(200);
    });

    describe('changed by several people at once', () => {
      /** The ticket's changes of one kind in the audit log, oldest first, as [from, to]. */
      const auditTrail = async (ticket: Ticket, action: string) =>
        (
          await t.database.db
            .selectFrom('auditLog')
            .select('data')
            .where('entityId', '=', ticket.id)
            .where('action', '=', action)
            .orderBy('id')
            .execute()
        ).map((a) => {
          const { from, to } = JSON.parse(a.data) as { from: unknown; to: unknown };
          return [from, to];
        });
      const systemLines = async (ticket: Ticket) => (await thread(ticket)).filter((m) => m.kind === 'system');

      /** Every applied change starts where the one before it ended, and the ticket is where the last one ended. */
      const expectOneChain = (trail: unknown[][], start: unknown, final: unknown) => {
        expect(trail.length).toBeGreaterThan(0);
        trail.forEach(([from], i) => expect(from).toBe(i === 0 ? start : trail[i - 1]![1]));
        expect(trail.at(-1)![1]).toBe(final);
      };

      it('closing and moving along at once: each change applies to what it saw, or answers 409 conflict', async () => {
        const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
        const answers = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            as(t, i % 2 ? desk.sam : desk.admin).patch(`/tickets/${ticket.id}`, {
              status: i % 2 ? 'closed' : 'in_progress',
            }),
          ),
        );
        const codes = answers.map((a) => a.statusCode);
        expect(codes.every((c) => c === 200 || c === 409)).toBe(true);
        expect(answers.filter((a) => a.statusCode === 409).every((a) => a.json().error.code === 'conflict')).toBe(true);
        const final = (await as(t, desk.admin).get(`/tickets/${ticket.id}`)).json<Ticket>();
        const trail = await auditTrail(ticket, 'ticket.status_changed');
        expectOneChain(trail, 'open', final.status);
        expect(codes).toContain(409);
        // One line in the thread per change that applied.
        expect(await systemLines(ticket)).toHaveLength(trail.length);
      });

      it('assigning to different people at once: one chain of assignments and one notice each, or 409', async () => {
        const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
        const staff = [desk.sam, desk.kim, desk.otto, desk.admin];
        // The team has seen the new ticket: from here on its entries count assignments only.
        await t.app.notifications.settled();
        for (const agent of staff) await as(t, agent).post('/notifications/read-all');
        const answers = await Promise.all(
          staff.flatMap((assignee) =>
            [0, 1].map(() => as(t, desk.admin).patch(`/tickets/${ticket.id}`, { assigneeId: assignee.user.id })),
          ),
        );
        const codes = answers.map((a) => a.statusCode);
        expect(codes.every((c) => c === 200 || c === 409)).toBe(true);
        const final = (await as(t, desk.admin).get(`/tickets/${ticket.id}`)).json<Ticket>();
        const trail = await auditTrail(ticket, 'ticket.assignee_changed');
        expectOneChain(trail, null, final.assigneeId);
        expect(await systemLines(ticket)).toHaveLength(trail.length);
        await t.app.notifications.settled();
        const notices = await t.database.db
          .selectFrom('notifications')
          .select(['data', 'count'])
          .where('kind', '=', 'ticket.assigned')
          .execute();
        // One entry per assignee and ticket, counting each time it came to them.
        const forThis = notices.filter((n) => JSON.parse(n.data).ticketId === ticket.id);
        expect(forThis.reduce((sum, n) => sum + n.count, 0)).toBe(
          trail.filter(([, to]) => to !== desk.admin.user.id).length,
        );
      });
    });

    it('refuses an empty change and unknown tickets', async () => {
      expect((await as(t, desk.sam).patch(`/tickets/${carlas.id}`, {})).statusCode).toBe(400);
      expect((await as(t, desk.admin).get('/tickets/01JZZZZZZZZZZZZZZZZZZZZZZZ')).statusCode).toBe(404);
      expect((await as(t, desk.admin).get('/tickets/not-an-id')).statusCode).toBe(400);
    });
  });

  describe('listing', () => {
    let mine: Ticket[];
    beforeAll(async () => {
      const customer = desk.dan;
      // Dan may choose Urgent on this desk.
      await as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: true });
      mine = [];
      for (const [i, priority] of (['low', 'urgent', 'medium', 'high', 'low', 'urgent', 'medium'] as const).entries()) {
        clock.advance(1000);
        mine.push(
          await openTicket(t, customer, {
            subject: `Batch ${i} ${i === 3 ? '100% broken_thing' : 'ok'}`,
            priority,
            teamId: desk.billing,
          }),
        );
      }
    });

    it('pages newest first with a cursor: every ticket exactly once, even with inserts between pages', async () => {
      const otto = as(t, desk.otto);
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: Ticket[]; nextCursor: string | null } = (
          await otto.get(`/tickets?teamId=${desk.billing}&limit=3${cursor ? `&cursor=${cursor}` : ''}`)
        ).json();
        seen.push(...ids(page));
        cursor = page.nextCursor;
        if (pages++ === 0) {
          clock.advance(1000);
          await openTicket(t, desk.dan, { subject: 'Arrived mid-listing', teamId: desk.billing });
        }
      } while (cursor);
      const expected = [...mine].reverse().map((m) => m.id);
      expect(seen.filter((id) => expected.includes(id))).toEqual(expected);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('sorts by priority, most urgent first, the longest waiting first within a priority', async () => {
      const page = (await as(t, desk.otto).get(`/tickets?teamId=${desk.billing}&sort=priority&limit=100`)).json<{
        items: Ticket[];
      }>();
      const ranks = page.items.map((i) => ['low', 'medium', 'high', 'urgent'].indexOf(i.priority));
      expect(ranks).toEqual([...ranks].sort((a, b) => b - a));
      expect(page.items.filter((i) => i.priority === 'urgent').map((i) => i.id)).toEqual([mine[1]!.id, mine[5]!.id]);
    });

    it('filters by status, priority, assignee, team and subject text (literally, any case)', async () => {
      const otto = as(t, desk.otto);
      expect(ids((await otto.get(`/tickets?teamId=${desk.billing}&priority=low`)).json())).toEqual([
        mine[4]!.id,
        mine[0]!.id,
      ]);
      expect(ids((await otto.get('/tickets?q=100%25%20BROKEN_')).json())).toEqual([mine[3]!.id]);
      expect(ids((await otto.get('/tickets?q=_')).json())).toEqual([mine[3]!.id]);
      await otto.patch(`/tickets/${mine[2]!.id}`, { assigneeId: desk.otto.user.id, status: 'in_progress' });
      expect(ids((await otto.get(`/tickets?assigneeId=${desk.otto.user.id}&status=in_progress`)).json())).toEqual([
        mine[2]!.id,
      ]);
      expect(ids((await otto.get(`/tickets?teamId=${desk.billing}&assigneeId=none`)).json())).not.toContain(
        mine[2]!.id,
      );
    });

    it('rejects a cursor that is not one of ours and bad filters', async () => {
      expect((await as(t, desk.otto).get('/tickets?cursor=bm9wZQ')).json().error.code).toBe('validation_failed');
      const bad = await as(t, desk.otto).get('/tickets?status=done&limit=1000');
      expect(
        bad
          .json()
          .error.details.fields.map((f: { path: string }) => f.path)
          .sort(),
      ).toEqual(['limit', 'status']);
    });
  });
});
