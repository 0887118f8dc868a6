import { createHmac } from 'node:crypto';
import type { ChatWidget, GuestSession, Message, TicketPage, WidgetChallenge, WidgetChat } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';
import { startTestSmtp, type TestSmtp } from '../testing/test-smtp';
import { readySocket, settle } from '../testing/ws-client';
import { AWAY_AFTER_MS } from './widget-away-mail';
import { zeroBits } from './guest-service';

const SHOP = 'https://shop.example';

/**
 * A visitor of a shop's website chats with the desk through the widget, without an account:
 * a guest whose token reaches their own chat and nothing else.
 */
describe(`the chat widget's guests on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Desk;
  let widget: ChatWidget;
  let smtp: TestSmtp;
  const clock = manualClock();

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp({
      clock,
      env: { WIDGET_POW_BITS: '8', SMTP_URL: smtp.url, JOB_POLL_INTERVAL_MS: '3600000' },
    });
    base = await listen(t);
    desk = await setUpDesk(t);
    const created = await as(t, desk.admin).post('/widgets', {
      name: 'Shop',
      allowedOrigins: [`${SHOP}/any/path`, 'http://localhost:8080'],
      teamId: desk.support,
      greeting: 'Hi! Ask us anything.',
    });
    expect(created.statusCode).toBe(201);
    widget = created.json<ChatWidget>();
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const call = (method: 'GET' | 'POST', url: string, payload?: object, token?: string) =>
    t.app.inject({
      method,
      url,
      ...(payload && { payload }),
      ...(token && { headers: bearer({ accessToken: token }) }),
    });

  /** Solves a challenge the way the widget does: counting nonces until enough zero bits lead. */
  async function solved() {
    const { challenge, difficulty } = (await call('GET', '/widget/challenge')).json<WidgetChallenge>();
    let nonce = 0;
    while (zeroBits(challenge, String(nonce)) < difficulty) nonce++;
    return { challenge, nonce: String(nonce) };
  }
  const visit = async (extra: object = {}) => {
    const response = await call('POST', '/widget/sessions', { key: widget.key, proof: await solved(), ...extra });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<GuestSession>();
  };

  it('is kept by admins: the key to embed, the sites that may embed it, a secret for identities', async () => {
    expect(widget).toMatchObject({ allowedOrigins: [SHOP, 'http://localhost:8080'], teamId: desk.support });
    expect(widget.key).toMatch(/^wk_[A-Za-z0-9_-]{16}$/);
    expect(widget.identitySecret).toMatch(/^[0-9a-f]{64}$/);
    expect((await as(t, desk.sam).get('/widgets')).statusCode).toBe(403);
    expect((await as(t, desk.admin).get('/widgets')).json()).toEqual({ items: [widget] });
    const rotated = await as(t, desk.admin).patch(`/widgets/${widget.id}`, { rotateIdentitySecret: true });
    expect(rotated.json<ChatWidget>().identitySecret).not.toBe(widget.identitySecret);
    widget = rotated.json<ChatWidget>();
  });

  it('serves a frame that only the allowed sites may embed', async () => {
    const frame = await call('GET', `/widget-frame/${widget.key}`);
    expect(frame.statusCode).toBe(200);
    expect(frame.headers['content-security-policy']).toContain(`frame-ancestors ${SHOP} http://localhost:8080`);
    expect(frame.headers['x-frame-options']).toBeUndefined();
    expect(frame.body).toContain(`data-key="${widget.key}"`);
    expect((await call('GET', '/widget-frame/wk_nope')).statusCode).toBe(404);
  });

  it('lets a new visitor in only with a solved challenge', async () => {
    const none = await call('POST', '/widget/sessions', { key: widget.key });
    expect(none.json().error).toMatchObject({ code: 'validation_failed' });
    const proof = await solved();
    let miss = 0;
    while (zeroBits(proof.challenge, `m${miss}`) >= 8) miss++;
    const wrong = await call('POST', '/widget/sessions', {
      key: widget.key,
      proof: { challenge: proof.challenge, nonce: `m${miss}` },
    });
    expect(wrong.statusCode).toBe(400);
    const forged = await call('POST', '/widget/sessions', {
      key: widget.key,
      proof: { challenge: proof.challenge.replace(/\.[^.]+$/, '.forged'), nonce: proof.nonce },
    });
    expect(forged.statusCode).toBe(400);
    const session = await visit({ name: 'Vera', email: 'Vera@Example.org' });
    expect(session.user.displayName).toBe('Vera');
    expect(session.look).toMatchObject({ name: 'Shop', greeting: 'Hi! Ask us anything.' });
  });

  it('opens a chat in the widget’s team with the first message, once, and comes back to it with the guest token', async () => {
    const vera = await visit({ name: 'Vera' });
    expect((await call('GET', '/widget/conversation', undefined, vera.accessToken)).json()).toEqual({ ticket: null });
    const first = await call(
      'POST',
      '/widget/conversation',
      { clientMsgId: 'w1', body: 'Do you ship to Norway?' },
      vera.accessToken,
    );
    expect(first.statusCode).toBe(201);
    const { ticket } = first.json<WidgetChat>();
    expect(ticket).toMatchObject({ channel: 'widget', teamId: desk.support, description: 'Do you ship to Norway?' });
    const again = await call(
      'POST',
      '/widget/conversation',
      { clientMsgId: 'w1', body: 'Do you ship to Norway?' },
      vera.accessToken,
    );
    expect(again.statusCode).toBe(200);
    expect(again.json<WidgetChat>().ticket!.id).toBe(ticket!.id);

    const back = await call('POST', '/widget/sessions', { key: widget.key, guestToken: vera.guestToken });
    expect(back.json<GuestSession>().user.id).toBe(vera.user.id);
    expect(
      (await call('GET', '/widget/conversation', undefined, back.json<GuestSession>().accessToken)).json<WidgetChat>()
        .ticket!.id,
    ).toBe(ticket!.id);
    const queue = (await as(t, desk.sam).get('/tickets?limit=100')).json<TicketPage>();
    expect(queue.items.find((item) => item.id === ticket!.id)).toMatchObject({ requester: { displayName: 'Vera' } });

    const forged = vera.guestToken.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await call('POST', '/widget/sessions', { key: widget.key, guestToken: forged })).statusCode).toBe(401);
  });

  it('keeps a guest to their own chat: no other route, no other ticket, no other frame', async () => {
    const vera = await visit();
    const otto = await visit();
    const { ticket } = (
      await call('POST', '/widget/conversation', { clientMsgId: 'v1', body: 'Mine' }, vera.accessToken)
    ).json<WidgetChat>();
    for (const url of ['/users', '/tickets', '/me', '/conversations', `/conversations/${desk.carla.user.id}`]) {
      expect((await call('GET', url, undefined, vera.accessToken)).statusCode, url).toBe(403);
    }
    expect((await call('GET', `/tickets/${ticket!.id}`, undefined, vera.accessToken)).statusCode).toBe(200);
    expect((await call('GET', `/tickets/${ticket!.id}`, undefined, otto.accessToken)).statusCode).toBe(404);
    expect(
      (await call('GET', `/conversations/${ticket!.conversationId}/messages`, undefined, otto.accessToken)).statusCode,
    ).toBe(404);

    const socket = await readySocket(base, vera);
    socket.send({ type: 'presence', ref: 'p', status: 'away' });
    expect(await socket.next('error', (f) => f.ref === 'p')).toMatchObject({ code: 'forbidden' });
    await socket.close();
  });

  it('chats live both ways over the realtime protocol, typing and read marks included', async () => {
    const vera = await visit({ name: 'Vera' });
    const { ticket } = (
      await call('POST', '/widget/conversation', { clientMsgId: 'l1', body: 'Hello?' }, vera.accessToken)
    ).json<WidgetChat>();
    const guest = await readySocket(base, vera);
    const agent = await readySocket(base, desk.sam);
    for (const socket of [guest, agent]) {
      socket.send({ type: 'subscribe', conversationId: ticket!.conversationId });
      await socket.next('subscribed');
    }

    guest.send({ type: 'typing', conversationId: ticket!.conversationId });
    expect(await agent.next('typing')).toMatchObject({ userId: vera.user.id });
    guest.send({
      type: 'message.send',
      conversationId: ticket!.conversationId,
      clientMsgId: 'l2',
      body: 'Anyone there?',
    });
    await guest.next('ack', (a) => a.clientMsgId === 'l2');
    expect((await agent.next('message')).message).toMatchObject({
      body: 'Anyone there?',
      senderId: vera.user.id,
    });

    const answer = await as(t, desk.sam).post(`/conversations/${ticket!.conversationId}/messages`, {
      clientMsgId: 's1',
      body: 'Yes, in 3 days.',
    });
    const sent = answer.json<Message>();
    expect((await guest.next('message', (f) => f.message.id === sent.id)).message.body).toBe('Yes, in 3 days.');
    guest.send({ type: 'read', conversationId: ticket!.conversationId, seq: sent.seq });
    expect(await agent.next('read', (f) => f.userId === vera.user.id)).toMatchObject({ seq: sent.seq });
    await settle(guest);
    await Promise.all([guest.close(), agent.close()]);
  });

  it('knows a signed-in user of the site by a verified identity, and refuses a forged one', async () => {
    const hash = (id: string) => createHmac('sha256', widget.identitySecret).update(id).digest('hex');
    const first = await visit({ identity: { userId: 'shop-42', hash: hash('shop-42') } });
    const second = await call('POST', '/widget/sessions', {
      key: widget.key,
      identity: { userId: 'shop-42', hash: hash('shop-42') },
    });
    expect(second.json<GuestSession>().user.id).toBe(first.user.id);
    const other = await visit({ identity: { userId: 'shop-43', hash: hash('shop-43') } });
    expect(other.user.id).not.toBe(first.user.id);
    const forged = await call('POST', '/widget/sessions', {
      key: widget.key,
      identity: { userId: 'shop-42', hash: hash('shop-43') },
    });
    expect(forged.statusCode).toBe(401);
  });

  it('lets staff merge a guest into the registered customer they are: the chats become theirs, the guest ends', async () => {
    const vera = await visit({ name: 'Vera' });
    const { ticket } = (
      await call('POST', '/widget/conversation', { clientMsgId: 'm1', body: 'I forgot to sign in' }, vera.accessToken)
    ).json<WidgetChat>();
    const guest = await readySocket(base, vera);
    guest.send({ type: 'subscribe', conversationId: ticket!.conversationId });
    await guest.next('subscribed');
    guest.send({
      type: 'message.send',
      conversationId: ticket!.conversationId,
      clientMsgId: 'm2',
      body: 'It is me, Carla',
    });
    await guest.next('ack');
    await guest.close();

    const context = (id: string) =>
      as(t, desk.sam)
        .get(`/customers/${id}/context`)
        .then((r) => r.json());
    expect((await context(vera.user.id)).customer.guest).toEqual({ contactEmail: null });
    expect((await context(desk.carla.user.id)).customer.guest).toBeNull();

    expect(
      (await as(t, desk.dan).post(`/customers/${vera.user.id}/merge`, { intoId: desk.dan.user.id })).statusCode,
    ).toBe(403);
    expect(
      (await as(t, desk.sam).post(`/customers/${vera.user.id}/merge`, { intoId: desk.kim.user.id })).statusCode,
    ).toBe(400);
    const merged = await as(t, desk.sam).post(`/customers/${vera.user.id}/merge`, { intoId: desk.carla.user.id });
    expect(merged.json()).toEqual({ tickets: 1 });

    const carlas = (await as(t, desk.carla).get('/tickets?limit=100')).json<TicketPage>().items;
    expect(carlas.find((item) => item.id === ticket!.id)).toMatchObject({ description: 'I forgot to sign in' });
    const messages = (await as(t, desk.carla).get(`/conversations/${ticket!.conversationId}/messages`)).json<{
      items: Message[];
    }>();
    expect(messages.items.map((m) => [m.senderId, m.body])).toEqual([[desk.carla.user.id, 'It is me, Carla']]);
    expect((await call('POST', '/widget/sessions', { key: widget.key, guestToken: vera.guestToken })).statusCode).toBe(
      401,
    );
    expect((await call('GET', '/widget/conversation', undefined, vera.accessToken)).statusCode).toBe(401);
  });

  it('mails the answers a visitor who gave an email has not read a while later, and nothing once they read them', async () => {
    const runJobs = async () => {
      for (let i = 0; i < 3; i++) await t.app.jobs.runDueJobs();
    };
    const answer = async (conversationId: string, body: string) => {
      const response = await as(t, desk.sam).post(`/conversations/${conversationId}/messages`, {
        clientMsgId: body.replace(/\W/g, '-'),
        body,
      });
      expect(response.statusCode).toBe(201);
      return response.json<Message>();
    };

    const away = await visit({ name: 'Wanda', email: 'wanda@example.org' });
    const chat = (
      await call('POST', '/widget/conversation', { clientMsgId: 'a1', body: 'Ping me' }, away.accessToken)
    ).json<WidgetChat>();
    await answer(chat.ticket!.conversationId, 'Found your order.');
    await answer(chat.ticket!.conversationId, 'It ships today.');
    await runJobs();
    clock.advance(AWAY_AFTER_MS);
    await runJobs();
    const mail = await smtp.waitFor((m) => m.envelopeTo.includes('wanda@example.org'));
    expect(mail.subject).toBe('Re: Ping me');
    expect(mail.text).toContain('Found your order.\n\nIt ships today.');
    expect(mail.text).toContain('Answer in the chat on our website.');
    expect(smtp.received.filter((m) => m.envelopeTo.includes('wanda@example.org'))).toHaveLength(1);

    const here = await visit({ name: 'Hanna', email: 'hanna@example.org' });
    const hers = (
      await call('POST', '/widget/conversation', { clientMsgId: 'h1', body: 'Quick one' }, here.accessToken)
    ).json<WidgetChat>();
    const sent = await answer(hers.ticket!.conversationId, 'Sure.');
    await runJobs();
    const read = await call(
      'POST',
      `/conversations/${hers.ticket!.conversationId}/read`,
      { seq: sent.seq },
      here.accessToken,
    );
    expect(read.statusCode).toBeLessThan(300);
    clock.advance(AWAY_AFTER_MS);
    await runJobs();
    expect(smtp.received.some((m) => m.envelopeTo.includes('hanna@example.org'))).toBe(false);
  });
});
