import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENEROUS_LIMITS } from '../testing/generous-limits';
import { callNode, startServerProcess, type ServerProcess } from '../testing/server-process';
import { copyMigratedTemplate } from '../testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../testing/test-database';

const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL;

/**
 * Each node knows which events its workspaces' rules listen for (so a reply no rule listens for
 * costs nothing); a rule added on one node reaches what the other knows through Redis.
 */
describe.skipIf(TEST_DIALECT === 'sqlite' || !REDIS_URL)(`automation rules on two nodes, ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-rules-cluster-'));
  const env = {
    DATABASE_URL: testDb.url,
    REDIS_URL: REDIS_URL!,
    DATA_DIR: dataDir,
    PORT: '0',
    JWT_SECRET: 'cluster-test-secret-shared-by-both-nodes',
    JOB_POLL_INTERVAL_MS: '200',
    ...GENEROUS_LIMITS,
  };
  let nodeA: ServerProcess;
  let nodeB: ServerProcess;
  let a: string;
  let b: string;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    nodeA = startServerProcess(env);
    a = await nodeA.listening;
    nodeB = startServerProcess(env);
    b = await nodeB.listening;
  }, 60_000);
  afterAll(async () => {
    for (const node of [nodeA, nodeB]) node?.child.kill('SIGKILL');
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('a rule added on node A runs for a reply sent on node B, which knew the workspace had none', async () => {
    const ada = await callNode<Session>(a, 'POST', '/auth/register', undefined, {
      email: 'ada@r.test',
      username: 'ada',
      password: 'cluster pass',
    });
    const carla = await callNode<Session>(b, 'POST', '/auth/register', undefined, {
      email: 'carla@r.test',
      username: 'carla',
      password: 'cluster pass',
    });
    const ticket = await callNode<Ticket>(a, 'POST', '/tickets', carla.accessToken, {
      subject: 'Two nodes',
      description: 'Hello rules',
    });
    const reply = (clientMsgId: string) =>
      callNode(b, 'POST', `/conversations/${ticket.conversationId}/messages`, ada.accessToken, {
        clientMsgId,
        body: 'Staff reply',
      });
    // Node B learns that the workspace has no rules.
    await reply('first');
    await pause(1_000);

    await callNode(a, 'POST', '/automation-rules', ada.accessToken, {
      name: 'Staff replied',
      event: { type: 'message.agent' },
      actions: [{ type: 'add_note', body: 'Staff replied' }],
    });
    await pause(500);
    await reply('second');
    await expect
      .poll(
        async () =>
          (
            await callNode<{ items: Message[] }>(
              a,
              'GET',
              `/conversations/${ticket.conversationId}/messages`,
              ada.accessToken,
            )
          ).items.filter((m) => m.kind === 'note').length,
        { timeout: 15_000, interval: 250 },
      )
      .toBe(1);
  }, 60_000);
});
