import crypto from 'node:crypto';
import type { CreatedApiToken, IceServers, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';

const TURN_SECRET = 'coturn-static-auth-secret-shared-with-parley';
const TURN_URLS = [
  'turn:turn.example.com:3478?transport=udp',
  'turn:turn.example.com:3478?transport=tcp',
  'turns:turn.example.com:5349',
];

/** coturn's check under `use-auth-secret`, written out: not expired, and the HMAC of the username. */
const coturnAccepts = (username: string, password: string, atMs: number) =>
  Number(username.split(':')[0]) * 1000 >= atMs &&
  password === crypto.createHmac('sha1', TURN_SECRET).update(username).digest('base64');

/**
 * A self-hoster runs coturn beside Parley: members starting a call fetch the STUN server and a
 * TURN relay with credentials made for them, which coturn accepts for an hour. Nobody else gets
 * relay credentials; an installation with no servers set hands out none and names no public one.
 */
describe(`ICE servers for calls on ${TEST_DIALECT}`, () => {
  describe('with coturn configured', () => {
    const clock = manualClock();
    let t: TestApp;
    let carla: Session;
    let sam: Session;

    beforeAll(async () => {
      t = await startTestApp({
        clock,
        env: { STUN_URLS: 'stun:turn.example.com:3478', TURN_URLS: TURN_URLS.join(','), TURN_SECRET },
      });
      carla = await signUp(t, 'customer');
      sam = await signUp(t, 'agent');
    });
    afterAll(() => t?.close());

    it('gives a member the STUN server and TURN relays with credentials coturn accepts, never cached', async () => {
      const response = await as(t, carla).get('/calls/ice-servers');
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['cache-control']).toContain('no-store');
      const { iceServers, expiresAt } = response.json<IceServers>();
      expect(iceServers).toEqual([
        { urls: ['stun:turn.example.com:3478'] },
        { urls: TURN_URLS, username: expect.stringMatching(/^\d+:/), credential: expect.any(String) },
      ]);
      const { username, credential } = iceServers[1]!;
      expect(username).toBe(`${Math.floor(clock.now() / 1000) + 3600}:${carla.user.id}`);
      expect(expiresAt).toBe(new Date(clock.now() + 3600_000).toISOString());
      expect(coturnAccepts(username!, credential!, clock.now())).toBe(true);
      // After the hour, coturn opens no new relay with them: the app fetches fresh ones.
      expect(coturnAccepts(username!, credential!, clock.now() + 3601_000)).toBe(false);
    });

    it("makes each member's credentials their own: Sam's name with Carla's password is refused", async () => {
      const ofCarla = (await as(t, carla).get('/calls/ice-servers')).json<IceServers>().iceServers[1]!;
      const ofSam = (await as(t, sam).get('/calls/ice-servers')).json<IceServers>().iceServers[1]!;
      expect(ofSam.username).toBe(`${Math.floor(clock.now() / 1000) + 3600}:${sam.user.id}`);
      expect(coturnAccepts(ofSam.username!, ofSam.credential!, clock.now())).toBe(true);
      expect(coturnAccepts(ofSam.username!, ofCarla.credential!, clock.now())).toBe(false);
    });

    it('refuses anyone not signed in, and API tokens, whatever their scopes', async () => {
      const anonymous = await t.app.inject({ method: 'GET', url: '/calls/ice-servers' });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ error: { code: 'unauthorized' } });
      expect(anonymous.body).not.toContain('turn.example.com');

      const { secret } = (
        await as(t, carla).post('/me/api-tokens', { name: 'Script', scopes: ['realtime', 'messages:write'] })
      ).json<CreatedApiToken>();
      const byToken = await t.app.inject({
        method: 'GET',
        url: '/calls/ice-servers',
        headers: bearer({ accessToken: secret }),
      });
      expect(byToken.statusCode).toBe(403);
      expect(byToken.body).not.toContain('turn.example.com');
    });
  });

  describe('with nothing configured', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp();
    });
    afterAll(() => t?.close());

    it('gives an empty list: the browser uses its own addresses and no public STUN server', async () => {
      const member = await signUp(t, 'agent');
      const response = await as(t, member).get('/calls/ice-servers');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ iceServers: [], expiresAt: null });
    });
  });
});
