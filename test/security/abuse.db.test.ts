import crypto from 'node:crypto';
import net from 'node:net';
import type { Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  bearer,
  listen,
  manualClock,
  signUp,
  startTestApp,
  type TestApp,
} from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { startTcpProxy, viaProxy } from '../../apps/server/src/testing/tcp-proxy';
import { connectSocket, type TestSocket } from '../../apps/server/src/testing/ws-client';

const PASSWORD = 'correct horse battery';

/** Each test gets an address of its own, so counters never leak between tests or test runs. */
let addressCounter = 0;
const freshAddress = () => `198.51.100.${(++addressCounter % 250) + 1}`;

const login = (t: TestApp, login: string, password: string, remoteAddress: string) =>
  t.app.inject({ method: 'POST', url: '/auth/login', payload: { login, password }, remoteAddress });

describe(`request rate limits on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let carla: Session;
  let dan: Session;
  beforeAll(async () => {
    t = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '5', RATE_LIMIT_WRITES_PER_MINUTE: '3' } });
    carla = await signUp(t);
    dan = await signUp(t);
  });
  afterAll(() => t.close());

  it('lets one address make 5 auth requests a minute, then answers 429 rate_limited with Retry-After', async () => {
    const address = freshAddress();
    for (let i = 0; i < 5; i++) expect((await login(t, 'nobody', 'wrong password', address)).statusCode).toBe(401);
    const refused = await login(t, carla.user.username, PASSWORD, address);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // Malformed attempts count too, and another address is not affected.
    const garbage = await t.app.inject({ method: 'POST', url: '/auth/register', payload: '{', remoteAddress: address });
    expect(garbage.statusCode).toBe(429);
    expect((await login(t, carla.user.username, PASSWORD, freshAddress())).statusCode).toBe(200);
  });

  it('counts invite previews with the auth requests: guessing tokens from one address stops at the limit', async () => {
    const address = freshAddress();
    const guess = () =>
      t.app.inject({ method: 'GET', url: `/invites/preview/${'g'.repeat(43)}`, remoteAddress: address });
    for (let i = 0; i < 5; i++) expect((await guess()).statusCode).toBe(404);
    expect((await guess()).json().error.code).toBe('rate_limited');
    expect((await login(t, 'nobody', 'wrong password', address)).statusCode).toBe(429);
  });

  it('counts writes per user: the 4th ticket in a minute is refused and not created; reads and others go on', async () => {
    const open = (who: Session) =>
      t.app.inject({
        method: 'POST',
        url: '/tickets',
        headers: bearer(who),
        payload: { subject: 'Printer', description: 'On fire' },
      });
    for (let i = 0; i < 3; i++) expect((await open(carla)).statusCode).toBe(201);
    const refused = await open(carla);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(refused.headers['retry-after']).toBeDefined();

    const mine = await t.app.inject({ method: 'GET', url: '/tickets', headers: bearer(carla) });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().items).toHaveLength(3);
    expect((await open(dan)).statusCode).toBe(201);
  });

  it("never lets a forged token spend someone else's quota", async () => {
    const [header, payload] = dan.accessToken.split('.') as [string, string];
    const forged = `${header}.${payload}.${'A'.repeat(43)}`;
    for (let i = 0; i < 5; i++) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/tickets',
        headers: { authorization: `Bearer ${forged}` },
        payload: { subject: 'x', description: 'y' },
      });
      expect(response.statusCode).toBe(401);
    }
    // Dan opened one ticket in the test above; two more still fit in his minute.
    const own = await t.app.inject({
      method: 'POST',
      url: '/tickets',
      headers: bearer(dan),
      payload: { subject: 'Mine', description: 'Still works' },
    });
    expect(own.statusCode).toBe(201);
  });
});

describe(`X-Forwarded-For on ${TEST_DIALECT}`, () => {
  const apps: TestApp[] = [];
  afterAll(() => Promise.all(apps.map((a) => a.close())));

  it('is believed only from a trusted proxy: a direct client cannot dodge the auth limit by forging it', async () => {
    const direct = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '2' } });
    const proxied = await startTestApp({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '2', TRUST_PROXY: 'loopback' } });
    apps.push(direct, proxied);
    const attempt = (t: TestApp, forwardedFor: string) =>
      t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { login: 'nobody', password: 'wrong password' },
        headers: { 'x-forwarded-for': forwardedFor },
      });
    const directCodes = [];
    const proxiedCodes = [];
    for (let i = 1; i <= 4; i++) {
      directCodes.push((await attempt(direct, `203.0.113.${i}`)).statusCode);
      proxiedCodes.push((await attempt(proxied, `203.0.113.${i}`)).statusCode);
    }
    expect(directCodes).toEqual([401, 401, 429, 429]);
    expect(proxiedCodes).toEqual([401, 401, 401, 401]); // four clients behind our own proxy
  });
});

describe(`sign-in throttling on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({
      clock,
      env: {
        LOGIN_FAILURES_PER_ACCOUNT_AND_IP: '3',
        LOGIN_FAILURES_PER_ACCOUNT: '6',
        LOGIN_FAILURES_PER_IP: '10',
        LOGIN_FAILURE_WINDOW_SECONDS: '900',
      },
    });
  });
  afterAll(() => t.close());
  afterEach(() => clock.advance(60 * 60 * 1000)); // every window lapses between tests

  it('stops guessing from one address after 3 misses, even with the right password, until the window ends', async () => {
    const victim = await signUp(t);
    const attacker = freshAddress();
    for (let i = 0; i < 3; i++)
      expect((await login(t, victim.user.username, `guess ${i}`, attacker)).statusCode).toBe(401);
    const blocked = await login(t, victim.user.username, PASSWORD, attacker);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatchObject({ code: 'rate_limited' });
    expect(Number(blocked.headers['retry-after'])).toBe(900);
    // The owner, elsewhere, is not locked out.
    expect((await login(t, victim.user.email!, PASSWORD, freshAddress())).statusCode).toBe(200);
    clock.advance(901 * 1000);
    expect((await login(t, victim.user.username, PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('blocks an account guessed at from many addresses, except from addresses its owner signed in from', async () => {
    const victim = await signUp(t);
    const home = freshAddress();
    expect((await login(t, victim.user.username, PASSWORD, home)).statusCode).toBe(200);
    for (let i = 0; i < 6; i++) {
      expect((await login(t, victim.user.username, 'guess', freshAddress())).statusCode).toBe(401);
    }
    const newPlace = freshAddress();
    const blocked = await login(t, victim.user.username, PASSWORD, newPlace);
    expect(blocked.statusCode).toBe(429);
    expect((await login(t, victim.user.username, PASSWORD, home)).statusCode).toBe(200);
    // Never for good: once the window passes, the new place works too.
    clock.advance(900 * 1000);
    expect((await login(t, victim.user.username, PASSWORD, newPlace)).statusCode).toBe(200);
  });

  it('blocks one address trying many accounts (credential stuffing), unknown accounts included', async () => {
    const someone = await signUp(t);
    const stuffer = freshAddress();
    for (let i = 0; i < 10; i++) {
      expect((await login(t, `nobody${i}@example.com`, 'password1', stuffer)).statusCode).toBe(401);
    }
    expect((await login(t, someone.user.username, PASSWORD, stuffer)).statusCode).toBe(429);
  });

  it('lets only 3 of 15 simultaneous wrong passwords reach the password check; the rest wait', async () => {
    const victim = await signUp(t);
    const attacker = freshAddress();
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => login(t, victim.user.username, `guess ${i}`, attacker)),
    );
    const codes = answers.map((a) => a.statusCode).sort();
    expect(codes).toEqual([...Array(3).fill(401), ...Array(12).fill(429)]);
    expect(answers.filter((a) => a.statusCode === 401).map((a) => a.json().error.code)).toEqual(
      Array(3).fill('invalid_credentials'),
    );
    // The refused ones were not counted: the block ends with the window of the first three.
    clock.advance(901 * 1000);
    expect((await login(t, victim.user.username, PASSWORD, attacker)).statusCode).toBe(200);
  });

  it('does not count successful sign-ins as failures once they are through', async () => {
    const owner = await signUp(t);
    const home = freshAddress();
    // Up to the limit at once (an attempt counts until its password proves right), then many more.
    const together = await Promise.all(Array.from({ length: 3 }, () => login(t, owner.user.username, PASSWORD, home)));
    expect(together.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    for (let i = 0; i < 12; i++) expect((await login(t, owner.user.username, PASSWORD, home)).statusCode).toBe(200);
    for (let i = 0; i < 2; i++) expect((await login(t, owner.user.username, 'typo', home)).statusCode).toBe(401);
    expect((await login(t, owner.user.username, PASSWORD, home)).statusCode).toBe(200);
  });

  it('forgives misses once the owner gets the password right', async () => {
    const victim = await signUp(t);
    const address = freshAddress();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) expect((await login(t, victim.user.username, 'typo', address)).statusCode).toBe(401);
      expect((await login(t, victim.user.username, PASSWORD, address)).statusCode).toBe(200);
    }
  });
});

