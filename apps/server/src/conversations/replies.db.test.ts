import type { Message, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

describe(`replies on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  let ticket: Ticket;
  let url: string;
  let watcher: TestSocket;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp();
    const base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    url = `/conversations/${ticket.conversationId}/messages`;
    watcher = await readySocket(base, desk.carla);
    watcher.send({ type: 'subscribe', conversationId: ticket.conversationId });
    await watcher.next('subscribed');
  });
  afterAll(async () => {
    await watcher?.close();
    await t?.close();
  });

  const post = (who: Desk['carla'], body: string, extra: object = {}) =>
    as(t, who).post(url, { clientMsgId: `r-${++n}`, body, ...extra });
  const send = async (who: Desk['carla'], body: string, extra: object = {}) => {
    const answer = await post(who, body, extra);
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Message>();
  };
  const history = async (who = desk.carla) =>
    (await as(t, who).get(`${url}?limit=100`)).json<{ items: Message[] }>().items;

  it('shows what a reply answers: who, where, and the first line of its text, to everyone live and in history', async () => {
    const question = await send(desk.carla, '\n  My printer prints blank pages  \nsince Monday, on every tray');
    const reply = await send(desk.sam, 'Which model is it?', { replyToId: question.id });
    const preview = {
      id: question.id,
      seq: question.seq,
      senderId: desk.carla.user.id,
      excerpt: 'My printer prints blank pages',
      deleted: false,
    };
    expect(reply.replyTo).toEqual(preview);
    expect((await history()).find((m) => m.id === reply.id)!.replyTo).toEqual(preview);
    expect((await watcher.next('message', (f) => f.message.id === reply.id)).message.replyTo).toEqual(preview);
    // A message that answers nothing says so.
    expect(question.replyTo).toBeNull();
  });

  it('cuts a long first line at 140 characters', async () => {
    const long = await send(desk.carla, 'a'.repeat(300));
    const reply = await send(desk.sam, 'Noted', { replyToId: long.id });
    expect(reply.replyTo!.excerpt).toBe(`${'a'.repeat(139)}…`);
  });

  it('takes a reply over the socket too', async () => {
    const question = await send(desk.carla, 'Is it the driver?');
    watcher.send({
      type: 'message.send',
      conversationId: ticket.conversationId,
      clientMsgId: 'ws-reply',
      body: 'Maybe',
      replyToId: question.id,
    });
    const ack = await watcher.next('ack');
    const echoed = await watcher.next('message', (f) => f.message.id === ack.messageId);
    expect(echoed.message.replyTo).toMatchObject({ id: question.id, excerpt: 'Is it the driver?' });
  });

  it('refuses a reply to a message of another conversation, or to one that does not exist, naming the field', async () => {
    const other = await openTicket(t, desk.carla, { teamId: desk.support });
    const elsewhere = (
      await as(t, desk.carla).post(`/conversations/${other.conversationId}/messages`, {
        clientMsgId: 'else',
        body: 'x',
      })
    ).json<Message>();
    for (const replyToId of [elsewhere.id, '01JAAAAAAAAAAAAAAAAAAAAAAA']) {
      const refused = await post(desk.carla, 'Re', { replyToId });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'validation_failed',
        details: { fields: [expect.objectContaining({ path: 'replyToId' })] },
      });
    }
  });

  it('refuses a reply to a deleted message, and a reply shows the original as deleted, without its words', async () => {
    const gone = await send(desk.carla, 'Wrong ticket, sorry');
    await as(t, desk.carla).delete(`${url}/${gone.id}`);
    const refused = await post(desk.sam, 'Re', { replyToId: gone.id });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('conflict');

    const secret = await send(desk.carla, 'My password is hunter2');
    const reply = await send(desk.sam, 'Please delete that', { replyToId: secret.id });
    expect(reply.replyTo!.excerpt).toBe('My password is hunter2');
    await as(t, desk.carla).delete(`${url}/${secret.id}`);
    const shown = (await history(desk.sam)).find((m) => m.id === reply.id)!;
    expect(shown.replyTo).toEqual({
      id: secret.id,
      seq: secret.seq,
      senderId: desk.carla.user.id,
      excerpt: '',
      deleted: true,
    });
  });

  it('makes a reply to an internal note a note, which the customer never sees and cannot answer', async () => {
    const note = await send(desk.sam, 'Customer is on the legacy plan', { internal: true });
    const reply = await send(desk.kim, 'Then offer the upgrade', { replyToId: note.id });
    expect(reply.kind).toBe('note');
    expect(reply.replyTo!.excerpt).toBe('Customer is on the legacy plan');
    const carlaSees = await history(desk.carla);
    expect(carlaSees.map((m) => m.id)).not.toContain(reply.id);
    expect(JSON.stringify(carlaSees)).not.toContain('legacy plan');
    // To her the note does not exist: the same answer as for any unknown message.
    const refused = await post(desk.carla, 'What plan?', { replyToId: note.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.code).toBe('validation_failed');
  });

  it('keeps a reply pointing at the copy of its original when the ticket is merged', async () => {
    const source = await openTicket(t, desk.carla, { teamId: desk.support });
    const sourceUrl = `/conversations/${source.conversationId}/messages`;
    const original = (
      await as(t, desk.carla).post(sourceUrl, { clientMsgId: 'm-o', body: 'Same issue here' })
    ).json<Message>();
    await as(t, desk.sam).post(sourceUrl, { clientMsgId: 'm-r', body: 'Merging', replyToId: original.id });
    const merged = await as(t, desk.sam).post(`/tickets/${source.id}/merge`, { intoTicketId: ticket.id });
    expect(merged.statusCode, merged.body).toBe(200);
    const items = await history(desk.sam);
    const copy = items.find((m) => m.body === 'Same issue here')!;
    const reply = items.find((m) => m.body === 'Merging')!;
    expect(reply.replyTo).toMatchObject({ id: copy.id, seq: copy.seq, excerpt: 'Same issue here' });
  });
});
