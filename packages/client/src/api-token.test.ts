import type { CreatedApiToken } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listen, startTestApp, type TestApp } from '../../../apps/server/src/testing/test-app';
import { as, openTicket, setUpDesk, type Desk } from '../../../apps/server/src/testing/test-desk';
import { createParleyClient } from './client';

/** A script that signs in with nothing but an API token: REST and the live socket both work. */
describe('the SDK with an API token', () => {
  let t: TestApp;
  let baseUrl: string;
  let desk: Desk;
  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  it('reads, sends and listens as the token’s owner, within its scopes', async () => {
    const ticket = await openTicket(t, desk.carla, { subject: 'Scripted help', teamId: desk.support });
    const { secret } = (
      await as(t, desk.sam).post('/me/api-tokens', {
        name: 'Helper script',
        scopes: ['tickets:read', 'messages:write', 'realtime'],
      })
    ).json<CreatedApiToken>();
    const script = createParleyClient({ baseUrl, apiToken: secret, WebSocket });

    expect((await script.tickets.list()).items.map((x) => x.subject)).toContain('Scripted help');
    const heard: string[] = [];
    script.realtime.on('message', ({ message }) => void heard.push(message.body));
    const subscribed = new Promise((resolve) => script.realtime.on('subscribed', resolve));
    await script.connect();
    script.realtime.subscribe(ticket.conversationId);
    await subscribed;
    await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'c1',
      body: 'Is anyone there?',
    });
    await expect.poll(() => heard).toContain('Is anyone there?');
    const sent = await script.conversations.send(ticket.conversationId, { clientMsgId: 's1', body: 'Yes!' });
    expect(sent.senderId).toBe(desk.sam.user.id);
    // Outside its scopes the server says no, and the SDK does not try to refresh a session it has not got.
    await expect(script.users.search()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    script.realtime.close();
  });
});
