import type { ApiTokenList, CreatedApiToken, Message, Session, TicketPage } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { connectSocket } from '../testing/ws-client';

const DAY = 24 * 3600_000;

/**
 * People give scripts a token of their own: it acts as them, only within its scopes, and stops
 * the moment it is revoked or expires. Its secret is shown once and never stored.
 */
describe(`API tokens on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let base: string;

  beforeAll(async () => {
    // Access tokens of the people live long here: the clock jumps days ahead.
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: String(400 * 24 * 3600) } });
    desk = await setUpDesk(t);
    base = await listen(t);
  });
  afterAll(() => t?.close());

  const createToken = async (who: Session, body: object) => {
    const response = await as(t, who).post('/me/api-tokens', { name: 'Script', ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CreatedApiToken>();
  };
  const withToken = (secret: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}` }, ...(payload && { payload }) });

  it('acts as its owner within its scopes, and shows its secret only once', async () => {
    await openTicket(t, desk.carla, { subject: 'Carla’s own' });
    await openTicket(t, desk.dan, { subject: 'Dan’s, not hers' });
    const { token, secret } = await createToken(desk.carla, { name: 'My export', scopes: ['tickets:read'] });
    expect(secret).toMatch(/^pat_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'My export', scopes: ['tickets:read'], lastUsedAt: null });
    expect(token.prefix).toBe(`${secret.slice(0, 10)}…`);

    const mine = await withToken(secret, 'GET', '/tickets');
    expect(mine.statusCode).toBe(200);
    expect(mine.json<TicketPage>().items.map((x) => x.subject)).toEqual(['Carla’s own']);
    expect((await withToken(secret, 'GET', '/me')).json()).toMatchObject({ id: desk.carla.user.id });

    // Outside its scopes: writing tickets, reading messages, and everything about the account.
    for (const [method, url, payload] of [
      ['POST', '/tickets', { subject: 'By script', description: 'x' }],
      ['GET', `/users`],
      ['GET', '/me/sessions'],
      ['POST', '/me/api-tokens', { name: 'Another', scopes: ['tickets:read'] }],
      ['GET', '/me/api-tokens'],
    ] as const) {
      const refused = await withToken(secret, method, url, payload);
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    }

    // Listed without its secret, with when it was last used; the database keeps only a hash.
    const listed = (await as(t, desk.carla).get('/me/api-tokens')).json<ApiTokenList>().items;
    expect(listed).toEqual([{ ...token, lastUsedAt: new Date(clock.now()).toISOString() }]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const stored = await t.database.db.selectFrom('apiTokens').selectAll().where('id', '=', token.id).execute();
    expect(JSON.stringify(stored)).not.toContain(secret.slice(4));
  });

  it('never does more than its owner may, whatever its scopes', async () => {
    const ticket = await openTicket(t, desk.dan, { subject: 'Assign me' });
    const { secret } = await createToken(desk.carla, { scopes: ['tickets:write', 'messages:write'] });
    expect((await withToken(secret, 'GET', `/tickets/${ticket.id}`)).statusCode).toBe(404);
    const own = await openTicket(t, desk.carla, { subject: 'Mine to prioritise' });
    const staffOnly = await withToken(secret, 'PATCH', `/tickets/${own.id}`, { assigneeId: desk.sam.user.id });
    expect(staffOnly.statusCode).toBe(403);
  });

  it('stops at once when revoked, and when it expires', async () => {
    const revoked = await createToken(desk.sam, { scopes: ['tickets:read'] });
    expect((await withToken(revoked.secret, 'GET', '/tickets')).statusCode).toBe(200);
    expect((await as(t, desk.sam).delete(`/me/api-tokens/${revoked.token.id}`)).statusCode).toBe(204);
    const after = await withToken(revoked.secret, 'GET', '/tickets');
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ error: { code: 'unauthorized', message: 'Invalid API token' } });
    // Someone else's token id is not there for them.
    const kims = await createToken(desk.kim, { scopes: ['tickets:read'] });
    expect((await as(t, desk.sam).delete(`/me/api-tokens/${kims.token.id}`)).statusCode).toBe(404);

    const shortLived = await createToken(desk.sam, { scopes: ['tickets:read'], expiresInDays: 1 });
    clock.advance(DAY - 1);
    expect((await withToken(shortLived.secret, 'GET', '/tickets')).statusCode).toBe(200);
    clock.advance(1);
    const expired = await withToken(shortLived.secret, 'GET', '/tickets');
    expect(expired.json()).toMatchObject({ error: { code: 'unauthorized', message: 'API token expired' } });
    expect((await as(t, desk.sam).get('/me/api-tokens')).json<ApiTokenList>().items.map((x) => x.id)).not.toContain(
      shortLived.token.id,
    );
    expect((await withToken('pat_not-a-token', 'GET', '/tickets')).statusCode).toBe(401);
  });

  it('opens a socket with the realtime scope, and sends only with messages:write', async () => {
    const ticket = await openTicket(t, desk.carla, { subject: 'Live by token', teamId: desk.support });
    const listener = await createToken(desk.sam, { scopes: ['realtime', 'messages:read'] });
    const socket = await connectSocket(base, listener.secret);
    await socket.next('ready');
    socket.send({ type: 'subscribe', conversationId: ticket.conversationId, ref: 's' });
    await socket.next('subscribed');
    socket.send({
      type: 'message.send',
      conversationId: ticket.conversationId,
      clientMsgId: 'by-token',
      body: 'Hello',
      ref: 'm',
    });
    expect(await socket.next('error', (f) => f.ref === 'm')).toMatchObject({ code: 'forbidden' });
    // What others write arrives.
    const reply = await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'carla-1',
      body: 'Anyone there?',
    });
    const sent = reply.json<Message>();
    await socket.next('message', (f) => f.message.id === sent.id);

    const writer = await createToken(desk.sam, { scopes: ['realtime', 'messages:write'] });
    const writing = await connectSocket(base, writer.secret);
    await writing.next('ready');
    writing.send({ type: 'subscribe', conversationId: ticket.conversationId, ref: 's' });
    await writing.next('subscribed');
    writing.send({
      type: 'message.send',
      conversationId: ticket.conversationId,
      clientMsgId: 'by-token',
      body: 'On it',
      ref: 'm',
    });
    await writing.next('ack', (f) => f.clientMsgId === 'by-token');

    // Revoked: its sockets are closed, and it cannot sign one in again.
    await as(t, desk.sam).delete(`/me/api-tokens/${writer.token.id}`);
    expect((await writing.closed).code).toBe(4401);
    const again = await connectSocket(base, writer.secret);
    expect(await again.closed).toMatchObject({ code: 4401, reason: 'Invalid API token' });

    const noRealtime = await createToken(desk.sam, { scopes: ['messages:write'] });
    const refused = await connectSocket(base, noRealtime.secret);
    expect(await refused.closed).toMatchObject({ code: 4401, reason: 'This API token has no realtime scope' });
    await socket.close();
  });
});
