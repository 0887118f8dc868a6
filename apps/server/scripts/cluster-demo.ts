/**
 * `npm run demo:cluster`: two Parley nodes on one database and one Redis, a client on each,
 * and what crosses between them. Needs PostgreSQL or MariaDB and Redis (defaults: the local
 * ones). Everything it creates lives in a fresh database, dropped at the end.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Session, Ticket } from '@parley/protocol';
import pg from 'pg';
import WebSocket from 'ws';

const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
const SERVER = process.env.DEMO_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const database = `parley_demo_${randomBytes(4).toString('hex')}`;
const env = {
  PATH: process.env.PATH ?? '',
  DATABASE_URL: `${SERVER}/${database}`,
  REDIS_URL: process.env.DEMO_REDIS_URL ?? 'redis://127.0.0.1:6379',
  JWT_SECRET: randomBytes(32).toString('hex'),
  DATA_DIR: `/tmp/${database}`,
  LOG_LEVEL: 'warn',
};

function startNode(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVER_DIR,
    env: { ...env, PORT: String(port) },
  });
  child.stderr.pipe(process.stderr);
  return child;
}

async function waitReady(base: string) {
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/readyz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} did not start`);
}

const post = async <T = unknown>(base: string, path: string, body: object, token?: string): Promise<T> => {
  const response = await fetch(base + path, {
    method: path.startsWith('/tickets/') ? 'PATCH' : 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
};

function client(name: string, base: string, token: string) {
  const ws = new WebSocket(base.replace('http', 'ws') + '/ws', ['parley.v1', token]);
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    const detail = frame.message
      ? `${frame.message.seq}: ${frame.message.body}`
      : frame.ticket
        ? `${frame.ticket.status}/${frame.ticket.priority}`
        : (frame.status ?? frame.seq ?? frame.userId ?? '');
    console.log(`  ${name} <- ${frame.type} ${detail}`);
  });
  return new Promise<WebSocket>((resolve) => ws.once('open', () => resolve(ws)));
}

const pause = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const A = 'http://127.0.0.1:3101';
const B = 'http://127.0.0.1:3102';
const nodeA = startNode(3101);
await waitReady(A); // node A creates and migrates the database
const nodeB = startNode(3102);
await waitReady(B);
console.log(`two nodes up: A ${A}, B ${B}, database ${database}, Redis ${env.REDIS_URL}`);
try {
  const agent = await post<Session>(A, '/auth/register', {
    email: 'agent@demo.test',
    username: 'agent',
    password: 'demo password',
  });
  const customer = await post<Session>(B, '/auth/register', {
    email: 'cust@demo.test',
    username: 'customer',
    password: 'demo password',
  });
  const ticket = await post<Ticket>(
    B,
    '/tickets',
    { subject: 'Cluster demo', description: 'Hello' },
    customer.accessToken,
  );
  await post(A, `/tickets/${ticket.id}`, { assigneeId: agent.user.id }, agent.accessToken);
  console.log('customer connects to A, agent to B:');
  const onA = await client('customer@A', A, customer.accessToken);
  onA.send(JSON.stringify({ type: 'subscribe', conversationId: ticket.conversationId }));
  await pause();
  const onB = await client('agent@B', B, agent.accessToken);
  onB.send(JSON.stringify({ type: 'subscribe', conversationId: ticket.conversationId }));
  await pause();
  onB.send(JSON.stringify({ type: 'typing', conversationId: ticket.conversationId }));
  onA.send(
    JSON.stringify({
      type: 'message.send',
      conversationId: ticket.conversationId,
      clientMsgId: 'a1',
      body: 'Hi, sent to node A',
    }),
  );
  await pause();
  onB.send(
    JSON.stringify({
      type: 'message.send',
      conversationId: ticket.conversationId,
      clientMsgId: 'b1',
      body: 'Hello, sent to node B',
    }),
  );
  await pause();
  console.log('ticket changed over REST on node A:');
  await post(A, `/tickets/${ticket.id}`, { status: 'in_progress', priority: 'urgent' }, agent.accessToken);
  await pause();
  console.log('node A shuts down:');
  onA.on('close', (code) => console.log(`  customer@A closed with ${code} (reconnect elsewhere, resume by seq)`));
  nodeA.kill('SIGTERM');
  await pause(1500);
  onB.close();
} finally {
  nodeA.kill('SIGTERM');
  nodeB.kill('SIGTERM');
  await pause(1000);
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres` });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
}
