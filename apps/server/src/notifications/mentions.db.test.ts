import type { Conversation, NotificationItem, NotificationPage, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

describe(`mentions on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  let ticket: Ticket;
  let n = 0;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
  });
  afterAll(() => t?.close());

  const at = (who: Session) => `@${who.user.username}`;
  const send = async (who: Session, conversationId: string, body: string, internal = false) => {
    const sent = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `mention-${++n}`,
      body,
      internal,
    });
    expect(sent.statusCode, sent.body).toBe(201);
  };
  const notifications = async (who: Session): Promise<NotificationItem[]> =>
    (await as(t, who).get('/notifications')).json<NotificationPage>().items;
  /** The entry of `who` about this conversation, once the notifier has written `count` events into it. */
  const entryOf = async (who: Session, conversationId: string) =>
    (await notifications(who)).find((i) => i.conversationId === conversationId);
  /** Waits until a marker message has reached `who`'s notifications, so that earlier ones have too. */
  const settled = async () => {
    const marker = `marker ${n}`;
    await send(desk.carla, ticket.conversationId, marker);
    await expect.poll(async () => (await entryOf(desk.sam, ticket.conversationId))?.preview).toBe(marker);
  };

  it('tells a teammate mentioned in a ticket, with what was said, and nobody who may not read it', async () => {
    await send(desk.sam, ticket.conversationId, `${at(desk.kim)} can you check **the logs**? ${at(desk.otto)} FYI`);
    await expect
      .poll(() => entryOf(desk.kim, ticket.conversationId))
      .toMatchObject({
        kind: 'message.mention',
        ticketId: ticket.id,
        sender: { id: desk.sam.user.id },
        preview: `${at(desk.kim)} can you check the logs? ${at(desk.otto)} FYI`,
      });
    // Otto works in Billing: the Support ticket does not exist for him, mentioned or not.
    await settled();
    expect(await entryOf(desk.otto, ticket.conversationId)).toBeUndefined();
  });

  it('keeps a mention in an internal note from the customer, and a mention in code is no mention', async () => {
    const before = (await notifications(desk.carla)).length;
    await send(desk.kim, ticket.conversationId, `Note: ${at(desk.carla)} is on the old plan`, true);
    await send(desk.sam, ticket.conversationId, `Try \`${at(desk.kim)}\` in the config`);
    await settled();
    const carlas = await notifications(desk.carla);
    expect(carlas).toHaveLength(before);
    expect(JSON.stringify(carlas)).not.toContain('old plan');
    expect((await entryOf(desk.kim, ticket.conversationId))?.preview).not.toContain('in the config');
  });

  it('makes a customer mentioned in a public reply hear of it as a mention', async () => {
    await send(desk.sam, ticket.conversationId, `${at(desk.carla)} could you send a screenshot?`);
    await expect.poll(async () => (await entryOf(desk.carla, ticket.conversationId))?.kind).toBe('message.mention');
  });

  it("tells the ticket's team when someone writes @team", async () => {
    const other = await openTicket(t, desk.dan, { teamId: desk.support });
    await send(desk.dan, other.conversationId, 'Hello?');
    await send(desk.admin, other.conversationId, 'Checked the account, @team please take it from here', true);
    for (const who of [desk.sam, desk.kim]) {
      await expect
        .poll(async () => (await entryOf(who, other.conversationId))?.kind, { timeout: 5_000 })
        .toBe('message.mention');
    }
  });

  it('tells the other person in a direct chat at once, even mid-conversation, and nobody outside it', async () => {
    const chat = (
      await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id })
    ).json<Conversation>();
    await send(desk.sam, chat.id, 'Lunch?');
    await expect.poll(async () => (await entryOf(desk.kim, chat.id))?.kind).toBe('direct.message');
    await send(desk.kim, chat.id, 'Sure');
    await send(desk.sam, chat.id, `${at(desk.kim)} 12:30 then, and ask ${at(desk.admin)}`);
    await expect.poll(async () => (await entryOf(desk.kim, chat.id))?.kind).toBe('message.mention');
    await settled();
    expect(await entryOf(desk.admin, chat.id)).toBeUndefined();
  });

  it('@all from a group admin mentions everyone in the group; from anyone else it is plain text', async () => {
    const created = await as(t, desk.sam).post('/conversations/groups', {
      title: 'All hands',
      memberIds: [desk.kim.user.id, desk.otto.user.id],
    });
    const group = created.json<Conversation>();
    await send(desk.kim, group.id, '@all is anyone around?');
    await send(desk.sam, group.id, '@all standup in **5**');
    for (const who of [desk.kim, desk.otto]) {
      await expect
        .poll(() => entryOf(who, group.id), { timeout: 5000 })
        .toMatchObject({ kind: 'message.mention', sender: { id: desk.sam.user.id }, preview: '@all standup in 5' });
    }
    // Kim is no admin of the group: her @all told no one, Sam included.
    expect(await entryOf(desk.sam, group.id)).toBeUndefined();
  });
});
