import type { AccountSessionList, Me, Session, TokenPair } from '@parley/protocol';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { as } from '../testing/test-desk';
import { CLOSE_CODES } from '@parley/protocol';
import { bearer, listen, manualClock, registerUser, startTestApp, type TestApp } from '../testing/test-app';
import { connectSocket } from '../testing/ws-client';
import { TEST_DIALECT } from '../testing/test-database';
import { linkIn, startTestSmtp, type TestSmtp } from '../testing/test-smtp';

const PUBLIC_URL = 'https://parley.test';
const PASSWORD = 'correct horse battery';
const MINUTE = 60_000;

describe(`accounts by mail on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let smtp: TestSmtp;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await startTestSmtp();
    t = await startTestApp({
      clock,
      env: { SMTP_URL: smtp.url, PUBLIC_URL, JOB_POLL_INTERVAL_MS: '3600000' },
    });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(() => smtp.clear());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers });
  const login = (name: string, password = PASSWORD, userAgent = 'vitest') =>
    post('/auth/login', { login: name, password }, { 'user-agent': userAgent });
  const signIn = async (name: string, userAgent?: string) => (await login(name, PASSWORD, userAgent)).json<Session>();
  const me = (session: { accessToken: string }) =>
    t.app.inject({ method: 'GET', url: '/me', headers: bearer(session) });
  const refresh = (session: { refreshToken: string }) => post('/auth/refresh', { refreshToken: session.refreshToken });
  /** Runs the queued jobs (the reset lookup, then its mail) and answers what arrived meanwhile. */
  const deliver = async () => {
    await t.app.jobs.runDueJobs();
    await t.app.jobs.runDueJobs();
    return [...smtp.received];
  };
  const mailTo = (email: string, subject: RegExp) =>
    smtp.waitFor((m) => m.envelopeTo.includes(email) && subject.test(m.subject ?? ''));

  async function person(name: string): Promise<Session> {
    return registerUser(t.app, { username: name, email: `${name}@example.com`, displayName: `${name} Doe` });
  }

  describe('password reset', () => {
    it('mails a single-use link that sets a new password and signs every device out', async () => {
      const phone = await person('rita');
      const laptop = await signIn('rita');

      const asked = await post('/auth/password-reset', { login: 'Rita@Example.com' });
      expect(asked.statusCode).toBe(202);
      expect(asked.body).toBe('');
      await deliver();
      const mail = await mailTo('rita@example.com', /Reset your .* password/);
      expect(mail.to).toMatchObject({ value: [{ address: 'rita@example.com', name: 'rita Doe' }] });
      const link = linkIn(mail, `${PUBLIC_URL}/reset-password?token=`);
      expect(mail.html).toContain(link.replace(/&/g, '&amp;'));
      const token = new URL(link).searchParams.get('token')!;

      const confirmed = await post('/auth/password-reset/confirm', { token, newPassword: 'a brand new secret' });
      expect(confirmed.statusCode).toBe(204);

      // Every session is over, at once: the refresh tokens and the access tokens.
      for (const session of [phone, laptop]) {
        expect((await refresh(session)).statusCode).toBe(401);
        expect((await me(session)).statusCode).toBe(401);
      }
      expect((await login('rita')).statusCode).toBe(401);
      expect((await login('rita', 'a brand new secret')).statusCode).toBe(200);
      // Opening the mailed link proved the address.
      expect(
        (await me(await (await login('rita', 'a brand new secret')).json<Session>())).json<Me>().emailVerified,
      ).toBe(true);
      await deliver();
      await mailTo('rita@example.com', /password was changed/);

      const again = await post('/auth/password-reset/confirm', { token, newPassword: 'yet another secret' });
      expect(again.statusCode).toBe(404);
      expect(again.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await login('rita', 'yet another secret')).statusCode).toBe(401);
    });

    it('refuses a link after its hour, and an older link once a newer one was asked for', async () => {
      await person('sven');
      await post('/auth/password-reset', { login: 'sven' });
      await deliver();
      const first = new URL(linkIn(await mailTo('sven@example.com', /Reset/), PUBLIC_URL)).searchParams.get('token')!;
      smtp.clear();
      await post('/auth/password-reset', { login: 'sven@example.com' });
      await deliver();
      const second = new URL(linkIn(await mailTo('sven@example.com', /Reset/), PUBLIC_URL)).searchParams.get('token')!;
      expect(second).not.toBe(first);

      const tryToken = (token: string) =>
        post('/auth/password-reset/confirm', { token, newPassword: 'another secret!' });
      expect((await tryToken(first)).statusCode).toBe(404);
      clock.advance(61 * MINUTE);
      const expired = await tryToken(second);
      expect(expired.statusCode).toBe(404);
      expect(expired.json()).toMatchObject({ error: { code: 'not_found' } });
      expect((await login('sven')).statusCode).toBe(200);
    });

    it('answers an unknown login exactly like a known one, and mails nobody', async () => {
      await person('uma');
      const known = await post('/auth/password-reset', { login: 'uma' });
      const unknown = await post('/auth/password-reset', { login: 'nobody-here@example.com' });
      const unknownName = await post('/auth/password-reset', { login: 'nobody_here' });
      for (const answer of [unknown, unknownName]) {
        expect(answer.statusCode).toBe(known.statusCode);
        expect(answer.body).toBe(known.body);
        expect(answer.headers['content-type']).toBe(known.headers['content-type']);
      }
      const arrived = await deliver();
      expect(arrived.map((m) => m.envelopeTo)).toEqual([['uma@example.com']]);
    });

    it('refuses a link with a password too short, and keeps the link for a second try', async () => {
      await person('vera');
      await post('/auth/password-reset', { login: 'vera' });
      await deliver();
      const token = new URL(linkIn(await mailTo('vera@example.com', /Reset/), PUBLIC_URL)).searchParams.get('token')!;
      const short = await post('/auth/password-reset/confirm', { token, newPassword: 'short' });
      expect(short.statusCode).toBe(400);
      expect((await post('/auth/password-reset/confirm', { token, newPassword: 'long enough now' })).statusCode).toBe(
        204,
      );
    });
  });

  describe('changing the password', () => {
    it('needs the current one, ends every other session and keeps this one', async () => {
      const here = await person('walt');
      const elsewhere = await signIn('walt', 'Other browser');

      const wrong = await as(t, here).post('/me/password', {
        currentPassword: 'not it',
        newPassword: 'fresh secret 1',
      });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ error: { code: 'invalid_credentials' } });
      const weak = await as(t, here).post('/me/password', { currentPassword: PASSWORD, newPassword: 'short' });
      expect(weak.statusCode).toBe(400);
      expect((await refresh(elsewhere)).statusCode).toBe(200); // nothing changed yet

      const changed = await as(t, here).post('/me/password', {
        currentPassword: PASSWORD,
        newPassword: 'fresh secret 1',
      });
      expect(changed.statusCode).toBe(204);
      expect((await me(here)).statusCode).toBe(200);
      expect((await refresh(here)).statusCode).toBe(200);
      expect((await me(elsewhere)).statusCode).toBe(401);
      expect((await login('walt')).statusCode).toBe(401);
      expect((await login('walt', 'fresh secret 1')).statusCode).toBe(200);

      await deliver();
      const mail = await mailTo('walt@example.com', /password was changed/);
      expect(mail.text).toContain('every other device was signed out');
    });
  });

  describe('sessions', () => {
    it('lists each signed-in device, signs one out, then every other', async () => {
      const phone = await person('xena');
      const laptop = await signIn('xena', 'Laptop browser');
      const tablet = await signIn('xena', 'Tablet app');
      const stranger = await person('yuri');

      clock.advance(MINUTE);
      const refreshed = (await refresh(tablet)).json<TokenPair>();
      const list = (await as(t, laptop).get('/me/sessions')).json<AccountSessionList>();
      expect(list.items).toHaveLength(3);
      expect(list.items[0]).toMatchObject({
        userAgent: 'Tablet app',
        current: false,
        lastUsedAt: new Date(clock.now()).toISOString(),
        workspace: { slug: phone.user.workspace.slug },
      });
      expect(list.items.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['Laptop browser']);

      const tabletId = list.items[0]!.id;
      expect((await as(t, stranger).delete(`/me/sessions/${tabletId}`)).statusCode).toBe(404);
      expect((await me({ accessToken: refreshed.accessToken })).statusCode).toBe(200);
      expect((await as(t, laptop).delete(`/me/sessions/${tabletId}`)).statusCode).toBe(204);
      expect((await me({ accessToken: refreshed.accessToken })).statusCode).toBe(401);
      expect((await refresh(refreshed)).statusCode).toBe(401);
      expect((await as(t, laptop).get('/me/sessions')).json<AccountSessionList>().items).toHaveLength(2);

      expect((await as(t, laptop).delete('/me/sessions')).statusCode).toBe(204);
      expect((await me(phone)).statusCode).toBe(401);
      expect((await me(laptop)).statusCode).toBe(200);
      const left = (await as(t, laptop).get('/me/sessions')).json<AccountSessionList>().items;
      expect(left.map((s) => [s.userAgent, s.current])).toEqual([['Laptop browser', true]]);
      // The stranger's sessions were never touched.
      expect((await me(stranger)).statusCode).toBe(200);
    });
  });

  it("closes a signed-out device's live socket at once", async () => {
    const base = await listen(t);
    const desk = await person('sockets');
    const phone = await signIn('sockets', 'Phone');
    const socket = await connectSocket(base, phone.accessToken);
    await socket.next('ready');
    const phoneId = (await as(t, desk).get('/me/sessions'))
      .json<AccountSessionList>()
      .items.find((s) => s.userAgent === 'Phone')!.id;
    expect((await as(t, desk).delete(`/me/sessions/${phoneId}`)).statusCode).toBe(204);
    expect((await socket.closed).code).toBe(CLOSE_CODES.unauthorized);
    // Authenticating again is what a live session can do, and this one cannot.
    const again = await connectSocket(base, phone.accessToken);
    expect((await again.closed).code).toBe(CLOSE_CODES.unauthorized);
  });

  describe('email verification', () => {
    it('mails a link that marks the address verified, once', async () => {
      const zoe = await person('zoe');
      expect((await me(zoe)).json<Me>().emailVerified).toBe(false);
      expect((await as(t, zoe).post('/me/email/verification')).statusCode).toBe(202);
      await deliver();
      const mail = await mailTo('zoe@example.com', /Confirm your email address/);
      const token = new URL(linkIn(mail, `${PUBLIC_URL}/verify-email?token=`)).searchParams.get('token')!;

      expect((await post('/auth/verify-email', { token })).statusCode).toBe(204);
      expect((await me(zoe)).json<Me>().emailVerified).toBe(true);
      expect((await post('/auth/verify-email', { token })).statusCode).toBe(404);
      expect((await as(t, zoe).post('/me/email/verification')).statusCode).toBe(409);
    });
  });

  describe('language', () => {
    it('keeps the language a person chose and mails them in it', async () => {
      const anna = await person('anna');
      const changed = await as(t, anna).patch('/me', { locale: 'de' });
      expect(changed.statusCode).toBe(200);
      expect(changed.json<Me>().locale).toBe('de');
      expect((await as(t, anna).patch('/me', { locale: 'fr' })).statusCode).toBe(400);

      await post('/auth/password-reset', { login: 'anna' });
      await deliver();
      const mail = await mailTo('anna@example.com', /Passwort/);
      expect(mail.subject).toMatch(/^Dein Passwort für .* zurücksetzen$/);
      expect(mail.text).toContain('Neues Passwort wählen');
      expect(mail.html).toContain('<html lang="de">');
    });
  });
});

describe(`password reset throttle on ${TEST_DIALECT}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      env: { PASSWORD_RESETS_PER_ACCOUNT: '2', PASSWORD_RESETS_PER_IP: '4', JOB_POLL_INTERVAL_MS: '3600000' },
    });
    await registerUser(t.app, { username: 'known', email: 'known@example.com' });
  });
  afterAll(() => t.close());

  const ask = (login: string, ip = '203.0.113.7') =>
    t.app.inject({ method: 'POST', url: '/auth/password-reset', payload: { login }, remoteAddress: ip });

  it('limits requests per login, the same way for accounts that do not exist', async () => {
    for (const login of ['known', 'ghost']) {
      expect((await ask(login, '198.51.100.1')).statusCode).toBe(202);
      expect((await ask(login, '198.51.100.2')).statusCode).toBe(202);
      const third = await ask(login, '198.51.100.3');
      expect(third.statusCode).toBe(429);
      expect(third.json()).toMatchObject({ error: { code: 'rate_limited' } });
    }
  });

  it('limits requests per address, whatever logins they name', async () => {
    for (let i = 0; i < 4; i++) expect((await ask(`someone${i}`)).statusCode).toBe(202);
    expect((await ask('someone-else')).statusCode).toBe(429);
    expect((await ask('someone-else', '203.0.113.8')).statusCode).toBe(202);
  });
});
