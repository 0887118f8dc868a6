import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { createAccessTokens } from '../auth/access-tokens';
import { systemClock } from '../clock';
import { actorOf, createAuthGuards } from './auth-guard';

describe(`the HTTP edge on ${TEST_DIALECT}`, () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
    // Routes that exist only in this test, registered the way feature routes are.
    const accessTokens = createAccessTokens({ secret: t.config.jwtSecret, ttlSeconds: 900, clock: systemClock });
    const guards = createAuthGuards({ db: t.database.db, accessTokens });
    t.app.get('/test/admin-only', { preHandler: guards.requirePermission('people.manage') }, async (request) => ({
      actor: { id: actorOf(request).id, role: actorOf(request).role },
    }));
    t.app.get('/test/agents-and-admins', { preHandler: guards.requirePermission('tickets.work') }, async () => ({}));
    t.app.get('/test/crash', async () => {
      throw new Error('database password is hunter2 at /srv/parley/secret.ts:42');
    });
  });
  afterAll(() => t.close());

  it('answers an unknown route with 404 not_found in the error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/no/such/route?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: 'Route GET /no/such/route not found' } });
  });

  it('answers malformed JSON with 400 bad_request', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"login": "ann", ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('bad_request');
  });

  it('answers a wrong content type with 415 and an oversized body with 413', async () => {
    const text = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'login=ann',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().error.code).toBe('unsupported_media_type');
    const huge = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: 'ann', password: 'x'.repeat(4096) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
  });

  it('lists every invalid field with where it was and why', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { login: '', extra: 1 } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: {
        code: 'validation_failed',
        message: expect.stringMatching(/^Invalid body: login: .+; password: .+/),
        details: {
          fields: [
            { in: 'body', path: 'login', message: expect.any(String), reason: 'required' },
            { in: 'body', path: 'password', message: expect.any(String), reason: 'required' },
          ],
        },
      },
    });
  });

  it('hides server faults behind a generic 500 without internals', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/test/crash' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'internal', message: 'Internal server error' } });
    expect(response.body).not.toMatch(/hunter2|secret\.ts|at /);
  });

  it('guards routes by permission: 401 without a token, 403 for a role without it', async () => {
    const admin = await registerUser(t.app);
    const customer = await registerUser(t.app);
    const get = (url: string, headers = {}) => t.app.inject({ method: 'GET', url, headers });

    expect((await get('/test/admin-only')).json().error.code).toBe('unauthorized');
    expect((await get('/test/admin-only', bearer(admin))).json()).toEqual({
      actor: { id: admin.user.id, role: 'admin' },
    });
    const denied = await get('/test/admin-only', bearer(customer));
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toEqual({ error: { code: 'forbidden', message: 'Requires the permission people.manage' } });
    expect((await get('/test/agents-and-admins', bearer(customer))).statusCode).toBe(403);
    expect((await get('/test/agents-and-admins', bearer(admin))).statusCode).toBe(200);
  });

  it('tags every response with a request id, keeping a sane one the caller sent', async () => {
    const given = await t.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-request-id': 'trace-42.a' } });
    expect(given.headers['x-request-id']).toBe('trace-42.a');
    const hostile = await t.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'a\nb'.repeat(50) },
    });
    expect(hostile.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the security headers of helmet', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['strict-transport-security']).toBeDefined();
  });

  it('reports live and ready, and not ready once the database stops answering', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ok',
      checks: { database: 'ok' },
    });
    await t.database.close();
    const down = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toEqual({
      error: { code: 'unavailable', message: 'Database is not answering', details: { checks: { database: 'down' } } },
    });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('cross-origin requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'http://localhost:8081' } });
  });
  afterAll(() => t.close());

  it('are allowed only from the configured origins', async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/auth/login',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    expect((await preflight('http://localhost:8081')).headers['access-control-allow-origin']).toBe(
      'http://localhost:8081',
    );
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe(`why a field was refused, on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('says why each field was refused, as a reason a client can put in its own words', async () => {
    const register = (payload: object) => t.app.inject({ method: 'POST', url: '/auth/register', payload });
    const reasons = async (payload: object) =>
      ((await register(payload)).json().error.details.fields as { path: string }[]).map(({ path, ...rest }) => [
        path,
        rest,
      ]);

    // Blank or missing is "required", whichever check caught it (format, length or type).
    expect(Object.fromEntries(await reasons({ email: '  ', username: '' }))).toMatchObject({
      email: { reason: 'required' },
      username: { reason: 'required' },
      password: { reason: 'required' },
    });
    expect(Object.fromEntries(await reasons({ email: 'ann', username: 'a', password: 'short' }))).toMatchObject({
      email: { reason: 'invalid_format' },
      username: { reason: 'too_short', limit: 3 },
      password: { reason: 'too_short', limit: 8 },
    });
    expect(
      Object.fromEntries(await reasons({ email: 'a@b.co', username: 'x'.repeat(33), password: 'p'.repeat(8) })),
    ).toMatchObject({ username: { reason: 'too_long', limit: 32 } });
    expect(
      Object.fromEntries(await reasons({ email: 'a@b.co', username: 'bad name!', password: 'p'.repeat(8) })),
    ).toMatchObject({ username: { reason: 'invalid_format' } });

    const taken = { email: 'taken@example.com', username: 'taken', password: 'correct horse' };
    expect((await register(taken)).statusCode).toBe(201);
    const again = await register(taken);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.fields).toEqual([
      { in: 'body', path: 'email', message: 'Email is already registered', reason: 'taken' },
      { in: 'body', path: 'username', message: 'Username is taken', reason: 'taken' },
    ]);
  });
});
