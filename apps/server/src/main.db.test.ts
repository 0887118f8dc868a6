import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Me, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_ENTRY, buildServer } from '../scripts/build';
import { startServerProcess } from './testing/server-process';
import { createTestDatabase, TEST_DIALECT } from './testing/test-database';

describe(`the server process (npm start: the built server) on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-main-'));
  let server: ReturnType<typeof startServerProcess>;
  let child: ChildProcess;

  beforeAll(async () => {
    await buildServer();
    server = startServerProcess({ DATABASE_URL: testDb.url, DATA_DIR: dataDir, PORT: '0' }, { built: true });
    child = server.child;
  }, 30_000);
  afterAll(async () => {
    child.kill('SIGKILL');
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates and migrates its database, then serves a register/login round trip', async () => {
    const base = await server.listening;
    const post = (url: string, body: object) =>
      fetch(base + url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const registered = await post('/auth/register', {
      email: 'ops@example.com',
      username: 'ops',
      password: 'a fine password',
    });
    expect(registered.status).toBe(201);
    const login = await post('/auth/login', { login: 'ops', password: 'a fine password' });
    const { accessToken, user } = (await login.json()) as Session;
    expect(user.role).toBe('admin');
    const me = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(((await me.json()) as Me).username).toBe('ops');
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/docs`)).status).toBe(200);
    // The development JWT secret was made and kept in DATA_DIR.
    expect(fs.existsSync(path.join(dataDir, 'jwt-secret'))).toBe(true);
  });

  it('shuts down cleanly on SIGTERM and frees its port', async () => {
    const base = await server.listening;
    child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain('"signal":"SIGTERM"');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('refuses to start in production without JWT_SECRET, saying why', async () => {
    const refused = startServerProcess(
      { NODE_ENV: 'production', DATABASE_URL: testDb.url, DATA_DIR: dataDir, PORT: '0' },
      { built: true },
    );
    expect(await refused.exited).toBe(1);
    expect(refused.output()).toMatch(/Invalid configuration:\n {2}- JWT_SECRET: is required when NODE_ENV=production/);
  });

  it('is built with a source map, so its stack traces name the TypeScript sources', () => {
    expect(fs.readFileSync(BUILT_ENTRY, 'utf8')).toMatch(/\/\/# sourceMappingURL=main\.js\.map\s*$/);
    const map = JSON.parse(fs.readFileSync(`${BUILT_ENTRY}.map`, 'utf8')) as { sources: string[] };
    expect(map.sources).toEqual(expect.arrayContaining(['../src/main.ts', '../../../packages/protocol/src/index.ts']));
  });
});
