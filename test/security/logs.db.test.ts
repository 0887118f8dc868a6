import net from 'node:net';
import { CLOSE_CODES, type Session, type TokenPair } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccessTokens } from '../../apps/server/src/auth/access-tokens';
import { listen, startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { connectSocket } from '../../apps/server/src/testing/ws-client';

/**
 * Logs go where more people look than at the database: a password or a token must never reach
 * them, whatever a request carried and however it failed. Everything is logged here
 * (LOG_LEVEL=trace), so a leak at any level shows.
 */
describe(`structured logs on ${TEST_DIALECT}`, () => {
  const password = 'Tr0ub4dor&3-of-ann';
  let t: TestApp;
  let base: string;
  let logs = '';
  /** Where the current test's logs begin: each test answers for what it made the server log. */
  let logsFrom = 0;
  let ann: Session;
  /** Every credential this suite sent or received, by what it is. */
  const secrets = new Map<string, string>();
  const keep = (what: string, secret: string) => {
    secrets.set(what, secret);
    // A JWT's signature is what makes it work: it must not appear on its own either.
    const signature = secret.split('.')[2];
    if (signature) secrets.set(`${what} (its signature)`, signature);
    return secret;
  };
  const keepTokens = (what: string, tokens: TokenPair) => {
    keep(`${what}: access token`, tokens.accessToken);
    keep(`${what}: refresh token`, tokens.refreshToken);
  };

  beforeAll(async () => {
    t = await startTestApp({
      // No reuse grace, so the replay below is refused (and logged) at once.
      env: { LOG_LEVEL: 'trace', BODY_LIMIT_BYTES: '4096', REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' },
      logStream: { write: (line) => void (logs += line) },
    });
    base = await listen(t);
    keep("Ann's password", password);
  });
  beforeEach(() => void (logsFrom = logs.length));
  afterAll(() => t?.close());

  const request = (method: string, url: string, body?: object | string, headers: Record<string, string> = {}) =>
    fetch(`${base}${url}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const post = (url: string, body: object | string, headers?: Record<string, string>) =>
    request('POST', url, body, headers);

  /**
   * The logs as someone reading them could: the raw text, and byte buffers (logged as arrays of
   * numbers) decoded. Waits for the "request completed" line of every request first.
   */
  async function readableLogs(): Promise<string> {
    const lines = () => logs.slice(logsFrom).split('\n');
    const count = (msg: string) => lines().filter((line) => line.includes(`"msg":"${msg}"`)).length;
    await vi.waitFor(() => expect(count('request completed')).toBe(count('incoming request')));
    const decoded = lines()
      .filter(Boolean)
      .map((line) =>
        JSON.stringify(
          JSON.parse(line, (_key, value: unknown) => {
            const buffer = value as { type?: unknown; data?: unknown };
            return buffer?.type === 'Buffer' && Array.isArray(buffer.data)
              ? Buffer.from(buffer.data as number[]).toString('latin1')
              : value;
          }),
        ),
      );
    return `${logs.slice(logsFrom)}\n${decoded.join('\n')}`;
  }

  async function expectNoSecretInLogs() {
    const readable = await readableLogs();
    const leaked = [...secrets].filter(([, secret]) => readable.includes(secret)).map(([what]) => what);
    expect(leaked).toEqual([]);
  }

  it('[SEC-LOGS] show the requests of signing up, in, out and refreshing, but no password or token', async () => {
    const registered = await post('/auth/register', { email: 'ann@logs.test', username: 'ann', password });
    expect(registered.status).toBe(201);
    keepTokens('registration', (await registered.json()) as Session);

    const signedIn = await post('/auth/login', { login: 'ann', password });
    expect(signedIn.status).toBe(200);
    ann = (await signedIn.json()) as Session;
    keepTokens('sign-in', ann);
    const wrong = keep('a wrong password', 'Tr0ub4dor&3-wrong-guess');
    expect((await post('/auth/login', { login: 'ann@logs.test', password: wrong })).status).toBe(401);
    const nobodys = keep("the password of an account that doesn't exist", 'Tr0ub4dor&3-of-nobody');
    expect((await post('/auth/login', { login: 'nobody', password: nobodys })).status).toBe(401);

    const refreshed = await post('/auth/refresh', { refreshToken: ann.refreshToken });
    expect(refreshed.status).toBe(200);
    const pair = (await refreshed.json()) as TokenPair;
    keepTokens('refresh', pair);
    // A rotated refresh token used again is the sign of a stolen one: refused.
    expect((await post('/auth/refresh', { refreshToken: ann.refreshToken })).status).toBe(401);
    expect((await post('/auth/logout', { refreshToken: pair.refreshToken })).status).toBe(204);

    const signedInAgain = await post('/auth/login', { login: 'ann', password });
    ann = (await signedInAgain.json()) as Session;
    keepTokens('second sign-in', ann);
    expect((await request('GET', '/me', undefined, { authorization: `Bearer ${ann.accessToken}` })).status).toBe(200);

    // The suite proves something only if requests are logged, with what an operator needs.
    const requestLines = logs.split('\n').filter((line) => line.includes('"msg":"incoming request"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(9);
    expect(requestLines.join('\n')).toContain('"url":"/auth/login"');
    await expectNoSecretInLogs();
  });

  it('[SEC-LOGS] keep bad and expired tokens out of the logs of the requests they fail', async () => {
    const forged = keep('a forged access token', `${ann.accessToken.slice(0, -4)}AAAA`);
    const lapsed = createAccessTokens({
      secret: t.config.jwtSecret,
      ttlSeconds: 60,
      clock: { now: () => Date.now() - 3_600_000 },
    });
    const expired = keep(
      'an expired access token',
      await lapsed.sign({ userId: ann.user.id, workspaceId: ann.user.workspace.id }),
    );
    for (const token of [forged, expired, keep('a garbage bearer token', 'not-a-jwt-but-secret-4242')]) {
      const response = await request('GET', '/me', undefined, { authorization: `Bearer ${token}` });
      expect(response.status).toBe(401);
    }
    await expectNoSecretInLogs();
  });

  it('[SEC-LOGS] keep passwords out of the logs of requests that fail validation or parsing', async () => {
    const short = keep('a too-short password', 'Sh0rt!');
    const invalid = await post('/auth/register', { email: 'not-an-email', username: 'bob', password: short });
    expect(invalid.status).toBe(400);
    const noLogin = keep('a password sent without a login', 'Tr0ub4dor&3-no-login');
    expect((await post('/auth/login', { password: noLogin })).status).toBe(400);
    const inBrokenJson = keep('a password in broken JSON', 'Tr0ub4dor&3-broken-json');
    expect((await post('/auth/login', `{"login":"ann","password":"${inBrokenJson}"`)).status).toBe(400);
    const inHugeBody = keep('a password in a too-large body', 'Tr0ub4dor&3-huge-body');
    const huge = await post('/auth/login', { login: 'ann', password: inHugeBody, padding: 'x'.repeat(8192) });
    expect(huge.status).toBe(413);
    await expectNoSecretInLogs();
  });

  it('[SEC-LOGS] keep credentials out of the logs of a request the HTTP parser rejects', async () => {
    // A client (or a broken proxy) sends a header Node will not parse: the request never
    // reaches a route, and Fastify logs the parse error with the raw bytes received.
    const body = JSON.stringify({ login: 'ann', password });
    const answer = await sendRaw(
      [
        'POST /auth/login HTTP/1.1',
        'Host: parley.test',
        `Authorization: Bearer ${ann.accessToken}`,
        'Content-Type: application/json',
        `Content-Length: ${body.length}`,
        'Bad Header: spaces are not allowed in a header name',
        '',
        body,
      ].join('\r\n'),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    await vi.waitFor(() => expect(logs).toContain('"msg":"client error"'));
    await expectNoSecretInLogs();
  });

  it('[SEC-LOGS] keep tokens out of the logs of sockets signing in, by frame or by protocol header', async () => {
    const byHeader = await connectSocket(base, ann.accessToken);
    expect((await byHeader.next('ready')).userId).toBe(ann.user.id);
    await byHeader.close();
    const byFrame = await connectSocket(base);
    byFrame.send({ type: 'auth', token: ann.accessToken });
    expect((await byFrame.next('ready')).userId).toBe(ann.user.id);
    await byFrame.close();

    const badHeaderToken = keep('a forged socket token', `${ann.accessToken.slice(0, -4)}BBBB`);
    const refusedByHeader = await connectSocket(base, badHeaderToken);
    expect((await refusedByHeader.closed).code).toBe(CLOSE_CODES.unauthorized);
    const refusedByFrame = await connectSocket(base);
    refusedByFrame.send({ type: 'auth', token: keep('a garbage socket token', 'not-a-jwt-socket-4242') });
    expect((await refusedByFrame.closed).code).toBe(CLOSE_CODES.unauthorized);
    await expectNoSecretInLogs();
  });

  it('[SEC-LOGS] keep credentials out of the error logged when the server fails mid-sign-in', async () => {
    // What the database keeps to check credentials must stay out of the logs too.
    const user = await t.database.db
      .selectFrom('users')
      .select('passwordHash')
      .where('id', '=', ann.user.id)
      .executeTakeFirstOrThrow();
    keep("the stored hash of Ann's password", user.passwordHash);
    for (const { tokenHash } of await t.database.db.selectFrom('refreshTokens').select('tokenHash').execute()) {
      keep(`a stored refresh token hash (${tokenHash.slice(0, 6)}…)`, tokenHash);
    }
    // Last: this breaks the database for good. Signing in checks the password, then fails to
    // store the new session; refreshing fails to look the token up.
    await sql`drop table refresh_tokens`.execute(t.database.db);
    expect((await post('/auth/login', { login: 'ann', password })).status).toBe(500);
    expect((await post('/auth/refresh', { refreshToken: ann.refreshToken })).status).toBe(500);
    expect(logs).toContain('"msg":"request failed"');
    await expectNoSecretInLogs();
  });

  /** One raw HTTP exchange on a fresh connection; resolves with whatever came back. */
  function sendRaw(text: string): Promise<string> {
    const { hostname, port } = new URL(base);
    return new Promise((resolve) => {
      let answer = '';
      const socket = net.connect({ host: hostname, port: Number(port) }, () => socket.write(text));
      socket.on('data', (chunk) => (answer += chunk));
      socket.on('close', () => resolve(answer));
      socket.on('error', () => {}); // the server hangs up after answering: expected
    });
  }
});
