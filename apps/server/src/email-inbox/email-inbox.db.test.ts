import type { EmailChannel, Message, MessagePage, TicketPage } from '@parley/protocol';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';
import { startTestSmtp, type TestSmtp } from '../testing/test-smtp';
import { pngImage, uploadImage } from '../testing/upload-image';

/**
 * Customers without an account write to the support address; agents answer in the app; the
 * answers go back by mail, threaded, and the customers' replies come back into the same ticket.
 * Real SMTP both ways: nodemailer into Parley's listener, Parley's mailer into a test server.
 */
describe(`the email inbox on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let smtp: TestSmtp;
  let t: TestApp;
  let desk: Desk;
  let channel: EmailChannel;
  let port: number;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp({
      clock,
      env: {
        SMTP_URL: smtp.url,
        INBOUND_SMTP_PORT: '0',
        INBOUND_MAILS_PER_SENDER_PER_HOUR: '10',
        JOB_POLL_INTERVAL_MS: '3600000',
      },
    });
    desk = await setUpDesk(t);
    const created = await as(t, desk.admin).post('/email-channels', {
      address: 'Help@Acme.test',
      name: 'Acme Help',
      teamId: desk.support,
    });
    expect(created.statusCode).toBe(201);
    channel = created.json<EmailChannel>();
    await t.app.ready();
    port = t.app.inboundSmtpPort()!;
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  const transport = () =>
    nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, connectionTimeout: 5_000 });
  const mailIn = (mail: SendMailOptions) => transport().sendMail({ to: 'help@acme.test', ...mail });
  /** What the sender's SMTP client was told: the code of the refusal, or 250. */
  const answerTo = (mail: SendMailOptions) =>
    mailIn(mail).then(
      () => 250,
      (error: { responseCode?: number }) => error.responseCode ?? 0,
    );
  /** Runs reactions, then the mail jobs they queue. */
  const sendOutbox = async () => {
    for (let i = 0; i < 3; i++) await t.app.jobs.runDueJobs();
  };
  const ticketsAbout = async (subject: string) =>
    (await as(t, desk.admin).get('/tickets?limit=100')).json<TicketPage>().items.filter((x) => x.subject === subject);
  const thread = async (conversationId: string) =>
    (await as(t, desk.admin).get(`/conversations/${conversationId}/messages`)).json<MessagePage>().items;
  const reply = async (conversationId: string, body: string, extra: object = {}) => {
    const response = await as(t, desk.sam).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `r-${Math.random().toString(36).slice(2)}`,
      body,
      ...extra,
    });
    expect(response.statusCode).toBe(201);
    return response.json<Message>();
  };

  it('opens a ticket for a new sender, in the address’s team, with their words and files', async () => {
    expect(
      await answerTo({
        from: 'Nina Novak <Nina@Customer.test>',
        subject: 'Cannot sign in',
        messageId: '<first@customer.test>',
        text: 'My password stopped working.\n\n-- \nNina Novak\nCustomer Ltd',
        headers: {
          'Authentication-Results':
            'mx.acme.test; spf=pass smtp.mailfrom=customer.test; dkim=pass header.d=customer.test',
        },
        attachments: [{ filename: 'screen.png', content: await pngImage(), contentType: 'image/png' }],
      }),
    ).toBe(250);

    const [ticket] = await ticketsAbout('Cannot sign in');
    expect(ticket).toMatchObject({ channel: 'email', teamId: desk.support, status: 'open' });
    expect(ticket!.description).toBe('My password stopped working.');
    const requester = await as(t, desk.admin).get(`/users/${ticket!.requesterId}`);
    expect(requester.json()).toMatchObject({ displayName: 'Nina Novak', role: 'customer' });
    // What the relay in front checked is kept with the mail.
    const kept = await t.database.db
      .selectFrom('emailMessages')
      .select(['authResults', 'fromAddress'])
      .where('workspaceId', '=', desk.admin.user.workspace.id)
      .where('conversationId', '=', ticket!.conversationId)
      .execute();
    expect(kept).toEqual([{ authResults: 'spf=pass dkim=pass', fromAddress: 'nina@customer.test' }]);
    const [files] = await thread(ticket!.conversationId);
    expect(files).toMatchObject({ senderId: ticket!.requesterId, body: '📎 screen.png' });
    expect(files!.attachments).toMatchObject([{ fileName: 'screen.png', contentType: 'image/png' }]);
  });

  it('keeps a five-mail thread in one ticket: replies by mail, answers in the app, threaded both ways', async () => {
    await mailIn({
      from: 'Olga <olga@customer.test>',
      subject: 'Invoice 42',
      messageId: '<o1@customer.test>',
      text: 'Where is invoice 42?',
    });
    const [ticket] = await ticketsAbout('Invoice 42');
    const conversationId = ticket!.conversationId;

    // 2: the agent answers in the app, with the file; it goes out from the support address, under her mail.
    const png = await pngImage();
    const upload = await uploadImage(t, desk.sam, 'POST', `/conversations/${conversationId}/attachments`, png);
    await reply(conversationId, 'It is attached now.', { attachmentIds: [upload.json<{ id: string }>().id] });
    await sendOutbox();
    const first = await smtp.waitFor((m) => m.text?.includes('It is attached now.') ?? false);
    expect(first.attachments.map((a) => [a.filename, a.contentType, a.content.equals(png)])).toEqual([
      ['picture.png', 'image/png', true],
    ]);
    expect(first.to).toMatchObject({ value: [{ address: 'olga@customer.test' }] });
    expect(first.from?.value[0]).toMatchObject({ address: 'help@acme.test', name: 'Sam Agent (Acme Help)' });
    expect(first.subject).toBe('Re: Invoice 42');
    expect(first.inReplyTo).toBe('<o1@customer.test>');
    expect(first.replyTo?.value[0]?.address).toMatch(/^help\+c-[0-9a-z]{26}-[0-9a-f]{12}@acme\.test$/);

    // 3: she replies to it, quoting it as Gmail does; the quote is cut.
    await mailIn({
      from: 'Olga <olga@customer.test>',
      to: first.replyTo!.value[0]!.address,
      subject: 'Re: Invoice 42',
      messageId: '<o2@customer.test>',
      inReplyTo: first.messageId,
      references: ['<o1@customer.test>', first.messageId!],
      text: 'Got it, thanks!\n\nOn Fri, 4 Dec 2026 at 12:00, Sam Agent <help@acme.test> wrote:\n> It is attached now.',
    });
    // 4: the agent again; the mail references the whole thread, oldest first.
    await reply(conversationId, 'Anything else?');
    await sendOutbox();
    const second = await smtp.waitFor((m) => m.text?.includes('Anything else?') ?? false);
    expect(second.inReplyTo).toBe('<o2@customer.test>');
    expect(second.references).toEqual(['<o1@customer.test>', first.messageId, '<o2@customer.test>']);

    // 5: a client that keeps no headers: the reply token in the address still finds the ticket.
    await mailIn({
      from: 'olga@customer.test',
      to: second.replyTo!.value[0]!.address,
      subject: 'no',
      messageId: '<o3@customer.test>',
      text: 'No, all good.',
    });

    expect(await ticketsAbout('Invoice 42')).toHaveLength(1);
    expect((await ticketsAbout('no')).length).toBe(0);
    expect((await thread(conversationId)).map((m) => m.body)).toEqual([
      'It is attached now.',
      'Got it, thanks!',
      'Anything else?',
      'No, all good.',
    ]);
  });

  it('mails only public replies by staff, once: internal notes stay in the app, no notification digest follows', async () => {
    await mailIn({
      from: 'pia@customer.test',
      subject: 'Quiet please',
      messageId: '<p1@customer.test>',
      text: 'Hello',
    });
    const [ticket] = await ticketsAbout('Quiet please');
    smtp.clear();
    await reply(ticket!.conversationId, 'Escalating to billing, they overcharged her', { internal: true });
    await sendOutbox();
    await reply(ticket!.conversationId, 'We are on it.');
    await sendOutbox();
    const sent = await smtp.waitFor((m) => m.subject === 'Re: Quiet please');
    expect(sent.text).toContain('We are on it.');
    expect(smtp.received.filter((m) => m.subject === 'Re: Quiet please')).toHaveLength(1);
    expect(smtp.received.some((m) => m.text?.includes('overcharged'))).toBe(false);

    // The reply was her mail: no digest of "unread" app notifications follows it.
    await t.app.notifications.settled();
    clock.advance(10 * 60_000);
    await sendOutbox();
    expect(smtp.received.filter((m) => m.envelopeTo.includes('pia@customer.test'))).toHaveLength(1);
  });

  it('ends a mail loop: auto-replies, bounces and our own address are taken and dropped, a flood is told to wait', async () => {
    await mailIn({ from: 'quinn@customer.test', subject: 'Loop', messageId: '<q1@customer.test>', text: 'Hi' });
    const [ticket] = await ticketsAbout('Loop');
    await reply(ticket!.conversationId, 'Hello Quinn');
    await sendOutbox();
    const ours = await smtp.waitFor((m) => m.text?.includes('Hello Quinn') ?? false);

    // Her out-of-office answers our reply, as RFC 3834 asks it to be marked; and a bounce.
    expect(
      await answerTo({
        from: 'quinn@customer.test',
        subject: 'Out of office: Re: Loop',
        inReplyTo: ours.messageId,
        headers: { 'Auto-Submitted': 'auto-replied' },
        text: 'I am away until Monday.',
      }),
    ).toBe(250);
    expect(
      await answerTo({
        envelope: { from: '', to: 'help@acme.test' },
        from: 'MAILER-DAEMON@customer.test',
        subject: 'Undelivered Mail Returned to Sender',
        text: 'Delivery failed',
      }),
    ).toBe(250);
    expect(await answerTo({ from: 'help@acme.test', subject: 'Loop 2', text: 'Ourselves' })).toBe(250);
    expect((await thread(ticket!.conversationId)).map((m) => m.body)).toEqual(['Hello Quinn']);
    expect(await ticketsAbout('Out of office: Re: Loop')).toEqual([]);
    expect(await ticketsAbout('Loop 2')).toEqual([]);

    // A responder that marks nothing: after 10 mails in an hour it is told to try later (450).
    const answers: number[] = [];
    for (let i = 0; i < 11; i++)
      answers.push(await answerTo({ from: 'robot@elsewhere.test', subject: `Echo ${i}`, text: 'x' }));
    expect(answers).toEqual([...Array(10).fill(250), 450]);
  });

  it('opens one ticket for a mail delivered twice', async () => {
    const mail = { from: 'rita@customer.test', subject: 'Twice', messageId: '<twice@customer.test>', text: 'Once' };
    expect(await answerTo(mail)).toBe(250);
    expect(await answerTo(mail)).toBe(250);
    expect(await ticketsAbout('Twice')).toHaveLength(1);
  });

  it('refuses unknown addresses, staff senders, a 30 MB mail and a MIME bomb, and goes on taking mail', async () => {
    expect(await answerTo({ to: 'nobody@acme.test', from: 'sue@customer.test', subject: 'Lost', text: 'x' })).toBe(550);
    expect(await answerTo({ from: desk.sam.user.email, subject: 'From staff', text: 'x' })).toBe(550);
    const big = Buffer.alloc(30 * 1024 * 1024, 'a');
    expect(
      await answerTo({
        from: 'sue@customer.test',
        subject: 'Huge',
        attachments: [{ filename: 'a.bin', content: big }],
      }),
    ).toBe(552);
    expect(await answerTo({ envelope: { from: 'sue@customer.test', to: 'help@acme.test' }, raw: mimeBomb(400) })).toBe(
      554,
    );
    expect(await ticketsAbout('Huge')).toEqual([]);
    expect(await ticketsAbout('Bomb')).toEqual([]);
    expect(await answerTo({ from: 'sue@customer.test', subject: 'Still there?', text: 'yes' })).toBe(250);
    expect(await ticketsAbout('Still there?')).toHaveLength(1);
  });

  it('lets admins keep the addresses: unique across workspaces, agents may not touch them', async () => {
    expect((await as(t, desk.sam).get('/email-channels')).statusCode).toBe(403);
    const list = await as(t, desk.admin).get('/email-channels');
    expect(list.json()).toEqual({ items: [channel] });
    expect(channel.address).toBe('help@acme.test');
    const taken = await as(t, desk.admin).post('/email-channels', { address: 'HELP@acme.test' });
    expect(taken.statusCode).toBe(409);
    expect((await as(t, desk.admin).post('/email-channels', { address: 'help+x@acme.test' })).statusCode).toBe(400);
    const patched = await as(t, desk.admin).patch(`/email-channels/${channel.id}`, {
      name: null,
      teamId: desk.billing,
    });
    expect(patched.json()).toMatchObject({ name: null, teamId: desk.billing });

    const extra = (
      await as(t, desk.admin).post('/email-channels', { address: 'sales@acme.test' })
    ).json<EmailChannel>();
    expect((await as(t, desk.admin).delete(`/email-channels/${extra.id}`)).statusCode).toBe(204);
    expect(await answerTo({ to: 'sales@acme.test', from: 'sue@customer.test', subject: 'Sales', text: 'x' })).toBe(550);
  });
});

describe(`the inbound SMTP listener behind a relay on ${TEST_DIALECT}`, () => {
  const SECRET = 'relay-secret-0123456789';
  let t: TestApp;
  let fenced: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { INBOUND_SMTP_PORT: '0', INBOUND_SMTP_SECRET: SECRET, INBOUND_SMTP_ALLOW: '127.0.0.0/8,::1' },
    });
    fenced = await startTestApp({ env: { INBOUND_SMTP_PORT: '0', INBOUND_SMTP_ALLOW: '10.0.0.0/8' } });
    const desk = await setUpDesk(t);
    expect((await as(t, desk.admin).post('/email-channels', { address: 'help@acme.test' })).statusCode).toBe(201);
    await Promise.all([t.app.ready(), fenced.app.ready()]);
  });
  afterAll(async () => {
    await t?.close();
    await fenced?.close();
  });

  const answer = (app: TestApp, auth?: { user: string; pass: string }) =>
    nodemailer
      .createTransport({ host: '127.0.0.1', port: app.app.inboundSmtpPort()!, ignoreTLS: true, ...(auth && { auth }) })
      .sendMail({ from: 'vera@customer.test', to: 'help@acme.test', subject: 'Via relay', text: 'Hello' })
      .then(
        () => 250,
        (error: { responseCode?: number }) => error.responseCode ?? 0,
      );

  it('takes mail only from a relay that knows the secret, and only from the allowed addresses', async () => {
    expect(await answer(t)).toBe(530);
    expect(await answer(t, { user: 'relay', pass: 'wrong-secret-0123456789' })).toBe(535);
    expect(await answer(t, { user: 'relay', pass: SECRET })).toBe(250);
    expect(await answer(fenced)).toBe(554);
  });
});

/** A mail of `depth` nested multiparts: small in bytes, expensive to walk. */
function mimeBomb(depth: number): string {
  const head = ['From: sue@customer.test', 'To: help@acme.test', 'Subject: Bomb', 'MIME-Version: 1.0'];
  let body = 'Content-Type: text/plain\r\n\r\nboom\r\n';
  for (let i = depth; i > 0; i--) {
    body = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${body}--b${i}--\r\n`;
  }
  return `${head.join('\r\n')}\r\n${body}`;
}
