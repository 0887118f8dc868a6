import type { Session, TokenPair } from '@parley/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, manualClock, registerUser, setRole, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';

/** REFRESH_TOKEN_REUSE_GRACE_SECONDS' default. */
const GRACE_MS = 30_000;

describe(`auth on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let admin: Session;

  beforeAll(async () => {
    t = await startTestApp({ clock });
    admin = await registerUser(t.app, {
      username: 'Founder',
      email: 'founder@example.com',
      displayName: 'The Founder',
    });
  });
  afterAll(() => t.close());

  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url, payload });
  const me = (token: string) =>
    t.app.inject({ method: 'GET', url: '/me', headers: { authorization: `Bearer ${token}` } });
  const login = (loginName: string, password = 'correct horse battery') =>
    post('/auth/login', { login: loginName, password });
  const refresh = (refreshToken: string) => post('/auth/refresh', { refreshToken });

  describe('registering', () => {
    it('makes the first account of an installation its admin, and everyone after a customer', async () => {
      expect(admin.user).toMatchObject({
        username: 'Founder',
        email: 'founder@example.com',
        displayName: 'The Founder',
        role: 'admin',
      });
      const second = await registerUser(t.app);
      expect(second.user.role).toBe('customer');
    });

    it('makes exactly one of 10 simultaneous first registrations the admin', async () => {
      const fresh = await startTestApp();
      try {
        const sessions = await Promise.all(Array.from({ length: 10 }, () => registerUser(fresh.app)));
        expect(sessions.map((s) => s.user.role).sort()).toEqual(['admin', ...Array(9).fill('customer')]);
        const admins = await fresh.database.db
          .selectFrom('workspaceMembers')
          .innerJoin('roles', 'roles.id', 'workspaceMembers.roleId')
          .select('workspaceMembers.userId')
          .where('roles.builtIn', '=', 'admin')
          .execute();
        expect(admins).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    });

    it('answers 201 with the user and a working token pair', async () => {
      const response = await post('/auth/register', {
        email: 'Ann.Lee@Example.COM',
        username: 'ann_lee',
        password: 'a long secret',
      });
      expect(response.statusCode).toBe(201);
      const session = response.json<Session>();
      expect(session.user).toMatchObject({
        email: 'ann.lee@example.com',
        username: 'ann_lee',
        displayName: 'ann_lee',
        avatarUrl: null,
      });
      expect(session.user.createdAt).toBe(new Date(clock.now()).toISOString());
      expect((await me(session.accessToken)).json()).toEqual(session.user);
    });

    it('stores only an argon2id hash of the password', async () => {
      const row = await t.database.db
        .selectFrom('users')
        .select('passwordHash')
        .where('usernameKey', '=', 'ann_lee')
        .executeTakeFirstOrThrow();
      expect(row.passwordHash).toMatch(/^\$argon2id\$/);
      expect(row.passwordHash).not.toContain('a long secret');
    });

    it('refuses an email or username already taken, ignoring case, with 409 naming the fields', async () => {
      const response = await post('/auth/register', {
        email: 'ANN.LEE@example.com',
        username: 'ANN_LEE',
        password: 'another secret',
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().error).toMatchObject({
        code: 'conflict',
        details: { fields: [{ path: 'email' }, { path: 'username' }] },
      });
    });

    it('lets only one of two simultaneous registrations of the same email through', async () => {
      const body = (username: string) => ({ email: 'race@example.com', username, password: 'race condition' });
      const results = await Promise.all([
        post('/auth/register', body('racer1')),
        post('/auth/register', body('racer2')),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    });

    it('rejects a malformed registration with validation_failed listing each bad field', async () => {
      const response = await post('/auth/register', { email: 'nope', username: 'a@b', password: 'short' });
      expect(response.statusCode).toBe(400);
      const { error } = response.json();
      expect(error.code).toBe('validation_failed');
      expect(error.details.fields.map((f: { path: string }) => f.path).sort()).toEqual([
        'email',
        'password',
        'username',
      ]);
    });
  });

  describe('signing in', () => {
    it('accepts the email or the username, in any case', async () => {
      for (const name of ['founder@example.com', 'FOUNDER@example.com', 'founder', 'FOUNDER']) {
        const response = await login(name);
        expect(response.statusCode, name).toBe(200);
        expect(response.json<Session>().user.id).toBe(admin.user.id);
      }
    });

    it('says the same thing for a wrong password and an unknown account', async () => {
      const wrongPassword = await login('founder', 'not the password');
      const unknownUser = await login('nobody@example.com');
      expect(wrongPassword.statusCode).toBe(401);
      expect(unknownUser.statusCode).toBe(401);
      expect(wrongPassword.json()).toEqual(unknownUser.json());
      expect(wrongPassword.json()).toEqual({
        error: { code: 'invalid_credentials', message: 'Invalid login or password' },
      });
    });
  });

  describe('access tokens', () => {
    it('are required for /me', async () => {
      const response = await t.app.inject({ method: 'GET', url: '/me' });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthorized');
    });

    it('expire after 15 minutes', async () => {
      const session = (await login('founder')).json<Session>();
      clock.advance(14 * 60_000);
      expect((await me(session.accessToken)).statusCode).toBe(200);
      clock.advance(2 * 60_000);
      const response = await me(session.accessToken);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.message).toBe('Access token expired');
    });

    it('are refused when forged, unsigned (alg none) or tampered with', async () => {
      const session = (await login('founder')).json<Session>();
      const [header, payload, signature] = session.accessToken.split('.') as [string, string, string];
      const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
      const forged = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(admin.user.id)
        .setIssuer('parley')
        .setAudience('parley')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('some-other-secret-that-is-long-enough'));
      const unsigned = `${encode({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      const tampered = `${header}.${encode({ ...claims, sub: '01JZZZZZZZZZZZZZZZZZZZZZZZ' })}.${signature}`;
      for (const token of [forged, unsigned, tampered, 'not-a-jwt']) {
        const response = await me(token);
        expect(response.statusCode).toBe(401);
        expect(response.json().error).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
      }
    });
  });

  describe('refresh tokens', () => {
    it('rotate on every use: the new pair works, the old refresh token does not', async () => {
      const session = (await login('founder')).json<Session>();
      const rotated = await refresh(session.refreshToken);
      expect(rotated.statusCode).toBe(200);
      const pair = rotated.json<TokenPair>();
      expect(pair.refreshToken).not.toBe(session.refreshToken);
      expect((await me(pair.accessToken)).statusCode).toBe(200);
      expect((await refresh(pair.refreshToken)).statusCode).toBe(200);
    });

    it('revoke the whole family when a rotated one is reused, and only that family', async () => {
      const stolen = (await login('founder')).json<Session>();
      const otherDevice = (await login('founder')).json<Session>();
      const legit = (await refresh(stolen.refreshToken)).json<TokenPair>();
      clock.advance(GRACE_MS + 1);

      const replay = await refresh(stolen.refreshToken);
      expect(replay.statusCode).toBe(401);
      expect(replay.json().error.message).toBe('Refresh token was already used');
      expect((await refresh(legit.refreshToken)).statusCode).toBe(401);
      expect((await refresh(otherDevice.refreshToken)).statusCode).toBe(200);
    });

    it('give two tabs refreshing with the same token at once the same new token', async () => {
      const session = (await login('founder')).json<Session>();
      const results = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
      expect(results.map((r) => r.statusCode)).toEqual([200, 200]);
      const [first, second] = results.map((r) => r.json<TokenPair>());
      expect(second!.refreshToken).toBe(first!.refreshToken);
      expect((await me(second!.accessToken)).statusCode).toBe(200);
      // One chain, not two branches: the shared token works once more, then it is spent.
      clock.advance(GRACE_MS + 1);
      expect((await refresh(first!.refreshToken)).statusCode).toBe(200);
    });

    it('answer a late repeat within the grace with the live token, however far the chain moved', async () => {
      const session = (await login('founder')).json<Session>();
      const first = (await refresh(session.refreshToken)).json<TokenPair>();
      const second = (await refresh(first.refreshToken)).json<TokenPair>();
      clock.advance(GRACE_MS - 1_000);
      const late = await refresh(session.refreshToken);
      expect(late.statusCode).toBe(200);
      expect(late.json<TokenPair>().refreshToken).toBe(second.refreshToken);
      expect((await me(late.json<TokenPair>().accessToken)).statusCode).toBe(200);
    });

    it("still catch a thief who replays within the grace: the owner's next refresh revokes the family", async () => {
      const owner = (await login('founder')).json<Session>();
      const ownerPair = (await refresh(owner.refreshToken)).json<TokenPair>();
      // The thief copied the old token and tries it at once: the grace hands over the live token...
      const thiefPair = (await refresh(owner.refreshToken)).json<TokenPair>();
      // ...and the thief rotates it, taking the chain away from the owner.
      const thiefNext = (await refresh(thiefPair.refreshToken)).json<TokenPair>();
      clock.advance(15 * 60_000);
      const ownerRefresh = await refresh(ownerPair.refreshToken);
      expect(ownerRefresh.statusCode).toBe(401);
      expect(ownerRefresh.json().error.message).toBe('Refresh token was already used');
      expect((await refresh(thiefNext.refreshToken)).statusCode).toBe(401);
    });

    it('expire after 30 days', async () => {
      const session = (await login('founder')).json<Session>();
      clock.advance(30 * 24 * 3600_000 + 1);
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    });

    it('stop working after logout, which answers 204 even for an unknown token', async () => {
      const session = (await login('founder')).json<Session>();
      const logout = await post('/auth/logout', { refreshToken: session.refreshToken });
      expect(logout.statusCode).toBe(204);
      expect(logout.body).toBe('');
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
      expect((await post('/auth/logout', { refreshToken: 'x'.repeat(43) })).statusCode).toBe(204);
    });
  });

  describe('a deactivated account', () => {
    it('cannot sign in, refresh, or use an access token it still holds', async () => {
      const session = await registerUser(t.app, { username: 'leaver', password: 'leaving for good' });
      await t.database.db
        .updateTable('users')
        .set({ deactivatedAt: clock.now() })
        .where('id', '=', session.user.id)
        .execute();
      expect((await me(session.accessToken)).statusCode).toBe(401);
      expect((await login('leaver', 'leaving for good')).json().error.code).toBe('invalid_credentials');
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    });
  });

  it('role changes apply on the next request, not when the token expires', async () => {
    const session = await registerUser(t.app);
    await setRole(t, session, 'agent');
    const response = await t.app.inject({ method: 'GET', url: '/me', headers: bearer(session) });
    expect(response.json().role).toBe('agent');
  });
});
