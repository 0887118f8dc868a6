import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as } from '../testing/test-desk';
import { manualClock, registerUser, setRole, signIn, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { startTestSmtp, type TestSmtp } from '../testing/test-smtp';
import { pngImage, uploadImage } from '../testing/upload-image';
import { enqueueMail, mailSendJob } from './mail-queue';

const PUBLIC_URL = 'https://parley.test';
const HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';

describe(`mail on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let smtp: TestSmtp;
  let t: TestApp;
  let workspaceId: string;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp({ clock, env: { SMTP_URL: smtp.url, PUBLIC_URL, JOB_POLL_INTERVAL_MS: '3600000' } });
    const founder = await registerUser(t.app, { username: 'founder' });
    await setRole(t, founder, 'admin');
    const admin = await signIn(t, 'founder', founder.user.workspace.slug);
    workspaceId = admin.user.workspace.id;
    expect(
      (await as(t, admin).patch('/workspace', { name: 'Acme <Support>', accentColor: '#e11d48' })).statusCode,
    ).toBe(200);
    expect((await uploadImage(t, admin, 'PUT', '/workspace/logo', await pngImage())).statusCode).toBe(200);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(() => smtp.clear());

  const mailJobs = () => t.database.db.selectFrom('jobs').selectAll().where('kind', '=', mailSendJob.kind).execute();
  const queue = (data: object, extra: object = {}) =>
    enqueueMail(
      t.database.db,
      {
        workspaceId,
        to: { email: 'ida@example.com', name: HOSTILE },
        locale: 'en',
        template: 'email_verification',
        data: { name: HOSTILE, url: `${PUBLIC_URL}/verify-email?token=abc`, expiresInHours: 24, ...data },
        ...extra,
      },
      clock.now(),
    );

  it("wears the workspace's name, accent colour and logo, and escapes every value it shows", async () => {
    await queue({});
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    const mail = await smtp.waitFor(() => true);
    expect(mail.subject).toBe('Confirm your email address for Acme <Support>');
    expect(mail.html).toContain('#e11d48');
    expect(mail.html).toMatch(
      new RegExp(`<img\\s+src="${PUBLIC_URL}/workspace-logos/[0-9a-f]{32}"\\s+alt="Acme &lt;Support&gt;"`),
    );
    expect(mail.html).toContain(
      'Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;,',
    );
    expect(mail.html).not.toContain('<script');
    expect(mail.html).not.toContain('<img src=x');
    expect(mail.html).toContain('Sent by Acme &lt;Support&gt; with Parley.');
    // The plain text shows the name as it is.
    expect(mail.text).toContain(`Hi ${HOSTILE},`);
    expect(mail.to).toMatchObject({ value: [{ address: 'ida@example.com' }] });
    // No unsubscribe for an account mail.
    expect(mail.headers.has('list-unsubscribe')).toBe(false);
    expect(mail.html).not.toContain('Unsubscribe');
  });

  it('adds one-click unsubscribe headers and a footer link when the mail has an unsubscribe URL', async () => {
    const url = `${PUBLIC_URL}/unsubscribe?token=u1&kind=digest`;
    await queue({}, { unsubscribe: { url } });
    await t.app.jobs.runDueJobs();
    const mail = await smtp.waitFor(() => true);
    const raw = (name: string) => mail.headerLines.find((h) => h.key === name)?.line;
    expect(raw('list-unsubscribe')).toBe(`List-Unsubscribe: <${url}>`);
    expect(raw('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect(mail.html).toContain(`<a href="${url.replace(/&/g, '&amp;')}"`);
    expect(mail.text).toContain(`Unsubscribe from these mails: ${url}`);
  });

  it('refuses to queue data that does not fit the template', async () => {
    await expect(queue({ url: 'javascript:alert(1)' })).rejects.toThrow();
    await expect(queue({}, { unsubscribe: { url: 'javascript:alert(1)' } })).rejects.toThrow();
    await expect(queue({ expiresInHours: 'soon' })).rejects.toThrow();
    expect(await mailJobs()).toEqual([]);
  });

  it('retries a mail the SMTP server refused, with backoff, and delivers it exactly once', async () => {
    smtp.failNext(2);
    await queue({ name: 'Retry Person' });
    // (The app's own recurring jobs run too: only failures are counted here.)
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 1 });
    const [job] = await mailJobs();
    expect(job).toMatchObject({ attempts: 1, failedAt: null });
    expect(job!.lastError).toMatch(/451/);
    expect(job!.runAt).toBe(clock.now() + 30_000);
    // Not due yet: nothing happens.
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    expect(smtp.received).toEqual([]);
    clock.advance(30_000);
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 1 });
    clock.advance(60_000);
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    clock.advance(3_600_000);
    await t.app.jobs.runDueJobs();
    expect(smtp.received.filter((m) => m.text?.includes('Hi Retry Person,'))).toHaveLength(1);
    expect(smtp.received[0]!.messageId).toBe(`<${job!.id}@parley.mail>`);
    expect(await mailJobs()).toEqual([]);
  });

  it('gives up after its last attempt and keeps the job as the dead letter', async () => {
    smtp.failNext(100);
    await queue({ name: 'Never Delivered' });
    for (let attempt = 1; attempt <= 8; attempt++) {
      expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 1 });
      clock.advance(2 * 3_600_000);
    }
    expect(await t.app.jobs.runDueJobs()).toMatchObject({ failed: 0 });
    const [job] = await mailJobs();
    expect(job).toMatchObject({ attempts: 8 });
    expect(job!.failedAt).not.toBeNull();
    expect(smtp.received).toEqual([]);
    smtp.failNext(0);
    await t.database.db.deleteFrom('jobs').where('kind', '=', mailSendJob.kind).execute();
  });
});

describe(`mail without SMTP on ${TEST_DIALECT}`, () => {
  it('goes nowhere and is logged: to, template, subject and (outside production) the text', async () => {
    const lines: string[] = [];
    const t = await startTestApp({
      env: { LOG_LEVEL: 'info', PUBLIC_URL, JOB_POLL_INTERVAL_MS: '3600000' },
      logStream: { write: (line) => void lines.push(line) },
    });
    try {
      const zed = await registerUser(t.app, { username: 'zed', email: 'zed@example.com' });
      expect((await as(t, zed).post('/me/email/verification')).statusCode).toBe(202);
      await t.app.jobs.runDueJobs();
      const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.mail);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        level: 30,
        msg: 'mail not sent: SMTP_URL is not set',
        mail: { to: 'zed@example.com', template: 'email_verification', subject: expect.stringMatching(/Confirm/) },
      });
      expect(logged[0].mail.text).toContain(`${PUBLIC_URL}/verify-email?token=`);
    } finally {
      await t.close();
    }
  });
});
