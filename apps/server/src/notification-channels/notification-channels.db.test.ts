import type { Message, PushConfig, PushPayload, Session } from '@parley/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestPushService, type TestPushService } from '../testing/push-service';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { linkIn, startTestSmtp, type TestSmtp } from '../testing/test-smtp';
import { readySocket, type TestSocket } from '../testing/ws-client';

const PUBLIC_URL = 'https://parley.test';
const MINUTE = 60_000;

/**
 * Outside the app: a reply reaches a customer who closed it by push at once and by one mail
 * some minutes later if still unread, as their settings, presence and quiet hours allow.
 */
describe(`notifications by push and email on ${TEST_DIALECT}`, () => {
  // 12:00 UTC on a weekday: no one's quiet hours unless a test sets them.
  const clock = manualClock(Date.parse('2026-12-02T12:00:00Z'));
  let t: TestApp;
  let base: string;
  let smtp: TestSmtp;
  let pushService: TestPushService;
  let desk: Desk;
  let serverKey: string;
  let n = 0;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    smtp = await startTestSmtp();
    pushService = await startTestPushService();
    t = await startTestApp({
      clock,
      env: {
        SMTP_URL: smtp.url,
        PUBLIC_URL,
        JOB_POLL_INTERVAL_MS: '3600000',
        NOTIFY_EMAIL_DELAY_MINUTES: '5',
        // The clock moves hours here; the sessions must outlive it.
        ACCESS_TOKEN_TTL_SECONDS: String(7 * 24 * 3600),
      },
    });
    base = await listen(t);
    desk = await setUpDesk(t);
    serverKey = (await t.app.inject({ method: 'GET', url: '/push/config' })).json<PushConfig>().webPublicKey;
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await t?.close();
    await smtp?.close();
    await pushService?.close();
  });
  beforeEach(() => smtp.clear());

  /** A browser of `who` subscribed to push: what reaches it, decrypted. */
  const browserOf = async (who: Session) => {
    const sub = pushService.subscribe(serverKey);
    const registered = await as(t, who).post('/me/push-devices', {
      kind: 'web',
      endpoint: sub.endpoint,
      keys: sub.keys,
    });
    expect(registered.statusCode, registered.body).toBe(201);
    return () => pushService.received(sub.id).map((p) => p.payload as PushPayload);
  };
  const reply = async (who: Session, conversationId: string, body: string) => {
    const sent = await as(t, who).post(`/conversations/${conversationId}/messages`, { clientMsgId: `c-${++n}`, body });
    expect(sent.statusCode, sent.body).toBe(201);
    return sent.json<Message>();
  };
  /** What the notifier made of the events so far goes out: pushes now, digests when due. */
  const deliver = async () => {
    await t.app.notifications.settled();
    await t.app.jobs.runDueJobs();
    await t.app.jobs.runDueJobs();
  };
  const later = async (ms: number) => {
    clock.advance(ms);
    await deliver();
  };
  const mailsTo = (who: Session) => smtp.received.filter((m) => m.envelopeTo.includes(who.user.email));
  const ticketFor = async (customer: Session, subject: string) => {
    const ticket = await openTicket(t, customer, { subject, teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
    return ticket;
  };

  it('a customer away from the app gets a push for each reply at once, and one mail with both five minutes later', async () => {
    const carlasBrowser = await browserOf(desk.carla);
    const ticket = await ticketFor(desk.carla, 'Invoice is wrong');
    const first = await reply(desk.sam, ticket.conversationId, 'We are looking into it');
    await reply(desk.sam, ticket.conversationId, 'Fixed: a credit note is on its way');
    await deliver();

    // The push: the ticket, who replied and what, and where it opens; one tag, so one shows.
    expect(carlasBrowser()).toEqual([
      {
        title: 'Invoice is wrong',
        body: 'Sam Agent replied: We are looking into it',
        url: `/tickets/${ticket.id}?seq=${first.seq}`,
        tag: ticket.conversationId,
        workspaceId: desk.carla.user.workspace.id,
        kind: 'ticket.message',
      },
      expect.objectContaining({
        body: 'Sam Agent replied: Fixed: a credit note is on its way',
        tag: ticket.conversationId,
      }),
    ]);
    expect(mailsTo(desk.carla)).toEqual([]);

    await later(4 * MINUTE);
    expect(mailsTo(desk.carla)).toEqual([]);
    await later(2 * MINUTE);
    const mails = mailsTo(desk.carla);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toContain('Invoice is wrong');
    expect(mail.text).toContain('Fixed: a credit note is on its way');
    expect(mail.text).toContain('(2 new)');
    expect(mail.text).toContain(`${PUBLIC_URL}/tickets/${ticket.id}?seq=`);
    // One-click unsubscribe (RFC 8058) from this category.
    const unsubscribe = linkIn(mail, `${PUBLIC_URL}/unsubscribe?token=`);
    const header = (key: string) => mail.headerLines.find((h) => h.key === key)?.line.replace(/\r\n\s+/g, ' ');
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${unsubscribe}>`);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const done = await t.app.inject({ method: 'POST', url: unsubscribe.slice(PUBLIC_URL.length) });
    expect(done.statusCode, done.body).toBe(200);
    expect((await as(t, desk.carla).get('/me/notification-settings')).json()).toMatchObject({ emailOff: ['tickets'] });

    // Nothing more comes of those two replies, however long it waits.
    await later(60 * MINUTE);
    expect(mailsTo(desk.carla)).toHaveLength(1);
    await as(t, desk.carla).patch('/me/notification-settings', { emailOff: [] });
  });

  it('sends no mail for what was read in time, and a mail for what came after', async () => {
    const ticket = await ticketFor(desk.dan, 'Cannot sign in');
    const early = await reply(desk.sam, ticket.conversationId, 'Try the reset link');
    await deliver();
    await later(2 * MINUTE);
    expect(
      (await as(t, desk.dan).post(`/conversations/${ticket.conversationId}/read`, { seq: early.seq })).statusCode,
    ).toBe(204);
    await later(10 * MINUTE);
    expect(mailsTo(desk.dan)).toEqual([]);

    await reply(desk.sam, ticket.conversationId, 'Did it work?');
    await deliver();
    await later(6 * MINUTE);
    expect(mailsTo(desk.dan).map((m) => m.text)).toEqual([expect.stringContaining('Did it work?')]);
  });

  it('pushes nothing to someone active in the app, but mails them if they leave it unread', async () => {
    const kimsBrowser = await browserOf(desk.kim);
    const socket = await readySocket(base, desk.kim);
    sockets.push(socket);
    const chat = (await as(t, desk.otto).post('/conversations/direct', { userId: desk.kim.user.id })).json<{
      id: string;
    }>();
    await reply(desk.otto, chat.id, 'Lunch at one?');
    await deliver();
    expect(kimsBrowser()).toEqual([]);
    await later(6 * MINUTE);
    expect(mailsTo(desk.kim).map((m) => m.text)).toEqual([expect.stringContaining('Lunch at one?')]);
    await socket.close();
  });

  it('keeps to the levels: mentions only, nothing, and quiet hours that hold the push and move the mail', async () => {
    const ottosBrowser = await browserOf(desk.otto);
    const group = (
      await as(t, desk.sam).post('/conversations/groups', { title: `Levels ${++n}`, memberIds: [desk.otto.user.id] })
    ).json<{ id: string }>();
    await as(t, desk.otto).patch('/me/notification-settings', { push: 'mentions', email: 'none' });
    await reply(desk.sam, group.id, 'Hello group');
    await deliver();
    expect(ottosBrowser()).toEqual([]);
    await reply(desk.sam, group.id, `@${desk.otto.user.username} can you check the invoice?`);
    await deliver();
    expect(ottosBrowser().map((p) => p.kind)).toEqual(['message.mention']);
    await later(10 * MINUTE);
    expect(mailsTo(desk.otto)).toEqual([]);

    // Quiet from 11:00 to 14:00 UTC (it is 12:xx): no push; the mail waits until 14:00.
    await as(t, desk.otto).patch('/me/notification-settings', {
      push: 'all',
      email: 'all',
      quietHours: { from: '11:00', to: '14:00', timeZone: 'UTC' },
    });
    await reply(desk.sam, group.id, `@${desk.otto.user.username} still there?`);
    await deliver();
    expect(ottosBrowser()).toHaveLength(1);
    await later(10 * MINUTE);
    expect(mailsTo(desk.otto)).toEqual([]);
    const untilTwo = Date.parse('2026-12-02T14:00:00Z') - clock.now();
    await later(untilTwo + MINUTE);
    expect(mailsTo(desk.otto).map((m) => m.text)).toEqual([expect.stringContaining('still there?')]);
    await as(t, desk.otto).patch('/me/notification-settings', { quietHours: null });

    // A conversation set to nothing: not even a mention reaches push or mail.
    await as(t, desk.otto).put(`/conversations/${group.id}/notifications`, { level: 'none' });
    smtp.clear();
    await reply(desk.sam, group.id, `@${desk.otto.user.username} and now?`);
    await deliver();
    await later(10 * MINUTE);
    expect(ottosBrowser()).toHaveLength(1);
    expect(mailsTo(desk.otto)).toEqual([]);
  });
});
