import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IceServerConfig } from '../config';
import { iceServersFor } from './ice-servers';

const SECRET = 'the-static-auth-secret-coturn-and-parley-share';
const NOW = Date.parse('2026-11-25T12:00:00Z');
const CARLA = '01JCARLA000000000000000000';
const SAM = '01JSAM00000000000000000000';

const config: IceServerConfig = {
  stunUrls: ['stun:turn.example.com:3478'],
  turn: {
    urls: ['turn:turn.example.com:3478?transport=udp', 'turns:turn.example.com:5349'],
    secret: SECRET,
    credentialTtlSeconds: 3600,
  },
};

/**
 * What coturn does with `use-auth-secret` when a relay is asked for, written out independently:
 * the username's leading Unix time must not have passed, and the password must be the base64
 * HMAC-SHA1 of the username under the shared secret.
 */
function coturnAccepts(username: string, password: string, atMs: number, secret = SECRET): boolean {
  const expiry = Number(username.split(':')[0]);
  if (!Number.isInteger(expiry) || expiry * 1000 < atMs) return false;
  const expected = crypto.createHmac('sha1', secret).update(username, 'utf8').digest();
  const given = Buffer.from(password, 'base64');
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const turnOf = (servers: ReturnType<typeof iceServersFor>) => {
  const turn = servers.iceServers.find((s) => s.username !== undefined);
  if (!turn?.credential) throw new Error('no TURN entry');
  return { ...turn, username: turn.username!, credential: turn.credential };
};

describe('ICE servers for a call', () => {
  it('gives the STUN servers as they are, and the TURN relays with credentials coturn accepts', () => {
    const servers = iceServersFor(config, CARLA, NOW);
    expect(servers.iceServers[0]).toEqual({ urls: ['stun:turn.example.com:3478'] });
    const turn = turnOf(servers);
    expect(turn.urls).toEqual(config.turn!.urls);
    expect(turn.username).toBe(`${NOW / 1000 + 3600}:${CARLA}`);
    expect(turn.credential).toBe(crypto.createHmac('sha1', SECRET).update(turn.username).digest('base64'));
    expect(coturnAccepts(turn.username, turn.credential, NOW)).toBe(true);
  });

  it('says when the credentials expire, and coturn refuses them for a new relay after that', () => {
    const servers = iceServersFor(config, CARLA, NOW);
    const { username, credential } = turnOf(servers);
    expect(servers.expiresAt).toBe('2026-11-25T13:00:00.000Z');
    expect(Number(username.split(':')[0]) * 1000).toBe(Date.parse(servers.expiresAt!));
    expect(coturnAccepts(username, credential, NOW + 3600_000)).toBe(true);
    expect(coturnAccepts(username, credential, NOW + 3601_000)).toBe(false);
  });

  it('rounds a fractional now down to whole seconds, as coturn reads the username', () => {
    const { username } = turnOf(iceServersFor(config, CARLA, NOW + 999));
    expect(username).toBe(`${NOW / 1000 + 3600}:${CARLA}`);
  });

  it("makes Carla's credential useless to Sam, and useless under another secret", () => {
    const carla = turnOf(iceServersFor(config, CARLA, NOW));
    const sam = turnOf(iceServersFor(config, SAM, NOW));
    expect(sam.credential).not.toBe(carla.credential);
    // Sam presents Carla's password under his own name, or changes the expiry in hers: refused.
    expect(coturnAccepts(sam.username, carla.credential, NOW)).toBe(false);
    const later = carla.username.replace(/^\d+/, String(NOW / 1000 + 86_400 * 365));
    expect(coturnAccepts(later, carla.credential, NOW)).toBe(false);
    // A relay with a different secret does not take it either.
    expect(coturnAccepts(carla.username, carla.credential, NOW, 'some-other-installations-secret-value')).toBe(false);
  });

  it('is empty with nothing configured: no public STUN server is contacted by default', () => {
    expect(iceServersFor({ stunUrls: [], turn: undefined }, CARLA, NOW)).toEqual({ iceServers: [], expiresAt: null });
  });

  it('gives STUN alone without credentials or an expiry', () => {
    expect(iceServersFor({ stunUrls: ['stun:stun.example.org'], turn: undefined }, CARLA, NOW)).toEqual({
      iceServers: [{ urls: ['stun:stun.example.org'] }],
      expiresAt: null,
    });
  });
});
