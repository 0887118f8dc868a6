import type { Conversation, Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

describe(`messages on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  let url: string;
  let n = 0;
  const nextId = () => `cm-${++n}`;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    url = `/conversations/${ticket.conversationId}/messages`;
  });
  afterAll(() => t.close());

  const send = (who = desk.carla, body: object = {}) =>
    as(t, who).post(url, { clientMsgId: nextId(), body: 'Hello', ...body });
  const history = async (who = desk.carla, query = '') =>
    (await as(t, who).get(`${url}${query}`)).json<{ items: Message[]; hasMore: boolean; lastSeq: number }>();
  const conversation = async (who = desk.carla) =>
    (await as(t, who).get(`/conversations/${ticket.conversationId}`)).json<Conversation>();

  describe('sending', () => {
    it('numbers messages 1, 2, 3 in the thread and answers 201 with the stored message', async () => {
      const first = await send(desk.carla, { body: 'My screen is blank' });
      expect(first.statusCode).toBe(201);
      const message = first.json<Message>();
      expect(message).toMatchObject({
        body: 'My screen is blank',
        kind: 'text',
        senderId: desk.carla.user.id,
        reactions: [],
        attachments: [],
        editedAt: null,
      });
      const seqs = [message.seq, (await send()).json().seq, (await send()).json().seq];
      expect(seqs.map((s) => s - seqs[0]!)).toEqual([0, 1, 2]);
    });

    it('stores a resend with the same clientMsgId once and answers it with the original', async () => {
      const body = { clientMsgId: 'resend-1', body: 'Once only' };
      const original = await as(t, desk.carla).post(url, body);
      const again = await as(t, desk.carla).post(url, { ...body, body: 'changed on the retry' });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual(original.json());
      const burst = await Promise.all(
        Array.from({ length: 5 }, () => as(t, desk.carla).post(url, { clientMsgId: 'burst-1', body: 'flaky network' })),
      );
      expect(new Set(burst.map((r) => r.json().id)).size).toBe(1);
      expect(burst.filter((r) => r.statusCode === 201)).toHaveLength(1);
      expect((await history(desk.carla, '?limit=100')).items.filter((m) => m.clientMsgId === 'burst-1')).toHaveLength(
        1,
      );
    });

    it('gives concurrent senders distinct, gapless seqs', async () => {
      const { lastSeq } = await history();
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) => send(i % 2 ? desk.carla : desk.sam)));
      expect(results.every((r) => r.statusCode === 201)).toBe(true);
      const seqs = results.map((r) => r.json<Message>().seq).sort((a, b) => a - b);
      expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => lastSeq + 1 + i));
    });

    it('keeps text exactly as typed: markup is text, emoji and RTL survive', async () => {
      const body = '<script>alert("x")</script> 👩‍💻 \u202Eשלום';
      expect((await send(desk.carla, { body })).json().body).toBe(body);
    });

    it('refuses bad messages with the fields at fault', async () => {
      for (const [payload, field] of [
        [{ clientMsgId: 'ok-1', body: '   ' }, 'body'],
        [{ clientMsgId: 'ok-2', body: 'x'.repeat(10_001) }, 'body'],
        [{ clientMsgId: 'has space', body: 'hi' }, 'clientMsgId'],
        [{ body: 'hi' }, 'clientMsgId'],
        [{ clientMsgId: 'ok-3', body: 42 }, 'body'],
      ] as const) {
        const response = await as(t, desk.carla).post(url, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.json().error.details.fields.map((f: { path: string }) => f.path)).toEqual([field]);
      }
    });

    it('is only for people who may see the ticket', async () => {
      expect((await send(desk.dan)).statusCode).toBe(404);
      expect((await send(desk.otto)).statusCode).toBe(404);
      expect((await as(t, desk.dan).get(url)).statusCode).toBe(404);
      expect((await send(desk.kim)).statusCode).toBe(201); // in the ticket's team
      expect((await send(desk.admin)).statusCode).toBe(201);
    });

    it('moves the ticket to the top of recently updated and notifies the other side', async () => {
      const other = await openTicket(t, desk.carla, { teamId: desk.support });
      expect((await as(t, desk.carla).get('/tickets')).json().items[0].id).toBe(other.id);
      const reply = (await send(desk.sam, { body: 'Looking into it' })).json<Message>();
      expect((await as(t, desk.carla).get('/tickets')).json().items[0].id).toBe(ticket.id);
      await t.app.notifications.settled();
      const notes = await t.database.db
        .selectFrom('notifications')
        .select(['userId', 'data'])
        .where('kind', '=', 'ticket.message')
        .execute();
      const about = (userId: string) =>
        notes.filter((x) => x.userId === userId && JSON.parse(x.data).messageId === reply.id);
      expect(about(desk.carla.user.id).map((x) => JSON.parse(x.data))).toEqual([
        {
          ticketId: ticket.id,
          conversationId: ticket.conversationId,
          messageId: reply.id,
          seq: reply.seq,
          subject: ticket.subject,
          sender: { id: desk.sam.user.id, displayName: 'Sam Agent', bot: false },
          preview: 'Looking into it',
        },
      ]);
      expect(about(desk.sam.user.id)).toEqual([]);
    });
  });

  describe('history', () => {
    it('pages backwards from the latest and forwards from a seq, always in ascending order', async () => {
      const all = (await history(desk.sam, '?limit=100')).items;
      const latest = await history(desk.sam, '?limit=3');
      expect(latest.items.map((m) => m.seq)).toEqual(all.slice(-3).map((m) => m.seq));
      expect(latest.hasMore).toBe(true);
      const older = await history(desk.sam, `?beforeSeq=${latest.items[0]!.seq}&limit=2`);
      expect(older.items.map((m) => m.seq)).toEqual(all.slice(-5, -3).map((m) => m.seq));
      const after = await history(desk.sam, `?afterSeq=${all[1]!.seq}&limit=2`);
      expect(after.items.map((m) => m.seq)).toEqual([all[2]!.seq, all[3]!.seq]);
      expect((await history(desk.sam, `?afterSeq=${all.at(-1)!.seq}`)).items).toEqual([]);
      expect((await as(t, desk.sam).get(`${url}?afterSeq=1&beforeSeq=5`)).statusCode).toBe(400);
    });
  });

  describe('internal notes', () => {
    it('reach staff and never the customer, through any route', async () => {
      const ticketUpdatedAt = async () =>
        (await as(t, desk.carla).get(`/tickets/${ticket.id}`)).json<Ticket>().updatedAt;
      const updatedBefore = await ticketUpdatedAt();
      const note = await send(desk.sam, { body: 'Customer is on an old version', internal: true });
      expect(note.statusCode).toBe(201);
      expect(note.json().kind).toBe('note');
      expect((await history(desk.kim, '?limit=100')).items.map((m) => m.id)).toContain(note.json().id);
      const carlaSees = (await history(desk.carla, '?limit=100')).items;
      expect(carlaSees.some((m) => m.kind === 'note' || m.body.includes('old version'))).toBe(false);
      const view = await conversation(desk.carla);
      expect(view.lastMessage?.kind).not.toBe('note');
      const list = (await as(t, desk.carla).get('/conversations')).json<{ items: Conversation[] }>();
      expect(JSON.stringify(list)).not.toContain('old version');
      const noteId = note.json<Message>().id;
      expect(await ticketUpdatedAt()).toBe(updatedBefore);
      expect((await as(t, desk.carla).post(`${url}/${noteId}/reactions`, { emoji: '👍' })).statusCode).toBe(404);
      await t.app.notifications.settled();
      const notified = await t.database.db
        .selectFrom('notifications')
        .select('data')
        .where('userId', '=', desk.carla.user.id)
        .execute();
      expect(notified.some((x) => JSON.parse(x.data).messageId === noteId)).toBe(false);
    });

    it('may be written by staff only, and only on tickets', async () => {
      expect((await send(desk.carla, { internal: true })).statusCode).toBe(403);
      const dm = (
        await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id })
      ).json<Conversation>();
      const inDm = await as(t, desk.sam).post(`/conversations/${dm.id}/messages`, {
        clientMsgId: nextId(),
        body: 'x',
        internal: true,
      });
      expect(inDm.statusCode).toBe(400);
    });
  });

  describe('editing, deleting and reacting', () => {
    it('lets the author edit and delete their own message, leaving a tombstone in place', async () => {
      const message = (await send(desk.carla, { body: 'Typo hre' })).json<Message>();
      const edited = await as(t, desk.carla).patch(`${url}/${message.id}`, { body: 'Typo here' });
      expect(edited.json()).toMatchObject({ body: 'Typo here', seq: message.seq });
      expect(edited.json().editedAt).not.toBeNull();
      expect((await as(t, desk.sam).patch(`${url}/${message.id}`, { body: 'agent rewrites' })).statusCode).toBe(403);
      expect((await as(t, desk.sam).delete(`${url}/${message.id}`)).statusCode).toBe(403);
      await as(t, desk.sam).post(`${url}/${message.id}/reactions`, { emoji: '👍' });
      const deleted = (await as(t, desk.carla).delete(`${url}/${message.id}`)).json<Message>();
      expect(deleted).toMatchObject({ body: '', reactions: [], seq: message.seq });
      expect(deleted.deletedAt).not.toBeNull();
      const stored = (await history(desk.sam, '?limit=100')).items.find((m) => m.id === message.id);
      expect(stored).toMatchObject({ body: '', seq: message.seq });
      expect((await as(t, desk.carla).patch(`${url}/${message.id}`, { body: 'back' })).statusCode).toBe(409);
      expect((await as(t, desk.dan).delete(`${url}/${message.id}`)).statusCode).toBe(404);
    });

    it('toggles reactions per user and emoji', async () => {
      const message = (await send(desk.carla, { body: 'Thanks!' })).json<Message>();
      const react = (who = desk.sam, emoji = '🎉') => as(t, who).post(`${url}/${message.id}/reactions`, { emoji });
      await react();
      await react(desk.carla);
      expect((await react(desk.kim, '👍🏽')).json().reactions).toEqual([
        { emoji: '🎉', userIds: [desk.sam.user.id, desk.carla.user.id] },
        { emoji: '👍🏽', userIds: [desk.kim.user.id] },
      ]);
      expect((await react()).json().reactions).toEqual([
        { emoji: '🎉', userIds: [desk.carla.user.id] },
        { emoji: '👍🏽', userIds: [desk.kim.user.id] },
      ]);
      expect((await react(desk.sam, 'lol')).statusCode).toBe(400);
      expect((await react(desk.dan)).statusCode).toBe(404);
    });
  });

  describe('read cursors and unread counts', () => {
    it('count what others wrote since my cursor, which only moves forward', async () => {
      const samReads = async (seq: number) =>
        as(t, desk.sam).post(`/conversations/${ticket.conversationId}/read`, { seq });
      const { lastSeq } = await history(desk.sam);
      expect((await samReads(lastSeq)).statusCode).toBe(204);
      expect((await conversation(desk.sam)).unreadCount).toBe(0);
      await send(desk.carla);
      await send(desk.carla);
      await send(desk.sam); // my own message does not count, and moves my cursor
      const view = await conversation(desk.sam);
      expect(view.unreadCount).toBe(0);
      expect(view.lastReadSeq).toBe(view.lastSeq);
      await send(desk.carla);
      await send(desk.carla);
      expect((await conversation(desk.sam)).unreadCount).toBe(2);
      await samReads(view.lastSeq + 1);
      expect((await conversation(desk.sam)).unreadCount).toBe(1);
      await samReads(1);
      expect((await conversation(desk.sam)).unreadCount).toBe(1);
      await samReads(10_000);
      expect((await conversation(desk.sam)).lastReadSeq).toBe((await conversation(desk.sam)).lastSeq);
      expect((await as(t, desk.dan).post(`/conversations/${ticket.conversationId}/read`, { seq: 1 })).statusCode).toBe(
        404,
      );
    });
  });
});
