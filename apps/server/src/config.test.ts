import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import webpush from 'web-push';
import { ConfigError, JWT_SECRET_FILE, loadConfig, VAPID_KEYS_FILE } from './config';

const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-config-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration from the environment', () => {
  it('runs with no environment at all: SQLite in DATA_DIR, port 3000, loopback', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.databaseUrl).toBe(`sqlite:${path.join(dataDir, 'parley.db')}`);
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.limits).toEqual({
      bodyBytes: 1_048_576,
      uploadBytes: 5_242_880,
      attachmentBytes: 26_214_400,
      wsFrameBytes: 65_536,
    });
    expect(config.wsFrameRate).toEqual({ perSecond: 20, burst: 40 });
    expect(config.tokens.accessTtlSeconds).toBe(900);
  });

  it('makes a development JWT secret once, keeps it private in DATA_DIR and reuses it', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    const second = loadConfig({ DATA_DIR: dataDir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(second).toBe(first);
    const file = path.join(dataDir, JWT_SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: tempDir() }).jwtSecret).not.toBe(first);
  });

  it('makes a VAPID key pair once and keeps it in DATA_DIR (0600), so push subscriptions survive restarts', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir }).push;
    expect(Buffer.from(first.vapid.publicKey, 'base64url')).toHaveLength(65);
    expect(first.vapid.subject).toMatch(/^mailto:/);
    expect(first.expoPushUrl).toBe('https://exp.host/--/api/v2/push/send');
    expect(loadConfig({ DATA_DIR: dataDir }).push.vapid).toEqual(first.vapid);
    expect(fs.statSync(path.join(dataDir, VAPID_KEYS_FILE)).mode & 0o777).toBe(0o600);
    expect(loadConfig({ DATA_DIR: tempDir() }).push.vapid.publicKey).not.toBe(first.vapid.publicKey);
  });

  it('takes the VAPID keys from the environment over the file, as a cluster must', () => {
    const dataDir = tempDir();
    loadConfig({ DATA_DIR: dataDir });
    const keys = webpush.generateVAPIDKeys();
    const config = loadConfig({
      DATA_DIR: dataDir,
      VAPID_PUBLIC_KEY: keys.publicKey,
      VAPID_PRIVATE_KEY: keys.privateKey,
      VAPID_SUBJECT: 'mailto:ops@example.com',
      EXPO_PUSH_URL: 'http://127.0.0.1:9999/--/api/v2/push/send',
    });
    expect(config.push.vapid).toEqual({ ...keys, subject: 'mailto:ops@example.com' });
    expect(config.push.expoPushUrl).toBe('http://127.0.0.1:9999/--/api/v2/push/send');
  });

  it('refuses half a VAPID setting, keys that do not belong together, and a subject that is no contact', () => {
    const a = webpush.generateVAPIDKeys();
    const b = webpush.generateVAPIDKeys();
    expect(problemsOf({ DATA_DIR: tempDir(), VAPID_PUBLIC_KEY: a.publicKey })).toEqual([
      expect.stringMatching(/^VAPID_PRIVATE_KEY: is required/),
      expect.stringMatching(/^VAPID_SUBJECT: is required/),
    ]);
    expect(
      problemsOf({
        DATA_DIR: tempDir(),
        VAPID_PUBLIC_KEY: a.publicKey,
        VAPID_PRIVATE_KEY: b.privateKey,
        VAPID_SUBJECT: 'http://example.com',
      }).map((p) => p.split(':')[0]),
    ).toEqual(['VAPID_SUBJECT', 'VAPID_PUBLIC_KEY']);
    expect(problemsOf({ DATA_DIR: tempDir(), VAPID_PRIVATE_KEY: 'c2hvcnQ', VAPID_PUBLIC_KEY: 'c2hvcnQ' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^VAPID_PUBLIC_KEY: must be an uncompressed P-256 point/),
        expect.stringMatching(/^VAPID_PRIVATE_KEY: must be a P-256 private key/),
      ]),
    );
  });

  it('refuses to start on a damaged VAPID key file rather than replace the keys browsers subscribed with', () => {
    const dataDir = tempDir();
    fs.writeFileSync(path.join(dataDir, VAPID_KEYS_FILE), '{"publicKey":"x"}');
    expect(problemsOf({ DATA_DIR: dataDir })).toEqual([expect.stringContaining('is not a VAPID key pair')]);
  });

  it('refuses to start in production without JWT_SECRET, saying how to make one', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DATA_DIR: tempDir() });
    expect(problems).toEqual([expect.stringMatching(/^JWT_SECRET: is required when NODE_ENV=production/)]);
  });

  it('uses the given secret in production and listens on every interface', () => {
    const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), DATA_DIR: tempDir() });
    expect(config.jwtSecret).toBe('x'.repeat(40));
    expect(config.host).toBe('0.0.0.0');
  });

  it('lists every problem at once, not just the first', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      DATABASE_URL: 'ftp://example.com/db',
      REDIS_URL: 'http://localhost:6379',
      JWT_SECRET: 'short',
      CORS_ORIGINS: 'https://ok.example, not a url',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'CORS_ORIGINS.1',
      'DATABASE_URL',
      'JWT_SECRET',
      'LOG_LEVEL',
      'PORT',
      'REDIS_URL',
    ]);
  });

  it('reads the per-user rate limits, call signals apart from writes', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).rateLimits).toEqual({
      authPerMinute: 20,
      writesPerMinute: 120,
      readsPerMinute: 1200,
      signalsPerMinute: 600,
    });
    const config = loadConfig({ DATA_DIR: tempDir(), RATE_LIMIT_SIGNALS_PER_MINUTE: '30' });
    expect(config.rateLimits).toMatchObject({ writesPerMinute: 120, signalsPerMinute: 30 });
    expect(problemsOf({ DATA_DIR: tempDir(), RATE_LIMIT_SIGNALS_PER_MINUTE: '0' })).toEqual([
      expect.stringMatching(/^RATE_LIMIT_SIGNALS_PER_MINUTE:/),
    ]);
  });

  it('gives a call 20 s after presence to get a dropped person back, or as told', () => {
    expect(loadConfig({ DATA_DIR: tempDir() }).callDropGraceMs).toBe(20_000);
    expect(loadConfig({ DATA_DIR: tempDir(), CALL_DROP_GRACE_MS: '60000' }).callDropGraceMs).toBe(60_000);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: '', DATA_DIR: tempDir() });
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toMatch(/^sqlite:/);
  });

  it('reads CORS origins as a comma-separated list', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), CORS_ORIGINS: 'http://localhost:8081, https://app.example.com' });
    expect(config.corsOrigins).toEqual(['http://localhost:8081', 'https://app.example.com']);
  });
});
