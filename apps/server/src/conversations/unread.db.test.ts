import type { Conversation, Message, NotificationPage, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

/** Unread where I left off: marking unread, muting, and the mentions among the unread. */
describe(`unread, mute and mention counts on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  let n = 0;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await t?.close();
  });

  const socketOf = async (who: Session) => {
    const socket = await readySocket(base, who);
    sockets.push(socket);
    return socket;
  };
  const send = async (who: Session, conversationId: string, body: string) => {
    const answer = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `u-${++n}`,
      body,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Message>();
  };
  const conversation = async (who: Session, id: string) =>
    (await as(t, who).get(`/conversations/${id}`)).json<Conversation>();
  const listed = async (who: Session, id: string) =>
    (await as(t, who).get('/conversations')).json<{ items: Conversation[] }>().items.find((c) => c.id === id)!;

  it('marks a chat unread from a message on, for me on every device, while the other still sees I read it', async () => {
    const chat = (
      await as(t, desk.sam).post('/conversations/direct', { userId: desk.carla.user.id })
    ).json<Conversation>();
    const sent: Message[] = [];
    for (let i = 1; i <= 5; i++) sent.push(await send(desk.sam, chat.id, `Line ${i}`));
    expect((await as(t, desk.carla).post(`/conversations/${chat.id}/read`, { seq: sent[4]!.seq })).statusCode).toBe(
      204,
    );
    const carlasPhone = await socketOf(desk.carla);
    const samsLaptop = await socketOf(desk.sam);
    samsLaptop.send({ type: 'subscribe', conversationId: chat.id });
    await samsLaptop.next('subscribed');

    const marked = await as(t, desk.carla).post(`/conversations/${chat.id}/unread`, { seq: sent[2]!.seq });
    expect(marked.statusCode, marked.body).toBe(204);
    expect(await conversation(desk.carla, chat.id)).toMatchObject({ lastReadSeq: sent[1]!.seq, unreadCount: 3 });
    expect((await listed(desk.carla, chat.id)).unreadCount).toBe(3);
    const onPhone = await carlasPhone.next('read', (f) => f.conversationId === chat.id);
    expect(onPhone).toMatchObject({
      userId: desk.carla.user.id,
      seq: sent[1]!.seq,
      markedUnread: { unreadCount: 3, mentionCount: 0 },
    });
    // Sam was shown that Carla read everything; that stays so, and he hears nothing of it.
    expect((await conversation(desk.sam, chat.id)).readSeqs[desk.carla.user.id]).toBe(sent[4]!.seq);
    // Reading it again moves her cursor, not her receipt: still nothing for Sam.
    await as(t, desk.carla).post(`/conversations/${chat.id}/read`, { seq: sent[4]!.seq });
    expect((await carlasPhone.next('read', (f) => f.conversationId === chat.id)).seq).toBe(sent[4]!.seq);
    await settle(samsLaptop);
    expect(samsLaptop.all('read').filter((f) => f.userId === desk.carla.user.id)).toEqual([]);
    expect((await conversation(desk.carla, chat.id)).unreadCount).toBe(0);
    // Marking unread past what is unread already changes nothing.
    await as(t, desk.carla).post(`/conversations/${chat.id}/unread`, { seq: 99 });
    expect((await conversation(desk.carla, chat.id)).lastReadSeq).toBe(sent[4]!.seq);
  });

  it('counts the unread messages that mention me, not a mention in code, and none once read', async () => {
    const ticket: Ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    const me = `@${desk.carla.user.username}`;
    await send(desk.sam, ticket.conversationId, `${me} could you send a photo?`);
    await send(desk.sam, ticket.conversationId, `Run \`${me}\` in the console`);
    const last = await send(desk.kim, ticket.conversationId, `Thanks ${me.toUpperCase()}!`);
    // (Four unread: "Sam took the ticket" before the three.)
    expect(await listed(desk.carla, ticket.conversationId)).toMatchObject({ mentionCount: 2, unreadCount: 4 });
    await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/read`, { seq: last.seq });
    expect((await conversation(desk.carla, ticket.conversationId)).mentionCount).toBe(0);
  });

  it("counts @all from a group's admin as a mention of everyone, from anyone else not", async () => {
    const group = (
      await as(t, desk.sam).post('/conversations/groups', {
        title: 'Standup',
        memberIds: [desk.kim.user.id, desk.otto.user.id],
      })
    ).json<Conversation>();
    await send(desk.kim, group.id, '@all coffee?');
    await send(desk.sam, group.id, '@all standup now');
    expect((await conversation(desk.otto, group.id)).mentionCount).toBe(1);
  });

  it('a muted ticket notifies me of mentions only, and my other devices hear that I muted it', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    const laptop = await socketOf(desk.carla);
    expect(
      (await as(t, desk.carla).put(`/conversations/${ticket.conversationId}/mute`, { muted: true })).statusCode,
    ).toBe(204);
    expect(await laptop.next('conversation.muted')).toMatchObject({
      conversationId: ticket.conversationId,
      muted: true,
    });
    expect((await conversation(desk.carla, ticket.conversationId)).muted).toBe(true);
    const entry = async () =>
      (await as(t, desk.carla).get('/notifications'))
        .json<NotificationPage>()
        .items.find((i) => i.conversationId === ticket.conversationId);

    await send(desk.sam, ticket.conversationId, 'We are looking into it');
    await send(desk.sam, ticket.conversationId, `@${desk.carla.user.username} which browser do you use?`);
    await expect
      .poll(entry, { timeout: 5000 })
      .toMatchObject({ kind: 'message.mention', count: 1, preview: expect.stringContaining('which browser') });

    await as(t, desk.carla).put(`/conversations/${ticket.conversationId}/mute`, { muted: false });
    expect((await conversation(desk.carla, ticket.conversationId)).muted).toBe(false);
    await send(desk.sam, ticket.conversationId, 'Fixed, please try again');
    await expect.poll(async () => (await entry())?.preview, { timeout: 5000 }).toBe('Fixed, please try again');
    // Someone who cannot see the conversation cannot mute it or mark it unread.
    expect(
      (await as(t, desk.dan).put(`/conversations/${ticket.conversationId}/mute`, { muted: true })).statusCode,
    ).toBe(404);
    expect((await as(t, desk.dan).post(`/conversations/${ticket.conversationId}/unread`, { seq: 1 })).statusCode).toBe(
      404,
    );
  });

  it('a chat set to notify me of nothing leaves out mentions too; my level is on the chat and my devices hear it', async () => {
    const group = (
      await as(t, desk.sam).post('/conversations/groups', {
        title: `Quiet ${++n}`,
        memberIds: [desk.kim.user.id, desk.otto.user.id],
      })
    ).json<Conversation>();
    const laptop = await socketOf(desk.kim);
    const set = await as(t, desk.kim).put(`/conversations/${group.id}/notifications`, { level: 'none' });
    expect(set.statusCode, set.body).toBe(204);
    expect(await laptop.next('conversation.muted')).toMatchObject({
      conversationId: group.id,
      muted: true,
      notify: 'none',
    });
    expect(await listed(desk.kim, group.id)).toMatchObject({ muted: true, notify: 'none' });
    const entries = async (who: Session) =>
      (await as(t, who).get('/notifications'))
        .json<NotificationPage>()
        .items.filter((i) => i.conversationId === group.id);

    await send(desk.sam, group.id, `@${desk.kim.user.username} @${desk.otto.user.username} review please`);
    // Otto (everything) hears of it; Kim (nothing) does not, though she is mentioned.
    await expect.poll(() => entries(desk.otto), { timeout: 5000 }).toHaveLength(1);
    await t.app.notifications.settled();
    expect(await entries(desk.kim)).toEqual([]);
    // Her unread count still counts it.
    expect((await conversation(desk.kim, group.id)).mentionCount).toBe(1);

    await as(t, desk.kim).put(`/conversations/${group.id}/notifications`, { level: 'mentions' });
    expect(await conversation(desk.kim, group.id)).toMatchObject({ muted: true, notify: 'mentions' });
    await send(desk.sam, group.id, `@${desk.kim.user.username} still there?`);
    await expect.poll(() => entries(desk.kim), { timeout: 5000 }).toMatchObject([{ kind: 'message.mention' }]);
    // `/mute` is the same switch: unmuting is `all`.
    await as(t, desk.kim).put(`/conversations/${group.id}/mute`, { muted: false });
    expect(await conversation(desk.kim, group.id)).toMatchObject({ muted: false, notify: 'all' });
    expect((await as(t, desk.kim).put(`/conversations/${group.id}/notifications`, { level: 'loud' })).statusCode).toBe(
      400,
    );
    expect((await as(t, desk.dan).put(`/conversations/${group.id}/notifications`, { level: 'none' })).statusCode).toBe(
      404,
    );
  });
});
