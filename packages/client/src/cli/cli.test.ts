import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../../../../apps/server/src/testing/test-app';
import { openTicket, setUpDesk } from '../../../../apps/server/src/testing/test-desk';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

/** One terminal running `parley ...` with its own home directory. */
function terminal(home: string, server: string) {
  const run = (...args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...process.env, PARLEY_HOME: home, PARLEY_SERVER: server },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    return {
      child,
      exited,
      output: () => output,
      /** Resolves once the output contains `text`. */
      shows: (text: string) =>
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`never saw "${text}" in:\n${output}`)), 15_000);
          const check = () => output.includes(text) && (clearTimeout(timer), resolve());
          check();
          child.stdout.on('data', check);
          child.stderr.on('data', check);
        }),
    };
  };
  return { run, done: async (...args: string[]) => run(...args).exited.then(() => undefined) };
}

describe('the parley CLI', () => {
  let t: TestApp;
  let server: string;
  let ticketId: string;
  const homes: string[] = [];
  const home = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-'));
    homes.push(dir);
    return dir;
  };

  beforeAll(async () => {
    t = await startTestApp();
    server = await listen(t);
    const desk = await setUpDesk(t);
    ticketId = (await openTicket(t, desk.carla, { subject: 'Printer on fire', teamId: desk.support })).id;
    // Known passwords for the two people at the terminals.
    for (const [who, name] of [
      [desk.carla, 'carla_cli'],
      [desk.sam, 'sam_cli'],
    ] as const) {
      await t.database.db
        .updateTable('users')
        .set({ username: name, usernameKey: name })
        .where('id', '=', who.user.id)
        .execute();
    }
  });
  afterAll(async () => {
    await t.close();
    for (const dir of homes) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds a live conversation between two terminals', async () => {
    const carla = terminal(home(), server);
    const sam = terminal(home(), server);
    await carla.done('login', 'carla_cli', 'correct horse battery');
    await sam.done('login', 'sam_cli', 'correct horse battery');

    const carlaTail = carla.run('tail', ticketId);
    const samTail = sam.run('tail', ticketId);
    await Promise.all([carlaTail.shows('-- live'), samTail.shows('-- live')]);
    carlaTail.child.stdin.write('Smoke is coming out of the tray\n');
    await samTail.shows(': Smoke is coming out of the tray');
    samTail.child.stdin.write('Unplug it, I am on my way\n');
    await carlaTail.shows(': Unplug it, I am on my way');
    carlaTail.child.stdin.end();
    samTail.child.stdin.end();
    await Promise.all([carlaTail.exited, samTail.exited]);

    // Each line landed exactly once, in order.
    const thread = sam.run('tail', ticketId);
    thread.child.stdin.end();
    await thread.exited;
    const lines = thread
      .output()
      .split('\n')
      .filter((l) => /Smoke|Unplug/.test(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[\d+\] Carla: Smoke is coming out of the tray$/);
    expect(lines[1]).toMatch(/^\[\d+\] Sam Agent: Unplug it, I am on my way$/);
  });

  it('says what went wrong, with the exit code', async () => {
    const stranger = terminal(home(), server);
    const login = stranger.run('login', 'nobody', 'wrong password');
    expect(await login.exited).toBe(1);
    expect(login.output()).toContain('invalid_credentials');
    const usage = stranger.run('frobnicate');
    expect(await usage.exited).toBe(2);
    expect(usage.output()).toContain('parley tail');
  });
});
