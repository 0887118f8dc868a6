import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoOrg } from '../../../apps/server/src/db/seed';
import { systemClock } from '../../../apps/server/src/clock';
import { listen, startTestApp, type TestApp } from '../../../apps/server/src/testing/test-app';

const EXAMPLE = fileURLToPath(new URL('../examples/hello.ts', import.meta.url));
const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe('the SDK example in the README', () => {
  let t: TestApp;
  let server: string;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemoOrg(t.database.db, systemClock, t.config.dataDir);
    server = await listen(t);
  });
  afterAll(() => t.close());

  it('is the example file, word for word', () => {
    expect(fs.readFileSync(README, 'utf8')).toContain(fs.readFileSync(EXAMPLE, 'utf8'));
  });

  it('runs as written against the demo data: the message comes back live', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', EXAMPLE], {
      env: { ...process.env, PARLEY_SERVER: server },
      timeout: 15_000,
    });
    expect(stdout.trim().split('\n')).toEqual(['#1 Sent through the outbox: stored, acked, never duplicated']);
  });
});
