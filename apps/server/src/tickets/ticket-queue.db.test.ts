import type { TicketCounts, TicketListItem, TicketPage } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

/** The queue agents work from: rows with people, preview and unread; priority sort; counts. */
describe(`ticket queue on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    desk = await setUpDesk(t);
    await as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: true });
  });
  afterAll(() => t.close());

  const list = async (who: keyof typeof desk, query: string) => {
    const response = await as(t, desk[who] as never).get(`/tickets?${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<TicketPage>();
  };
  const counts = async (who: 'sam' | 'carla' | 'dan' | 'otto', query = '') =>
    (await as(t, desk[who]).get(`/tickets/counts?${query}`)).json<TicketCounts>();
  /** Writes to a ticket's thread as `who`, and makes sure it went in. */
  const say = async (who: 'sam' | 'carla' | 'dan', ticket: TicketListItem, body: string, internal = false) => {
    const response = await as(t, desk[who]).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: newId(),
      body,
      internal,
    });
    expect(response.statusCode).toBe(201);
  };
  /** Every ticket of a listing, page by page. */
  const listAll = async (who: 'sam' | 'carla' | 'dan' | 'otto', query: string) => {
    const items: TicketListItem[] = [];
    let cursor: string | null = null;
    do {
      const page: TicketPage = await list(who, `${query}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  };

  describe('sorted by priority', () => {
    const opened: TicketListItem[] = [];
    beforeAll(async () => {
      // Same priorities opened at different times, so "longest waiting first" has work to do.
      for (const priority of ['medium', 'urgent', 'low', 'high', 'urgent', 'medium', 'high', 'low'] as const) {
        clock.advance(60_000);
        const ticket = await openTicket(t, desk.dan, { subject: `Dan ${priority}`, priority, teamId: desk.billing });
        opened.push(ticket as TicketListItem);
      }
      // Activity on the newest urgent ticket must not move it ahead of the older urgent one.
      clock.advance(60_000);
      await say('dan', opened[4]!, 'Still down!');
    });

    it('puts Urgent first, then High, Medium, Low, and the oldest first within each', async () => {
      const page = await list('otto', `teamId=${desk.billing}&sort=priority&limit=100`);
      const byAge = (priority: string) => opened.filter((o) => o.priority === priority).map((o) => o.id);
      expect(page.items.map((i) => i.id)).toEqual([
        ...byAge('urgent'),
        ...byAge('high'),
        ...byAge('medium'),
        ...byAge('low'),
      ]);
    });

    it('pages through the priority sort returning every ticket once, in the same order', async () => {
      const whole = (await list('otto', `teamId=${desk.billing}&sort=priority&limit=100`)).items.map((i) => i.id);
      const paged = (await listAll('otto', `teamId=${desk.billing}&sort=priority`)).map((i) => i.id);
      expect(paged).toEqual(whole);
      expect(new Set(paged).size).toBe(opened.length);
    });
  });

  describe('a row', () => {
    let ticket: TicketListItem;
    beforeAll(async () => {
      clock.advance(60_000);
      ticket = (await openTicket(t, desk.carla, {
        subject: 'Password reset mail never comes',
        priority: 'high',
        teamId: desk.support,
      })) as TicketListItem;
      await say('carla', ticket, 'I tried three times.');
      await say('carla', ticket, 'Also checked spam.');
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
      await say('sam', ticket, 'Looking into it now.');
      await say('sam', ticket, 'Her domain bounces our mail.', true);
    });
    const row = async (who: 'sam' | 'kim' | 'carla') =>
      (await list(who, 'sort=updated&limit=100')).items.find((i) => i.id === ticket.id)!;

    it("shows the requester and assignee by name, and the staff reader's last message and unread count", async () => {
      const sams = await row('sam');
      expect(sams.requester).toMatchObject({ id: desk.carla.user.id, displayName: 'Carla', avatarUrl: null });
      expect(sams.assignee).toMatchObject({ id: desk.sam.user.id, displayName: 'Sam Agent' });
      expect(sams.lastMessage?.body).toBe('Her domain bounces our mail.');
      expect(sams.priority).toBe('high');
      expect(sams.status).toBe('open');
      // Kim never opened it: Carla's two messages, the assignment line, Sam's reply and note.
      const kims = await row('kim');
      expect(kims.unreadCount).toBe(5);
      expect(kims.lastReadSeq).toBe(0);
    });

    it('never gives the customer an internal note as the preview, nor counts one as unread', async () => {
      const carlas = await row('carla');
      expect(carlas.lastMessage?.body).toBe('Looking into it now.');
      expect(carlas.lastMessage?.kind).not.toBe('note');
      // The assignment line and Sam's reply; her own messages and the note do not count.
      expect(carlas.unreadCount).toBe(2);
      expect(carlas.lastSeq).toBe(carlas.lastMessage!.seq);
      const one = (await as(t, desk.carla).get(`/tickets/${ticket.id}`)).json<TicketListItem>();
      expect(one.lastMessage?.body).toBe('Looking into it now.');
    });

    it('shows a deleted last message without its text', async () => {
      const sams = await row('sam');
      const noteId = sams.lastMessage!.id;
      expect(
        (await as(t, desk.sam).delete(`/conversations/${ticket.conversationId}/messages/${noteId}`)).statusCode,
      ).toBeLessThan(300);
      const after = await row('sam');
      expect(after.lastMessage?.id).toBe(noteId);
      expect(after.lastMessage?.body).not.toContain('bounces');
      expect(after.lastMessage?.deletedAt).not.toBeNull();
    });
  });

  describe('counts', () => {
    beforeAll(async () => {
      clock.advance(60_000);
      const other = await openTicket(t, desk.carla, { subject: 'Closed one', priority: 'low', teamId: desk.billing });
      await as(t, desk.otto).patch(`/tickets/${other.id}`, { status: 'closed' });
    });

    /** What the list itself says for a filter: the number of tickets it pages through. */
    const listed = async (who: 'sam' | 'carla' | 'dan' | 'otto', query: string) =>
      (await listAll(who, `sort=priority${query ? `&${query}` : ''}`)).length;

    for (const who of ['otto', 'sam', 'carla', 'dan'] as const) {
      it(`match the list for ${who}, for every filter value`, async () => {
        const c = await counts(who);
        expect(c.status.all).toBe(await listed(who, ''));
        for (const status of ['open', 'in_progress', 'closed'] as const)
          expect([status, c.status[status]]).toEqual([status, await listed(who, `status=${status}`)]);
        for (const priority of ['low', 'medium', 'high', 'urgent'] as const)
          expect([priority, c.priority[priority]]).toEqual([priority, await listed(who, `priority=${priority}`)]);
        expect(c.assignee.unassigned).toBe(await listed(who, 'assigneeId=none'));
        expect(c.assignee.me).toBe(await listed(who, `assigneeId=${desk[who].user.id}`));
      });
    }

    it('count each group under the other groups’ filters, so a chip says what choosing it lists', async () => {
      const c = await counts('otto', 'status=open&priority=urgent');
      expect(c.assignee.unassigned).toBe(await listed('otto', 'status=open&priority=urgent&assigneeId=none'));
      expect(c.status.closed).toBe(await listed('otto', 'status=closed&priority=urgent'));
      expect(c.priority.low).toBe(await listed('otto', 'status=open&priority=low'));
      expect(c.status.all).toBe(c.priority.urgent);
    });

    it("never count another customer's tickets for a customer", async () => {
      const carla = await counts('carla');
      const dan = await counts('dan');
      expect(carla.status.all).toBe(2);
      expect(dan.status.all).toBe(8);
      expect(carla.status.closed).toBe(1);
      expect(carla.priority.urgent).toBe(0);
      expect(dan.priority.urgent).toBe(2);
      const sam = await counts('sam');
      // Sam (Support) sees Carla's Support ticket only, and it is his.
      expect(sam.status.all).toBe(1);
      expect(sam.assignee).toEqual({ all: 1, me: 1, unassigned: 0 });
    });
  });
});
