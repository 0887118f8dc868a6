import { verifyWebhookSignature } from '@parley/client/webhooks';
import {
  WebhookPayloadSchema,
  type Conversation,
  type Message,
  type NotificationPage,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryPage,
} from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { createMigratedTestDatabase } from '../testing/database-template';
import { TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * A workspace admin points Parley at their own service: every ticket event reaches it, signed,
 * in order, again after a failure, and never to an address inside the installation's network.
 * A real HTTP receiver on loopback (allowed by WEBHOOK_ALLOW_NETWORKS, as a self-hoster would).
 */
describe(`webhooks on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    t = await startTestApp({
      clock,
      env: {
        JOB_POLL_INTERVAL_MS: '3600000',
        WEBHOOK_ALLOW_NETWORKS: '127.0.0.1',
        WEBHOOK_DISABLE_AFTER_HOURS: '1',
        // The clock jumps a day ahead in some stories.
        ACCESS_TOKEN_TTL_SECONDS: String(30 * 24 * 3600),
      },
    });
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });
  afterEach(async () => {
    // Each story starts with no webhooks, nothing queued and a receiver that says 200.
    for (const hook of (await as(t, desk.admin).get('/webhooks')).json<{ items: Webhook[] }>().items) {
      await as(t, desk.admin).delete(`/webhooks/${hook.id}`);
    }
    receiver.release(); // a story that failed while holding answers must not hold up the next
    await t.app.jobs.runDueJobs();
    receiver.received.length = 0;
    receiver.answerWith(() => ({ status: 200 }));
  });

  const register = async (body: object) => {
    const response = await as(t, desk.admin).post('/webhooks', { url: receiver.url, ...body });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Webhook>();
  };
  /** Runs the reactions, then the senders they wake, at the clock's time. */
  const deliver = async () => {
    for (let i = 0; i < 3; i++) await t.app.jobs.runDueJobs();
  };
  const deliveries = async (hook: Webhook) =>
    (await as(t, desk.admin).get(`/webhooks/${hook.id}/deliveries`)).json<WebhookDeliveryPage>().items;
  const reply = async (conversationId: string, body: string, who = desk.sam, extra: object = {}) => {
    const response = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `m-${Math.random().toString(36).slice(2)}`,
      body,
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Message>();
  };
  const nowSeconds = () => Math.floor(clock.now() / 1000);

  it('sends a new ticket and its replies, signed with the secret, as the protocol shapes them', async () => {
    const hook = await register({ events: ['ticket.created', 'message.created'], description: 'CRM sync' });
    expect(hook).toMatchObject({ events: ['message.created', 'ticket.created'], maxConcurrency: 4, disabledAt: null });
    expect(hook.secret).toMatch(/^whsec_/);

    const ticket = await openTicket(t, desk.carla, { subject: 'Cannot log in', teamId: desk.support });
    await reply(ticket.conversationId, 'Looking into it');
    await reply(ticket.conversationId, 'Customer is on the old plan', desk.sam, { internal: true });
    await deliver();

    expect(receiver.types()).toEqual(['ticket.created', 'message.created', 'message.created']);
    const [created, answer, note] = receiver.received.map((r) => WebhookPayloadSchema.parse(r.json));
    expect(created).toMatchObject({
      type: 'ticket.created',
      version: 1,
      data: { ticket: { subject: 'Cannot log in' } },
    });
    expect(answer).toMatchObject({
      data: { message: { body: 'Looking into it', kind: 'text' }, ticket: { id: ticket.id } },
    });
    expect(note).toMatchObject({ data: { message: { kind: 'note' } } });
    for (const request of receiver.received) {
      expect(request.headers['parley-event-id']).toBe(request.json.id);
      expect(request.headers['content-type']).toBe('application/json');
      const check = { header: request.headers['parley-signature'] as string, body: request.body, now: nowSeconds() };
      expect(await verifyWebhookSignature({ ...check, secret: hook.secret })).toBe(true);
      expect(await verifyWebhookSignature({ ...check, secret: 'whsec_someone-else' })).toBe(false);
      expect(await verifyWebhookSignature({ ...check, secret: hook.secret, body: `${request.body} ` })).toBe(false);
      // Replayed ten minutes later: refused.
      expect(await verifyWebhookSignature({ ...check, secret: hook.secret, now: nowSeconds() + 600 })).toBe(false);
    }

    const log = await deliveries(hook);
    expect(log.map((d) => [d.eventType, d.status, d.responseStatus, d.attempts])).toEqual([
      ['message.created', 'delivered', 200, 1],
      ['message.created', 'delivered', 200, 1],
      ['ticket.created', 'delivered', 200, 1],
    ]);
  });

  it('sends only what was subscribed to, and nothing of direct chats', async () => {
    await register({ events: ['ticket.closed', 'ticket.assigned', 'message.updated'] });
    const ticket = await openTicket(t, desk.carla, { subject: 'Invoice wrong', teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    const sent = await reply(ticket.conversationId, 'Fixed the invoice');
    await as(t, desk.sam).patch(`/conversations/${ticket.conversationId}/messages/${sent.id}`, {
      body: 'Fixed the invoice, sorry',
    });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'closed' });
    // A direct chat between two agents is theirs alone.
    const dm = (await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id })).json<Conversation>();
    const said = await reply(dm.id, 'Lunch?');
    await as(t, desk.sam).patch(`/conversations/${dm.id}/messages/${said.id}`, { body: 'Lunch at 1?' });
    await deliver();

    expect(receiver.types()).toEqual(['ticket.assigned', 'message.updated', 'ticket.closed']);
    expect(receiver.received[1]!.json.data).toMatchObject({ message: { body: 'Fixed the invoice, sorry' } });
    expect(receiver.received[2]!.json.data).toMatchObject({
      ticket: { status: 'closed' },
      change: { byUserId: desk.sam.user.id, from: { assigneeId: desk.sam.user.id } },
    });
  });

  it('retries a failing delivery with backoff, and holds the same ticket’s next events back until it is through', async () => {
    const hook = await register({ events: ['ticket.created', 'message.created'] });
    const ticket = await openTicket(t, desk.carla, { subject: 'Broken export', teamId: desk.support });
    // The receiver fails this ticket's "created" twice (its database is down), then recovers.
    let failures = 2;
    receiver.answerWith((request) =>
      request.json.type === 'ticket.created' &&
      (request.json.data.ticket as { id: string }).id === ticket.id &&
      failures-- > 0
        ? { status: 500, body: 'database down' }
        : { status: 200 },
    );
    await openTicket(t, desk.dan, { subject: 'Other ticket', teamId: desk.support });
    await reply(ticket.conversationId, 'First answer');
    await deliver();
    const sentAbout = () =>
      receiver.received.map(
        (r) => `${r.json.type} ${(r.json.data.ticket as { id: string }).id === ticket.id ? 'A' : 'B'}`,
      );
    // The reply to the failing ticket waits behind it; the other ticket does not.
    expect(sentAbout()).toEqual(['ticket.created A', 'ticket.created B']);
    const failed = (await deliveries(hook)).find((d) => d.eventType === 'ticket.created' && d.status === 'pending')!;
    expect(failed).toMatchObject({
      attempts: 1,
      responseStatus: 500,
      responseBody: 'database down',
      error: 'HTTP 500',
    });
    expect(Date.parse(failed.nextAttemptAt!)).toBe(clock.now() + 30 * SECOND);

    clock.advance(29 * SECOND);
    await deliver();
    expect(receiver.received).toHaveLength(2); // not yet
    clock.advance(SECOND);
    await deliver();
    expect(receiver.received).toHaveLength(3); // failed again: twice as long now
    clock.advance(MINUTE);
    await deliver();
    expect(sentAbout()).toEqual([
      'ticket.created A',
      'ticket.created B',
      'ticket.created A',
      'ticket.created A',
      'message.created A',
    ]);
    // Every attempt of one event carries the same event id, for the receiver to drop repeats.
    expect(new Set(receiver.received.filter((r, i) => [0, 2, 3].includes(i)).map((r) => r.json.id)).size).toBe(1);
    expect((await deliveries(hook)).map((d) => [d.status, d.attempts])).toEqual([
      ['delivered', 1],
      ['delivered', 1],
      ['delivered', 3],
    ]);
  });

  it('keeps to the endpoint’s concurrency limit', async () => {
    await register({ events: ['ticket.created'], maxConcurrency: 2 });
    receiver.hold();
    for (let i = 0; i < 5; i++) await openTicket(t, desk.carla, { subject: `Question ${i}` });
    const run = deliver();
    // The two free places fill while the answers are held, whenever the deliveries were made.
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
    receiver.release(); // answers the two, and everything after them at once
    await run;
    expect(receiver.received).toHaveLength(5);
    expect(receiver.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it('sends a test event, and sends an event again on request, with the same event id', async () => {
    const hook = await register({ events: ['ticket.created'] });
    const pinged = (await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`)).json<WebhookDelivery>();
    expect(pinged).toMatchObject({ eventType: 'ping', status: 'pending' });
    await deliver();
    expect(receiver.received[0]!.json).toMatchObject({ type: 'ping', data: { webhookId: hook.id } });

    const again = await as(t, desk.admin).post(`/webhooks/${hook.id}/deliveries/${pinged.id}/redeliver`);
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json<WebhookDelivery>()).toMatchObject({ eventId: pinged.eventId, redelivery: 1 });
    await deliver();
    expect(receiver.received.map((r) => r.json.id)).toEqual([pinged.eventId, pinged.eventId]);
    expect(receiver.received[0]!.headers['parley-delivery']).not.toBe(receiver.received[1]!.headers['parley-delivery']);
  });

  it('signs with the old secret too for a day after a rotation', async () => {
    const hook = await register({ events: ['ticket.created'] });
    const rotated = (await as(t, desk.admin).patch(`/webhooks/${hook.id}`, { rotateSecret: true })).json<Webhook>();
    expect(rotated.secret).not.toBe(hook.secret);
    await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`);
    await deliver();
    const [sent] = receiver.received;
    const check = { header: sent!.headers['parley-signature'] as string, body: sent!.body, now: nowSeconds() };
    expect(await verifyWebhookSignature({ ...check, secret: rotated.secret })).toBe(true);
    expect(await verifyWebhookSignature({ ...check, secret: hook.secret })).toBe(true);

    clock.advance(24 * 60 * MINUTE);
    await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`);
    await deliver();
    const later = receiver.received[1]!;
    const checkLater = { header: later.headers['parley-signature'] as string, body: later.body, now: nowSeconds() };
    expect(await verifyWebhookSignature({ ...checkLater, secret: rotated.secret })).toBe(true);
    expect(await verifyWebhookSignature({ ...checkLater, secret: hook.secret })).toBe(false);
  });

  it('refuses addresses inside the network, when registered and on every redirect', async () => {
    for (const url of [
      'http://10.0.0.5/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]:8080/',
      'http://127.0.0.2/',
    ]) {
      const refused = await as(t, desk.admin).post('/webhooks', { url, events: ['ticket.created'] });
      expect(refused.statusCode, url).toBe(400);
      expect(refused.json()).toMatchObject({
        error: { code: 'validation_failed', details: { fields: [{ path: 'url' }] } },
      });
    }
    const notHttp = await as(t, desk.admin).post('/webhooks', {
      url: 'file:///etc/passwd',
      events: ['ticket.created'],
    });
    expect(notHttp.statusCode).toBe(400);

    // The allowed receiver redirects to a loopback address that is not allowed: not followed.
    const hook = await register({ events: ['ticket.created'] });
    receiver.answerWith(() => ({ status: 307, headers: { location: `http://127.0.0.2:${receiver.port}/hooks` } }));
    await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`);
    await deliver();
    expect(receiver.received).toHaveLength(1);
    const [attempt] = await deliveries(hook);
    expect(attempt).toMatchObject({ status: 'pending', responseStatus: null });
    expect(attempt!.error).toMatch(/127\.0\.0\.2 is a private, loopback or link-local address/);
  });

  it('turns off an endpoint that has failed for longer than allowed, and tells the admins', async () => {
    const hook = await register({ events: ['ticket.created'] });
    receiver.answerWith(() => ({ status: 503 }));
    await openTicket(t, desk.carla, { subject: 'Nobody listens' });
    await deliver();
    // Ten attempts over about three hours (WEBHOOK_DISABLE_AFTER_HOURS is 1 here).
    for (let attempt = 1; attempt < 10; attempt++) {
      clock.advance(Math.min(60 * MINUTE, 30 * SECOND * 2 ** (attempt - 1)));
      await deliver();
    }
    expect(receiver.received).toHaveLength(10);
    const [given] = await deliveries(hook);
    expect(given).toMatchObject({ status: 'failed', attempts: 10, nextAttemptAt: null, responseStatus: 503 });
    const off = (await as(t, desk.admin).get('/webhooks')).json<{ items: Webhook[] }>().items[0]!;
    expect(off).toMatchObject({ disabledReason: 'failing', disabledAt: expect.any(String) });
    await expect
      .poll(async () => (await as(t, desk.admin).get('/notifications')).json<NotificationPage>().items[0])
      .toMatchObject({ kind: 'webhook.disabled', data: { webhookId: hook.id, url: hook.url } });

    // Off: new events are not sent. On again: it works.
    await openTicket(t, desk.carla, { subject: 'While it was off' });
    await deliver();
    expect(receiver.received).toHaveLength(10);
    receiver.answerWith(() => ({ status: 200 }));
    const on = await as(t, desk.admin).patch(`/webhooks/${hook.id}`, { enabled: true });
    expect(on.json<Webhook>()).toMatchObject({ disabledAt: null, disabledReason: null, failingSince: null });
    await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`);
    await deliver();
    expect(receiver.types().at(-1)).toBe('ping');
  });

  it('forgets finished deliveries after 30 days, and keeps those still to send', async () => {
    const hook = await register({ events: ['ticket.created'] });
    await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`);
    await deliver();
    receiver.answerWith(() => ({ status: 500 }));
    await as(t, desk.admin).post(`/webhooks/${hook.id}/ping`);
    await deliver();
    expect((await deliveries(hook)).map((d) => d.status)).toEqual(['pending', 'delivered']);
    // Both were made 31 days ago, and the daily clean-up is due.
    await t.database.db
      .updateTable('webhookDeliveries')
      .set({ createdAt: clock.now() - 31 * 24 * 60 * MINUTE })
      .where('workspaceId', '=', desk.admin.user.workspace.id)
      .where('webhookId', '=', hook.id)
      .execute();
    await t.database.db.updateTable('jobs').set({ runAt: clock.now() }).where('kind', '=', 'webhook.prune').execute();
    await deliver();
    expect((await deliveries(hook)).map((d) => d.status)).toEqual(['pending']);
  });

  it('is for the workspace’s admins only', async () => {
    const hook = await register({ events: ['ticket.created'] });
    for (const who of [desk.sam, desk.carla]) {
      expect((await as(t, who).get('/webhooks')).statusCode).toBe(403);
      expect((await as(t, who).post(`/webhooks/${hook.id}/ping`)).statusCode).toBe(403);
    }
    // The secret never reaches the audit log.
    const audit = await t.database.db.selectFrom('auditLog').select('data').where('entityId', '=', hook.id).execute();
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain(hook.secret);
  });
});

describe(`webhook deliveries across a restart on ${TEST_DIALECT}`, () => {
  let testDb: TestDatabase;
  let receiver: WebhookReceiver;
  const nodes: TestApp[] = [];

  beforeAll(async () => {
    testDb = await createMigratedTestDatabase();
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.close()));
    await receiver?.close();
    await testDb?.drop();
  });

  const startNode = async () => {
    const node = await startTestApp({
      database: testDb,
      env: { JOB_POLL_INTERVAL_MS: '3600000', WEBHOOK_ALLOW_NETWORKS: '127.0.0.1' },
    });
    nodes.push(node);
    return node;
  };

  it('sends a delivery that was in flight when its node stopped once, not again from the next node', async () => {
    const first = await startNode();
    const desk = await setUpDesk(first);
    const hook = (
      await as(first, desk.admin).post('/webhooks', { url: receiver.url, events: ['ticket.created'] })
    ).json<Webhook>();
    receiver.hold();
    await openTicket(first, desk.carla, { subject: 'In flight' });
    const running = first.app.jobs.runDueJobs().then(() => first.app.jobs.runDueJobs());
    await expect.poll(() => receiver.received.length).toBe(1);
    // The node is told to stop while the receiver still works on the request.
    const stopping = first.close();
    nodes.splice(nodes.indexOf(first), 1);
    receiver.release();
    await running;
    await stopping;

    const second = await startNode();
    await openTicket(second, desk.carla, { subject: 'After the restart' });
    for (let i = 0; i < 3; i++) await second.app.jobs.runDueJobs();
    expect(receiver.received.map((r) => (r.json.data.ticket as { subject: string }).subject)).toEqual([
      'In flight',
      'After the restart',
    ]);
    const log = (await as(second, desk.admin).get(`/webhooks/${hook.id}/deliveries`)).json<WebhookDeliveryPage>();
    expect(log.items.map((d) => d.status)).toEqual(['delivered', 'delivered']);
  });
});
