import type {
  CreatedApiToken,
  Message,
  NotificationPage,
  PublicUser,
  SearchResults,
  WorkspaceRole,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

/**
 * An admin adds a bot for an integration: it has no password, acts only through the tokens the
 * admin makes for it, writes in tickets as itself, is shown as a bot, and stops when deactivated.
 */
describe(`bots on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t?.close());

  const withToken = (secret: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload && { payload }) });

  it('writes in a ticket as itself through its token, shown as a bot, until it is deactivated', async () => {
    const role = (
      await as(t, desk.admin).post('/roles', { name: 'Integration', permissions: ['tickets.work', 'tickets.all'] })
    ).json<WorkspaceRole>();
    const created = await as(t, desk.admin).post('/bots', {
      username: 'ackbot',
      displayName: 'Ack Bot',
      roleId: role.id,
    });
    expect(created.statusCode, created.body).toBe(201);
    const bot = created.json<PublicUser>();
    expect(bot).toMatchObject({ username: 'ackbot', displayName: 'Ack Bot', bot: true, roleName: 'Integration' });
    expect((await as(t, desk.admin).get('/bots')).json<{ items: PublicUser[] }>().items.map((b) => b.id)).toEqual([
      bot.id,
    ]);
    // Everyone sees it as a bot; people stay people.
    expect((await as(t, desk.sam).get(`/users/${bot.id}`)).json<PublicUser>().bot).toBe(true);
    expect((await as(t, desk.sam).get(`/users/${desk.kim.user.id}`)).json<PublicUser>().bot).toBe(false);
    // No password signs it in.
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: 'ackbot', password: 'correct horse battery' },
    });
    expect(login.statusCode).toBe(401);

    const { secret, token } = (
      await as(t, desk.admin).post(`/bots/${bot.id}/api-tokens`, {
        name: 'Acknowledger',
        scopes: ['tickets:read', 'messages:write'],
      })
    ).json<CreatedApiToken>();
    expect((await as(t, desk.admin).get(`/bots/${bot.id}/api-tokens`)).json()).toMatchObject({
      items: [{ id: token.id, name: 'Acknowledger' }],
    });
    // The admin's own token list is theirs alone.
    expect((await as(t, desk.admin).get('/me/api-tokens')).json()).toEqual({ items: [] });

    const ticket = await openTicket(t, desk.carla, { subject: 'Order missing', teamId: desk.support });
    const said = await withToken(secret, 'POST', `/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'ack-1',
      body: 'Thanks, we got your request.',
    });
    expect(said.statusCode, said.body).toBe(201);
    expect(said.json<Message>().senderId).toBe(bot.id);
    const thread = (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages`)).json<{
      items: Message[];
    }>();
    expect(thread.items.map((m) => m.senderId)).toContain(bot.id);
    // Carla hears of the reply from the bot, as a bot.
    const notified = async () =>
      (await as(t, desk.carla).get('/notifications'))
        .json<NotificationPage>()
        .items.find((n) => n.kind === 'ticket.message');
    await expect
      .poll(async () => (await notified())?.sender)
      .toEqual({ id: bot.id, displayName: 'Ack Bot', bot: true });
    // Search says who wrote it: the bot, as a bot.
    const found = (await as(t, desk.carla).get('/search?q=request&kind=messages')).json<SearchResults>();
    expect(found.messages!.items.map((m) => m.sender)).toEqual([
      { id: bot.id, username: 'ackbot', displayName: 'Ack Bot', bot: true },
    ]);

    await as(t, desk.admin).patch(`/users/${bot.id}`, { deactivated: true });
    expect((await withToken(secret, 'GET', '/tickets')).statusCode).toBe(401);
    expect((await as(t, desk.admin).get('/bots')).json()).toEqual({ items: [] });
    expect(
      (await as(t, desk.admin).post(`/bots/${bot.id}/api-tokens`, { name: 'x', scopes: ['tickets:read'] })).statusCode,
    ).toBe(404);
  });

  it('is made and given tokens only by who manages people, and never for a person', async () => {
    expect((await as(t, desk.sam).post('/bots', { username: 'sneaky', displayName: 'Sneaky' })).statusCode).toBe(403);
    expect((await as(t, desk.sam).get('/bots')).statusCode).toBe(403);
    // A person's tokens are their own: an admin cannot make one for Sam.
    const forSam = await as(t, desk.admin).post(`/bots/${desk.sam.user.id}/api-tokens`, {
      name: 'Impersonate',
      scopes: ['tickets:read'],
    });
    expect(forSam.statusCode).toBe(404);
    const taken = await as(t, desk.admin).post('/bots', { username: desk.sam.user.username, displayName: 'Clash' });
    expect(taken.statusCode).toBe(409);
  });
});
