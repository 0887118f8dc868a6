import { CLOSE_CODES, type Session } from '@parley/protocol';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccessTokens } from '../../apps/server/src/auth/access-tokens';
import { registerUser } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as } from '../../apps/server/src/testing/test-desk';
import { connectSocket } from '../../apps/server/src/testing/ws-client';
import { expectError, frameError, guardUnchanged } from './bad-input-kit';
import {
  callsOnVictim,
  callsWithoutParams,
  documentedRoutes,
  send,
  setUpVictim,
  type Route,
  type Victim,
} from './every-route';
import { setStage, type Stage } from './text-fields';

/**
 * Tokens that must not open anything. auth-routes.db.test.ts proves the token rules on `/me`;
 * this suite holds every other route to them, and the realtime gateway too, where a token comes
 * in the handshake (`Sec-WebSocket-Protocol: parley.v1, <token>`) or in an `auth` frame and a bad
 * one closes the socket with 4401 before anything is sent.
 */

/** Routes whose bearer token is not a user's access token. */
const OWN_AUTH: Record<string, string> = {
  'GET /metrics': 'wants METRICS_TOKEN, proven by the metrics suite',
};

const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

interface BadToken {
  label: string;
  token: () => Promise<string>;
  /** The close reason the gateway gives. */
  reason: string;
}