describe.runIf(process.env.PARLEY_TEST_REDIS_URL)(`limits across a cluster on ${TEST_DIALECT}`, () => {
  const nodes: TestApp[] = [];
  afterAll(() => Promise.all(nodes.map((n) => n.close())));

  it('counts in Redis, so spreading requests over two nodes does not raise the limit', async () => {
    const env = { REDIS_URL: process.env.PARLEY_TEST_REDIS_URL!, RATE_LIMIT_AUTH_PER_MINUTE: '4' };
    nodes.push(await startTestApp({ env }), await startTestApp({ env }));
    // A random documentation address: other test runs (each database's) share this Redis.
    const address = `2001:db8::${crypto.randomBytes(2).toString('hex')}:${crypto.randomBytes(2).toString('hex')}`;
    const codes = [];
    for (let i = 0; i < 6; i++)
      codes.push((await login(nodes[i % 2]!, 'nobody', 'wrong password', address)).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 429, 429]);
  });

  it('lets only 5 of 15 simultaneous wrong passwords, spread over two nodes, reach the password check', async () => {
    const env = { REDIS_URL: process.env.PARLEY_TEST_REDIS_URL!, LOGIN_FAILURES_PER_ACCOUNT_AND_IP: '5' };
    const [a, b] = [await startTestApp({ env }), await startTestApp({ env })];
    nodes.push(a, b);
    // Unknown accounts are counted by their login text, the same on both nodes (and unique per run).
    const account = `nobody-${crypto.randomBytes(4).toString('hex')}`;
    const address = `2001:db8::${crypto.randomBytes(2).toString('hex')}:3`;
    const answers = await Promise.all(
      Array.from({ length: 15 }, (_, i) => login(i % 2 ? a : b, account, `guess ${i}`, address)),
    );
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes).toEqual([...Array(5).fill(401), ...Array(10).fill(429)]);
  });

  it('keeps limiting while Redis is away, counting on each node, and counts in Redis again once it is back', async () => {
    const proxy = await startTcpProxy(new URL(process.env.PARLEY_TEST_REDIS_URL!).host);
    try {
      const env = { REDIS_URL: viaProxy(process.env.PARLEY_TEST_REDIS_URL!, proxy), RATE_LIMIT_AUTH_PER_MINUTE: '3' };
      const [a, b] = [await startTestApp({ env }), await startTestApp({ env })];
      nodes.push(a, b);
      const tries = async (node: TestApp, address: string, n: number) => {
        const codes = [];
        for (let i = 0; i < n; i++) codes.push((await login(node, 'nobody', 'wrong password', address)).statusCode);
        return codes;
      };
      await proxy.cut();
      const duringOutage = `2001:db8::${crypto.randomBytes(2).toString('hex')}:1`;
      // Each node counts on its own: an attacker gets the limit once per node, not without end.
      expect(await tries(a, duringOutage, 4)).toEqual([401, 401, 401, 429]);
      expect(await tries(b, duringOutage, 4)).toEqual([401, 401, 401, 429]);

      await proxy.restore();
      await expect.poll(() => a.app.inject({ method: 'GET', url: '/readyz' }).then((r) => r.json().status)).toBe('ok');
      await expect.poll(() => b.app.inject({ method: 'GET', url: '/readyz' }).then((r) => r.json().status)).toBe('ok');
      const afterOutage = `2001:db8::${crypto.randomBytes(2).toString('hex')}:2`;
      expect([...(await tries(a, afterOutage, 2)), ...(await tries(b, afterOutage, 2))]).toEqual([401, 401, 401, 429]);
    } finally {
      await proxy.close();
    }
  });
});

