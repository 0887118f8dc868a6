import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, signIn, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';
import { runOperatorCommand } from './operator-commands';

/** `npm run operator`: the one way to make an operator, with exit codes a script can trust. */
describe(`the operator CLI on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runOperatorCommand(
      argv,
      { db: t.database.db, clock: { now: () => Date.now() } },
      { out: (line) => out.push(line), err: (line) => err.push(line) },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates an operator account that may then use the operator routes (0)', async () => {
    const created = await run(
      'create',
      '--email',
      'Ops@Example.com',
      '--username',
      'ops',
      '--password',
      'long password',
    );
    expect(created).toMatchObject({ code: 0, out: expect.stringContaining('created operator ops') });
    const ops = await signIn(t, 'ops@example.com', 'default', 'long password');
    // The installation's first account: also the default workspace's admin, as any first account is.
    expect(ops.user.role).toBe('admin');
    expect((await as(t, ops).get('/operator/workspaces')).statusCode).toBe(200);
  });

  it('refuses a taken email or username, and invalid input (1)', async () => {
    expect(
      (await run('create', '--email', 'ops@example.com', '--username', 'other', '--password', 'long password')).code,
    ).toBe(1);
    expect(
      (await run('create', '--email', 'x@example.com', '--username', 'OPS', '--password', 'long password')).code,
    ).toBe(1);
    expect(
      (await run('create', '--email', 'not-an-email', '--username', 'bad', '--password', 'long password')).code,
    ).toBe(1);
    expect((await run('create', '--email', 'y@example.com', '--username', 'short', '--password', 'x')).code).toBe(1);
    expect((await run('grant', '--login', 'nobody')).code).toBe(1);
  });

  it('answers usage errors with 2', async () => {
    for (const argv of [
      [],
      ['explode'],
      ['create', '--email', 'a@b.example'],
      ['grant'],
      ['list', 'extra'],
      ['create', '--bogus'],
    ]) {
      const result = await run(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err).toContain('usage: npm run operator');
    }
  });

  it('grants and revokes an existing account; list shows who is one', async () => {
    const ann = await registerUser(t.app, { username: 'ann' });
    expect((await as(t, ann).get('/operator/workspaces')).statusCode).toBe(403);
    expect((await run('grant', '--login', 'ANN')).code).toBe(0);
    expect((await run('grant', '--login', 'ann')).code).toBe(0); // again: no change, no error
    expect((await as(t, ann).get('/operator/workspaces')).statusCode).toBe(200);
    expect((await run('list')).out).toMatch(/ops[\s\S]*ann/);
    expect((await run('revoke', '--login', 'ann@example.com')).code).toBe(0);
    expect((await as(t, ann).get('/operator/workspaces')).statusCode).toBe(403);
  });

  it.skipIf(TEST_DIALECT !== 'sqlite')(
    'exits with those codes as a process too',
    async () => {
      const cli = path.join(import.meta.dirname, 'operator-cli.ts');
      const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: t.config.databaseUrl, JWT_SECRET: 'x'.repeat(40) };
      const exec = promisify(execFile);
      const ok = await exec(
        'npx',
        ['tsx', cli, 'create', '--email', 'p@example.com', '--username', 'proc', '--password', 'long password'],
        { env },
      );
      expect(ok.stdout).toContain('created operator proc');
      const usage = await exec(process.execPath, ['--import', 'tsx', cli], { env }).catch(
        (error: { code: number; stderr: string }) => error,
      );
      expect(usage).toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
    },
    60_000,
  );
});