describe(`bad tokens on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let victim: Victim;
  let routes: Route[];
  /** A customer whose account an admin deactivated; they still hold a signed token. */
  let hank: Session;

  beforeAll(async () => {
    stage = await setStage();
    victim = await setUpVictim(stage);
    routes = await documentedRoutes(stage.t.app);
    hank = await registerUser(stage.t.app);
    await as(stage.t, stage.desk.admin).patch(`/users/${hank.user.id}`, { deactivated: true });
  });
  afterAll(() => stage.t.close());

  /** Signs like the server does (same secret, issuer, audience), with a clock of our choosing. */
  const signedAt = (ms: number, userId: string) =>
    createAccessTokens({ secret: stage.t.config.jwtSecret, ttlSeconds: 900, clock: { now: () => ms } }).sign({
      userId,
      workspaceId: stage.desk.carla.user.workspace.id,
    });
  const carla = () => stage.desk.carla;

  const BAD_TOKENS: BadToken[] = [
    {
      label: 'unsigned (alg none)',
      token: async () => {
        const [, payload] = carla().accessToken.split('.');
        return `${b64({ alg: 'none', typ: 'JWT' })}.${payload}.`;
      },
      reason: 'Invalid access token',
    },
    {
      label: 'signed with another secret',
      token: () =>
        new SignJWT({ role: 'admin' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(carla().user.id)
          .setIssuer('parley')
          .setAudience('parley')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('not-the-secret-but-long-enough-for-hs256')),
      reason: 'Invalid access token',
    },
    {
      label: "someone else's id under Carla's signature",
      token: async () => {
        const [header, payload, signature] = carla().accessToken.split('.') as [string, string, string];
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
        return `${header}.${b64({ ...claims, sub: stage.desk.admin.user.id })}.${signature}`;
      },
      reason: 'Invalid access token',
    },
    {
      label: 'HS256 with the right secret but another issuer',
      token: () =>
        new SignJWT({ role: 'customer' })
          .setProtectedHeader({ alg: 'HS256' })
          .setSubject(carla().user.id)
          .setIssuer('evil')
          .setAudience('parley')
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(stage.t.config.jwtSecret)),
      reason: 'Invalid access token',
    },
    {
      label: 'expired an hour ago',
      token: () => signedAt(Date.now() - 2 * 3600_000, carla().user.id),
      reason: 'Access token expired',
    },
    {
      label: 'of a deactivated account',
      token: async () => hank.accessToken,
      reason: 'Account is not active',
    },
    {
      label: 'of a user that does not exist',
      token: () => signedAt(Date.now(), '01ARZ3NDEKTSV4RRFFQ69G5FAV'),
      reason: 'Account is not active',
    },
    { label: 'a refresh token', token: async () => carla().refreshToken, reason: 'Invalid access token' },
    { label: 'not a JWT', token: async () => 'not-a-jwt', reason: 'Invalid access token' },
  ];

  // Every case here must change nothing, so they run concurrently against one baseline.
  describe.concurrent('refused, changing nothing', () => {
    const unchangedAfter = guardUnchanged(() => stage.t);

    describe('on every REST route that wants a user', () => {
      /** Ways to present a token, good or bad, in the Authorization header. */
      const HEADERS = [
        ...BAD_TOKENS.map((bad) => ({ label: `a token ${bad.label}`, headers: async () => bearer(await bad.token()) })),
        { label: 'no token', headers: async () => ({}) },
        { label: 'Basic credentials', headers: async () => ({ authorization: 'Basic YWRtaW46YWRtaW4=' }) },
        { label: 'the token without "Bearer"', headers: async () => ({ authorization: carla().accessToken }) },
        {
          label: 'two tokens',
          headers: async () => ({ authorization: `Bearer ${carla().accessToken} ${carla().accessToken}` }),
        },
      ];
      const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

      it('has a call for every such route', () => {
        const calls = { ...callsOnVictim(victim), ...callsWithoutParams(victim) };
        const secured = routes.filter((r) => r.secured && !OWN_AUTH[r.key]).map((r) => r.key);
        expect(secured.filter((key) => !calls[key])).toEqual([]);
      });

      const cases = () => {
        const calls = { ...callsOnVictim(victim), ...callsWithoutParams(victim) };
        return routes
          .filter((r) => r.secured && !OWN_AUTH[r.key])
          .flatMap((route) => HEADERS.map((header) => ({ route: route.key, call: calls[route.key]!, header })));
      };

      // The routes are known only once the app is built, so the table is walked inside one test
      // per way of presenting a token; a failure names the route.
      it.each(HEADERS.map((header) => ({ label: header.label, header })))(
        'answers $label with 401 unauthorized on every route',
        async ({ header }) => {
          const headers = await header.headers();
          await unchangedAfter(async () => {
            for (const { route, call } of cases().filter((c) => c.header === header)) {
              const response = await send(stage.t, call, headers);
              expect(response.statusCode, `${route}: ${response.body}`).toBe(401);
              expectError(response, 401, 'unauthorized');
            }
          });
        },
      );
    });

    describe('on the socket', () => {
      const CHANNELS = ['handshake', 'auth frame', 'renewal on a signed-in socket'] as const;
      const cases = CHANNELS.flatMap((channel) => BAD_TOKENS.map((bad) => ({ channel, bad, label: bad.label })));

      it.for(cases)('closes with 4401 for a token $label in the $channel', async ({ channel, bad }, context) => {
        await unchangedAfter(async () => {
          const token = await bad.token();
          const socket = await connectSocket(
            stage.base,
            channel === 'handshake'
              ? token
              : channel === 'renewal on a signed-in socket'
                ? carla().accessToken
                : undefined,
          );
          context.onTestFinished(() => socket.close());
          if (channel === 'renewal on a signed-in socket') await socket.next('ready');
          if (channel !== 'handshake') socket.send({ type: 'auth', token });
          expect(await socket.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: bad.reason });
          // Before signing in, a bad token gets nothing at all; after, nothing beyond `ready`.
          expect(socket.frames.filter((f) => f.type !== 'ready' && f.type !== 'presence')).toEqual([]);
          if (channel !== 'renewal on a signed-in socket') expect(socket.frames).toEqual([]);
        });
      });

      it("closes with 4401 when a signed-in socket renews with another user's valid token", async (context) => {
        await unchangedAfter(async () => {
          const socket = await connectSocket(stage.base, carla().accessToken);
          context.onTestFinished(() => socket.close());
          await socket.next('ready');
          socket.send({ type: 'auth', token: stage.desk.dan.accessToken });
          expect(await socket.closed).toEqual({
            code: CLOSE_CODES.unauthorized,
            reason: 'A socket belongs to one user',
          });
        });
      });

      it.for([
        { label: 'an empty token', token: '' },
        { label: 'a token over 4 KiB', token: 'x'.repeat(4097) },
        { label: 'a token that is not a string', token: { alg: 'none' } },
      ])(
        'answers an auth frame with $label with validation_failed, and still no way in',
        async ({ token }, context) => {
          await unchangedAfter(async () => {
            const socket = await connectSocket(stage.base);
            context.onTestFinished(() => socket.close());
            const error = await frameError(socket, { type: 'auth', token });
            expect(error.code).toBe('validation_failed');
            const refused = await frameError(socket, {
              type: 'subscribe',
              conversationId: victim.ticketConversationId,
            });
            expect(refused.code).toBe('unauthorized');
            expect(socket.frames.map((f) => f.type)).toEqual(['error', 'error']);
          });
        },
      );
    });
  });
});