describe(`slow and oversized clients on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp({ env: { HTTP_HEADERS_TIMEOUT_MS: '500', HTTP_REQUEST_TIMEOUT_MS: '1500' } });
    port = Number(new URL(await listen(t)).port);
  });
  afterAll(() => t.close());

  /** A raw connection; resolves with everything the server said once it hangs up. */
  function rawClient() {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk));
    const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(answer)));
    socket.on('error', () => {});
    return { socket, closed };
  }

  it('hangs up on a client that drips its headers (slowloris) with 408', async () => {
    const { socket, closed } = rawClient();
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.write(`X-Slow-${Date.now()}: 1\r\n`), 100);
    const answer = await closed.finally(() => clearInterval(drip));
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('hangs up on a client that never finishes its body with 408', async () => {
    const { socket, closed } = rawClient();
    socket.write(
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"lo',
    );
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses headers over 16 KiB with 431', async () => {
    const { socket, closed } = rawClient();
    socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(await closed).toMatch(/^HTTP\/1\.1 431/);
  });

  it('still serves a normal client', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe(`sockets per address on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let baseUrl: string;
  const sockets: TestSocket[] = [];
  beforeAll(async () => {
    t = await startTestApp({ env: { WS_MAX_CONNECTIONS_PER_IP: '3' } });
    baseUrl = await listen(t);
  });
  afterAll(async () => {
    await Promise.all(sockets.map((s) => s.close()));
    await t.close();
  });

  /** The HTTP status an upgrade is refused with. */
  const refusal = () =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws`, ['parley.v1']);
      ws.on('open', () => reject(new Error('the socket was accepted')));
      ws.on('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      ws.on('error', () => {});
    });

  it('refuses a 4th socket from one address with 429 until one of the three closes', async () => {
    for (let i = 0; i < 3; i++) sockets.push(await connectSocket(baseUrl));
    const refused = await refusal();
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.body).error.code).toBe('rate_limited');

    await sockets.pop()!.close();
    await expect
      .poll(
        async () =>
          await connectSocket(baseUrl).then(
            (s) => (sockets.push(s), true),
            () => false,
          ),
      )
      .toBe(true);
  });
});
