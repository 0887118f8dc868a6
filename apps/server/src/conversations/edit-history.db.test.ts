import type { Message, MessageEditHistory, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

describe(`edit history on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let ticket: Ticket;
  let url: string;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    url = `/conversations/${ticket.conversationId}/messages`;
  });
  afterAll(() => t?.close());

  const send = async (who: Desk['carla'], body: string) =>
    (await as(t, who).post(url, { clientMsgId: `e-${++n}`, body })).json<Message>();
  const edit = (who: Desk['carla'], id: string, body: string) => as(t, who).patch(`${url}/${id}`, { body });
  const edits = (who: Desk['carla'], id: string) => as(t, who).get(`${url}/${id}/edits`);
  const setWindow = async (minutes: number | null) => {
    const answer = await as(t, desk.admin).patch('/settings', { messageEditWindowMinutes: minutes });
    expect(answer.statusCode, answer.body).toBe(200);
  };

  it('keeps every edit: who made it, when, and the text it replaced, for everyone in the thread', async () => {
    const message = await send(desk.carla, 'Teh printer is broken');
    clock.advance(60_000);
    expect((await edit(desk.carla, message.id, 'The printer is broken')).statusCode).toBe(200);
    clock.advance(60_000);
    const last = await edit(desk.carla, message.id, 'The printer is broken (model X200)');
    expect(last.json<Message>().body).toBe('The printer is broken (model X200)');

    const expected: MessageEditHistory = {
      items: [
        {
          body: 'Teh printer is broken',
          editorId: desk.carla.user.id,
          editedAt: new Date(Date.parse(message.createdAt) + 60_000).toISOString(),
        },
        {
          body: 'The printer is broken',
          editorId: desk.carla.user.id,
          editedAt: new Date(Date.parse(message.createdAt) + 120_000).toISOString(),
        },
      ],
    };
    for (const reader of [desk.carla, desk.sam, desk.admin]) {
      const answer = await edits(reader, message.id);
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual(expected);
    }
    // Someone outside the thread learns nothing, not even that the message exists.
    expect((await edits(desk.dan, message.id)).statusCode).toBe(404);
  });

  it('records nothing for an edit that changes nothing', async () => {
    const message = await send(desk.carla, 'Same words');
    expect((await edit(desk.carla, message.id, 'Same words')).statusCode).toBe(200);
    expect((await edits(desk.carla, message.id)).json()).toEqual({ items: [] });
  });

  it('keeps each text once when two edits race: the history is a chain from the first text to the last', async () => {
    const message = await send(desk.carla, 'v0');
    const answers = await Promise.all(['v1', 'v2', 'v3', 'v4'].map((body) => edit(desk.carla, message.id, body)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    const history = (await edits(desk.carla, message.id)).json<MessageEditHistory>().items.map((e) => e.body);
    const current = (await as(t, desk.carla).get(`${url}?limit=100`))
      .json<{ items: Message[] }>()
      .items.find((m) => m.id === message.id)!.body;
    const texts = [...history, current];
    expect(texts[0]).toBe('v0');
    expect(new Set(texts).size).toBe(5);
    expect([...texts].sort()).toEqual(['v0', 'v1', 'v2', 'v3', 'v4']);
  });

  it('forgets the earlier texts when the message is deleted: the tombstone keeps no words', async () => {
    const message = await send(desk.carla, 'My card number is 4111');
    await edit(desk.carla, message.id, 'Call me please');
    expect((await edits(desk.sam, message.id)).json<MessageEditHistory>().items).toHaveLength(1);
    await as(t, desk.carla).delete(`${url}/${message.id}`);
    expect((await edits(desk.sam, message.id)).json()).toEqual({ items: [] });
  });

  it('lets a workspace limit editing to some minutes after sending, or turn it off; deleting stays possible', async () => {
    const message = await send(desk.carla, 'Typo here');
    await setWindow(5);
    clock.advance(4 * 60_000);
    expect((await edit(desk.carla, message.id, 'Typo fixed')).statusCode).toBe(200);
    clock.advance(2 * 60_000);
    const late = await edit(desk.carla, message.id, 'Typo fixed again');
    expect(late.statusCode).toBe(403);
    expect(late.json().error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('5 minutes') });

    await setWindow(0);
    const fresh = await send(desk.carla, 'Just sent');
    expect((await edit(desk.carla, fresh.id, 'Just sent!')).statusCode).toBe(403);
    expect((await as(t, desk.carla).delete(`${url}/${fresh.id}`)).statusCode).toBe(200);

    await setWindow(null);
    expect((await edit(desk.carla, message.id, 'Any time again')).statusCode).toBe(200);
    expect((await as(t, desk.sam).get('/settings')).json().messageEditWindowMinutes).toBeNull();
  });

  it('refuses a window that is not a whole number of minutes up to a year', async () => {
    for (const bad of [-1, 1.5, 525_601, '10']) {
      const answer = await as(t, desk.admin).patch('/settings', { messageEditWindowMinutes: bad });
      expect(answer.statusCode).toBe(400);
      expect(answer.json().error.code).toBe('validation_failed');
    }
  });
});
