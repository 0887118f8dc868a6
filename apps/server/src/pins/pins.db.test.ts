import type { Conversation, Message, PinList, SavedMessagePage, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, settle, type TestSocket } from '../testing/ws-client';

/** Pinned messages (a conversation's board) and saved messages (a person's own list). */
describe(`pins and saved messages on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  let ticket: Ticket;
  let n = 0;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await t?.close();
  });

  const send = async (who: Session, conversationId: string, body: string, internal = false) => {
    const answer = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `p-${++n}`,
      body,
      internal,
    });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Message>();
  };
  const pins = async (who: Session, conversationId: string) =>
    (await as(t, who).get(`/conversations/${conversationId}/pins`)).json<PinList>().items;
  const saved = async (who: Session, query = '') =>
    (await as(t, who).get(`/me/saved-messages${query}`)).json<SavedMessagePage>();

  it('pins a message for everyone in the thread, with a line saying so, newest pin first; unpins it', async () => {
    const watcher = await readySocket(base, desk.carla);
    sockets.push(watcher);
    watcher.send({ type: 'subscribe', conversationId: ticket.conversationId });
    await watcher.next('subscribed');
    const steps = await send(desk.sam, ticket.conversationId, '**Steps**: restart, then sign in again');
    const later = await send(desk.carla, ticket.conversationId, 'Order number 4711');
    const pinned = await as(t, desk.sam).put(`/conversations/${ticket.conversationId}/pins/${steps.id}`);
    expect(pinned.statusCode, pinned.body).toBe(200);
    await as(t, desk.carla).put(`/conversations/${ticket.conversationId}/pins/${later.id}`);
    // Pinning it again says nothing more.
    await as(t, desk.sam).put(`/conversations/${ticket.conversationId}/pins/${steps.id}`);
    const board = await pins(desk.carla, ticket.conversationId);
    expect(board.map((p) => [p.message.body, p.pinnedBy])).toEqual([
      ['Order number 4711', desk.carla.user.id],
      ['**Steps**: restart, then sign in again', desk.sam.user.id],
    ]);
    const line = await watcher.next('message', (f) => f.message.system?.event === 'message.pinned');
    expect(line.message.body).toBe('Sam Agent pinned a message: "Steps: restart, then sign in again"');
    // Two pins, two lines: pinning again said nothing.
    await watcher.next('message', (f) => f.message.system?.event === 'message.pinned');
    await settle(watcher);
    expect(watcher.all('message').filter((f) => f.message.system?.event === 'message.pinned')).toHaveLength(2);

    const unpinned = await as(t, desk.carla).delete(`/conversations/${ticket.conversationId}/pins/${steps.id}`);
    expect(unpinned.json<PinList>().items.map((p) => p.message.id)).toEqual([later.id]);
    await watcher.next('message', (f) => f.message.system?.event === 'message.unpinned');
    // A deleted message leaves the board.
    await as(t, desk.carla).delete(`/conversations/${ticket.conversationId}/messages/${later.id}`);
    expect(await pins(desk.sam, ticket.conversationId)).toEqual([]);
  });

  it('keeps a pinned internal note, and the line about it, from the customer', async () => {
    const note = await send(desk.sam, ticket.conversationId, 'Customer is on the legacy plan', true);
    await as(t, desk.kim).put(`/conversations/${ticket.conversationId}/pins/${note.id}`);
    expect((await pins(desk.sam, ticket.conversationId)).map((p) => p.message.id)).toContain(note.id);
    expect((await pins(desk.carla, ticket.conversationId)).map((p) => p.message.id)).not.toContain(note.id);
    const history = (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages?limit=100`)).json<{
      items: Message[];
    }>().items;
    expect(history.some((m) => m.body.includes('legacy plan'))).toBe(false);
    // Nor can the customer pin or save it by its id.
    expect((await as(t, desk.carla).put(`/conversations/${ticket.conversationId}/pins/${note.id}`)).statusCode).toBe(
      404,
    );
    expect((await as(t, desk.carla).put(`/me/saved-messages/${note.id}`)).statusCode).toBe(404);
    // And someone who does not see the ticket cannot see its board.
    expect((await as(t, desk.otto).get(`/conversations/${ticket.conversationId}/pins`)).statusCode).toBe(404);
  });

  it('saves messages to my own list, newest first, paged, on all my devices; gone when I lose the conversation', async () => {
    const phone = await readySocket(base, desk.kim);
    sockets.push(phone);
    const group = (
      await as(t, desk.sam).post('/conversations/groups', { title: 'Saved', memberIds: [desk.kim.user.id] })
    ).json<Conversation>();
    const first = await send(desk.sam, group.id, 'The VPN address is vpn.example.com');
    const second = await send(desk.sam, ticket.conversationId, 'Known issue, fix on Friday');
    for (const message of [first, second]) {
      expect((await as(t, desk.kim).put(`/me/saved-messages/${message.id}`)).statusCode).toBe(204);
    }
    expect(await phone.next('message.saved')).toMatchObject({ messageId: first.id, saved: true });
    const page1 = await saved(desk.kim, '?limit=1');
    expect(page1.items.map((s) => s.message.body)).toEqual(['Known issue, fix on Friday']);
    const page2 = await saved(desk.kim, `?limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items.map((s) => s.message.id)).toEqual([first.id]);
    // Sam's list is his own.
    expect((await saved(desk.sam)).items).toEqual([]);

    // Out of the group: its message drops off the list.
    await as(t, desk.sam).delete(`/conversations/${group.id}/members/${desk.kim.user.id}`);
    expect((await saved(desk.kim)).items.map((s) => s.message.id)).toEqual([second.id]);
    expect((await as(t, desk.kim).delete(`/me/saved-messages/${second.id}`)).statusCode).toBe(204);
    expect((await saved(desk.kim)).items).toEqual([]);
  });
});
