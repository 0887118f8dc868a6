import type { CreatedApiToken, Message, MessagePage, PublicUser, Webhook, WorkspaceRole } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../../../apps/server/src/testing/test-app';
import { as, openTicket, setUpDesk, type Desk } from '../../../apps/server/src/testing/test-desk';
import { startAckBot } from '../examples/ack-bot';

/** The example in packages/client/examples, run as its README says: a webhook in, a bot's reply out. */
describe('the ack-bot example', () => {
  let t: TestApp;
  let desk: Desk;
  let baseUrl: string;
  let bot: Awaited<ReturnType<typeof startAckBot>>;
  beforeAll(async () => {
    // Webhooks to loopback are allowed here, as a self-hoster running the bot beside Parley would.
    t = await startTestApp({ env: { WEBHOOK_ALLOW_NETWORKS: '127.0.0.1', JOB_POLL_INTERVAL_MS: '100' } });
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    await bot?.close();
    await t?.close();
  });

  it('answers a new ticket as the bot, once, and turns away an unsigned call', async () => {
    const role = (
      await as(t, desk.admin).post('/roles', { name: 'Bot', permissions: ['tickets.work', 'tickets.all'] })
    ).json<WorkspaceRole>();
    const account = (
      await as(t, desk.admin).post('/bots', { username: 'ack', displayName: 'Ack Bot', roleId: role.id })
    ).json<PublicUser>();
    const { secret: token } = (
      await as(t, desk.admin).post(`/bots/${account.id}/api-tokens`, {
        name: 'ack-bot',
        scopes: ['tickets:read', 'messages:write'],
      })
    ).json<CreatedApiToken>();
    // The webhook's secret is known only once it exists, and the bot's URL once it listens:
    // start the bot on a free port with the secret, after making the webhook with a stand-in URL.
    const hook = (
      await as(t, desk.admin).post('/webhooks', { url: 'http://127.0.0.1:9/placeholder', events: ['ticket.created'] })
    ).json<Webhook>();
    bot = await startAckBot({ parleyUrl: baseUrl, token, secret: hook.secret, port: 0 });
    await as(t, desk.admin).patch(`/webhooks/${hook.id}`, { url: bot.url });

    const ticket = await openTicket(t, desk.carla, { subject: 'Where is my parcel?', teamId: desk.support });
    const fromBot = async () =>
      (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages`))
        .json<MessagePage>()
        .items.filter((m: Message) => m.senderId === account.id);
    await expect
      .poll(async () => (await fromBot()).map((m) => m.body), { timeout: 10_000 })
      .toEqual(['Thanks for writing! We have your request “Where is my parcel?” and will answer soon.']);

    const forged = await fetch(bot.url, {
      method: 'POST',
      headers: { 'parley-signature': 't=1,v1=00' },
      body: JSON.stringify({ type: 'ticket.created' }),
    });
    expect(forged.status).toBe(401);
    // Sent again (a redelivery): still one answer.
    const [delivery] = (await as(t, desk.admin).get(`/webhooks/${hook.id}/deliveries`)).json<{
      items: { id: string }[];
    }>().items;
    await as(t, desk.admin).post(`/webhooks/${hook.id}/deliveries/${delivery!.id}/redeliver`);
    await expect
      .poll(async () =>
        (await as(t, desk.admin).get(`/webhooks/${hook.id}/deliveries`))
          .json<{ items: { status: string }[] }>()
          .items.map((d) => d.status),
      )
      .toEqual(['delivered', 'delivered']);
    expect(await fromBot()).toHaveLength(1);
  });
});
