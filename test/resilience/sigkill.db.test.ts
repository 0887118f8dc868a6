import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../apps/server/src/db/connect';
import { GENEROUS_LIMITS } from '../../apps/server/src/testing/generous-limits';
import { startServerProcess, type ServerProcess } from '../../apps/server/src/testing/server-process';
import { copyMigratedTemplate } from '../../apps/server/src/testing/database-template';
import { createTestDatabase, TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { chatClient, oneTo, PASSWORD, seqsOf, type ChatClient } from './chat-client';

const MESSAGES = 300;

/**
 * The server process dies without warning (SIGKILL: no shutdown hook runs) in the middle of a
 * burst of sends, and comes back. Acked means committed: every acked message is in the
 * database exactly once, and the client's outbox re-sends the rest, which land once too.
 */
describe(`the server killed mid-burst on ${TEST_DIALECT}`, () => {
  const testDb = createTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-sigkill-'));
  let env: Record<string, string>;
  let server: ServerProcess;
  let baseUrl: string;
  let ticket: Ticket;
  let sender: ChatClient;
  let watcher: ChatClient;

  beforeAll(async () => {
    await copyMigratedTemplate(testDb);
    env = {
      DATABASE_URL: testDb.url,
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      JWT_SECRET: 'sigkill-test-secret-that-outlives-the-process',
      ...GENEROUS_LIMITS,
      // The burst is the point here; frame rate limits have their own tests.
      WS_FRAMES_PER_SECOND: '100000',
      WS_FRAME_BURST: '100000',
    };
    server = startServerProcess(env);
    baseUrl = await server.listening;
    const admin = await register(baseUrl, 'ada'); // the first account: the admin
    const customer = await register(baseUrl, 'carla');
    const opened = await fetch(`${baseUrl}/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${customer.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'Printer on fire', description: 'Really.' }),
    });
    ticket = (await opened.json()) as Ticket;
    sender = await chatClient(baseUrl, customer.user.username);
    watcher = await chatClient(baseUrl, admin.user.username, [ticket.conversationId]);
  });
  afterAll(async () => {
    sender?.close();
    watcher?.close();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await testDb.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('loses no acked message and duplicates none; the rest are re-sent and land once, in order', async () => {
    const sent = await sender.send(
      ticket.conversationId,
      oneTo(MESSAGES).map((i) => `burst ${i}`),
    );
    await expect.poll(() => sender.acked.size, { timeout: 20_000, interval: 5 }).toBeGreaterThanOrEqual(60);
    server.child.kill('SIGKILL');
    await server.exited;
    const ackedBeforeKill = [...sender.acked.keys()];
    expect(ackedBeforeKill.length).toBeLessThan(MESSAGES); // it did die mid-burst

    const stored = await storedClientMsgIds(testDb.url, ticket.conversationId);
    for (const id of ackedBeforeKill) expect(stored.filter((s) => s === id)).toHaveLength(1);

    server = startServerProcess(env);
    await server.listening;
    await sender.drained(30_000); // the SDK reconnected by itself and re-sent its outbox

    expect(await storedClientMsgIds(testDb.url, ticket.conversationId)).toEqual(sent);
    expect(sender.acked.size).toBe(MESSAGES);
    // A reader across the crash resumed by seq: everything, once, in order.
    await expect.poll(() => seqsOf(watcher, ticket.conversationId), { timeout: 10_000 }).toEqual(oneTo(MESSAGES));
    expect(watcher.opened()).toBe(2);
  }, 90_000); // its own waits add up to a minute on a loaded machine: a server restarts in it
});

async function register(baseUrl: string, name: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `${name}@example.com`, username: name, password: PASSWORD }),
  });
  if (response.status !== 201) throw new Error(`register ${name}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Session;
}

/** Read straight from the database, in seq order, as the next process will find it. */
async function storedClientMsgIds(url: string, conversationId: string): Promise<(string | null)[]> {
  const database = await openDatabase(url);
  try {
    const rows = await database.db
      .selectFrom('messages')
      .select('clientMsgId')
      .where('conversationId', '=', conversationId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => r.clientMsgId);
  } finally {
    await database.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
