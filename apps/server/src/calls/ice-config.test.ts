import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config';
import { iceUrlProblem } from './ice-urls';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** The configuration from `env` alone (a fresh DATA_DIR, so nothing is read from a previous run). */
function configFrom(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-ice-config-'));
  dirs.push(dataDir);
  return loadConfig({ DATA_DIR: dataDir, ...env });
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    configFrom(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

const SECRET = 'a'.repeat(32);

describe('STUN and TURN settings', () => {
  it('has no servers at all by default, so calls contact no public STUN server', () => {
    expect(configFrom({}).iceServers).toEqual({ stunUrls: [], turn: undefined });
  });

  it('reads comma-separated STUN and TURN URLs, the shared secret, and a one-hour credential lifetime', () => {
    const config = configFrom({
      STUN_URLS: 'stun:turn.example.com:3478, stun:[2001:db8::1]',
      TURN_URLS:
        'turn:turn.example.com:3478?transport=udp,turn:turn.example.com:3478?transport=tcp,turns:turn.example.com:5349',
      TURN_SECRET: SECRET,
    });
    expect(config.iceServers).toEqual({
      stunUrls: ['stun:turn.example.com:3478', 'stun:[2001:db8::1]'],
      turn: {
        urls: [
          'turn:turn.example.com:3478?transport=udp',
          'turn:turn.example.com:3478?transport=tcp',
          'turns:turn.example.com:5349',
        ],
        secret: SECRET,
        credentialTtlSeconds: 3600,
      },
    });
    expect(
      configFrom({ TURN_URLS: 'turn:10.0.0.5', TURN_SECRET: SECRET, TURN_CREDENTIAL_TTL_SECONDS: '600' }).iceServers
        .turn?.credentialTtlSeconds,
    ).toBe(600);
  });

  it('refuses TURN relays without the shared secret, and a secret without relays', () => {
    expect(problemsOf({ TURN_URLS: 'turn:turn.example.com' })).toEqual([
      "TURN_SECRET: is required with TURN_URLS (the static-auth-secret of coturn's use-auth-secret)",
    ]);
    expect(problemsOf({ TURN_SECRET: SECRET })).toEqual(['TURN_URLS: is required with TURN_SECRET (turn:host:3478,…)']);
  });

  it('lists every bad URL, a guessable secret and a lifetime out of range, all at once', () => {
    const problems = problemsOf({
      STUN_URLS: 'stun:ok.example.com,https://stun.example.com,turn:relay.example.com',
      TURN_URLS: 'stun:relay.example.com,turn:relay.example.com:99999,turns:relay.example.com?transport=sctp',
      TURN_SECRET: 'short',
      TURN_CREDENTIAL_TTL_SECONDS: '5',
    });
    expect(problems).toEqual([
      'STUN_URLS: "https://stun.example.com" is not a stun: URL (stun:host[:port])',
      'STUN_URLS: "turn:relay.example.com" is not a stun: URL (stun:host[:port])',
      'TURN_URLS: "stun:relay.example.com" is not a turn: or turns: URL (turn:host[:port][?transport=udp|tcp])',
      'TURN_URLS: "turn:relay.example.com:99999" has no valid port (1 to 65535)',
      'TURN_URLS: "turns:relay.example.com?transport=sctp" is not a turn: or turns: URL (turn:host[:port][?transport=udp|tcp])',
      'TURN_SECRET: must be at least 32 characters (generate one: openssl rand -hex 32)',
      expect.stringMatching(/^TURN_CREDENTIAL_TTL_SECONDS: Too small/),
    ]);
  });

  it.each([
    ['stun:stun.example.org', 'stun'],
    ['stun:192.0.2.7:3478', 'stun'],
    ['stun:[2001:db8::7]:3478', 'stun'],
    ['turn:turn.example.com', 'turn'],
    ['turn:192.0.2.7:3478?transport=tcp', 'turn'],
    ['turns:turn.example.com:443?transport=tcp', 'turn'],
  ] as const)('takes %s as a %s URL', (url, kind) => {
    expect(iceUrlProblem(url, kind)).toBeNull();
  });

  it.each([
    ['stun://stun.example.org', 'stun'],
    ['stun:stun.example.org?transport=udp', 'stun'],
    ['stun:', 'stun'],
    ['stun:user@stun.example.org', 'stun'],
    ['turn:turn.example.com:0', 'turn'],
    ['turn:turn.example.com/path', 'turn'],
    ['turn:-bad.example.com', 'turn'],
    ['turn:turn.example.com?transport=udp&x=1', 'turn'],
  ] as const)('refuses %s as a %s URL', (url, kind) => {
    expect(iceUrlProblem(url, kind)).not.toBeNull();
  });
});
