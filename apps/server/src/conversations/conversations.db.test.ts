import type { Conversation, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

describe(`conversations on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let said = 0;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const befriend = async (a: Session, b: Session) => {
    const now = Date.now();
    await t.database.db
      .insertInto('contacts')
      .values([
        { workspaceId: a.user.workspace.id, userId: a.user.id, contactId: b.user.id, createdAt: now },
        { workspaceId: a.user.workspace.id, userId: b.user.id, contactId: a.user.id, createdAt: now },
      ])
      .execute();
  };
  const dm = (from: Session, to: Session) => as(t, from).post('/conversations/direct', { userId: to.user.id });
  const say = (who: Session, conversationId: string, body: string) =>
    as(t, who).post(`/conversations/${conversationId}/messages`, { clientMsgId: `say-${++said}`, body });
  const list = async (who: Session, query = '') =>
    (await as(t, who).get(`/conversations${query}`)).json<{ items: Conversation[]; nextCursor: string | null }>();

  describe('direct messages', () => {
    it('a customer can write to a contact, and the pair always gets the same conversation', async () => {
      expect((await dm(desk.carla, desk.dan)).statusCode).toBe(403);
      await befriend(desk.carla, desk.dan);
      const created = await dm(desk.carla, desk.dan);
      expect(created.statusCode).toBe(201);
      const conversation = created.json<Conversation>();
      expect(conversation).toMatchObject({ kind: 'direct', ticketId: null, lastMessage: null, unreadCount: 0 });
      expect(conversation.members.map((m) => m.id).sort()).toEqual([desk.carla.user.id, desk.dan.user.id].sort());
      expect(JSON.stringify(conversation.members)).not.toContain('@example.com');
      const again = await dm(desk.dan, desk.carla);
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(conversation.id);
    });

    it('agents and admins can write to anyone; nobody to themself or to an unknown user', async () => {
      expect((await dm(desk.sam, desk.dan)).statusCode).toBe(201);
      expect((await dm(desk.admin, desk.carla)).statusCode).toBe(201);
      expect((await dm(desk.sam, desk.sam)).statusCode).toBe(400);
      expect(
        (await as(t, desk.sam).post('/conversations/direct', { userId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })).statusCode,
      ).toBe(404);
    });

    it('are private to their two members, admins included', async () => {
      const { id } = (await dm(desk.carla, desk.dan)).json<Conversation>();
      await say(desk.carla, id, 'just between us');
      for (const outsider of [desk.admin, desk.sam, desk.kim]) {
        expect((await as(t, outsider).get(`/conversations/${id}/messages`)).statusCode).toBe(404);
        expect((await say(outsider, id, 'hi')).statusCode).toBe(404);
      }
      expect((await as(t, desk.dan).get(`/conversations/${id}/messages`)).json().items[0].body).toBe('just between us');
    });

    it('a block either way makes the other user unreachable', async () => {
      const eve = await signUp(t, 'customer');
      await befriend(desk.carla, eve);
      await t.database.db
        .insertInto('blocks')
        .values({
          workspaceId: eve.user.workspace.id,
          blockerId: eve.user.id,
          blockedId: desk.carla.user.id,
          createdAt: Date.now(),
        })
        .execute();
      expect((await dm(desk.carla, eve)).statusCode).toBe(404);
      expect((await dm(eve, desk.carla)).statusCode).toBe(404);
    });
  });

  describe('my conversation list', () => {
    it('shows my tickets and chats, latest activity first, with last message and unread count', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support, subject: 'Broken login' });
      const chat = (await dm(desk.carla, desk.dan)).json<Conversation>();
      await say(desk.dan, chat.id, 'see you at 5');
      await say(desk.dan, chat.id, 'bring the invoice');
      await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });

      const items = (await list(desk.carla)).items;
      expect(items[0]).toMatchObject({
        id: ticket.conversationId,
        kind: 'ticket',
        ticketId: ticket.id,
        title: 'Broken login',
      });
      expect(items[0]!.lastMessage).toMatchObject({ kind: 'system', body: 'Sam Agent took the ticket' });
      const chatView = items.find((c) => c.id === chat.id)!;
      expect(chatView).toMatchObject({ unreadCount: 2, lastMessage: { body: 'bring the invoice' } });
      expect((await list(desk.otto)).items.map((c) => c.id)).not.toContain(ticket.conversationId);
    });

    it('pages with a cursor, each conversation once', async () => {
      const all = (await list(desk.carla, '?limit=100')).items.map((c) => c.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: Conversation[]; nextCursor: string | null } = await list(
          desk.carla,
          `?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
      expect(all.length).toBeGreaterThanOrEqual(3);
    });

    it('drops a ticket thread once an agent may no longer see the ticket', async () => {
      const ticket = await openTicket(t, desk.dan, { teamId: desk.support });
      await as(t, desk.kim).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
      expect((await list(desk.kim)).items.map((c) => c.id)).not.toContain(ticket.conversationId); // Kim never joined
      expect((await list(desk.sam)).items.map((c) => c.id)).toContain(ticket.conversationId);
      await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { teamId: desk.billing, assigneeId: desk.otto.user.id });
      expect((await list(desk.sam)).items.map((c) => c.id)).not.toContain(ticket.conversationId);
      expect((await as(t, desk.sam).get(`/conversations/${ticket.conversationId}`)).statusCode).toBe(404);
    });
  });
});
