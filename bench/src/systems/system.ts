import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { Kysely } from 'kysely';
import { buildServer } from '../../../apps/server/scripts/build';
import { openDatabase } from '../../../apps/server/src/db/connect';
import type { Dialect } from '../../../apps/server/src/db/database-url';
import { GENEROUS_LIMITS } from '../../../apps/server/src/testing/generous-limits';
import { createTestDatabase } from '../../../apps/server/src/testing/test-database';
import type { DriverName } from '../load/drivers';
import { createParleyFixtures } from './parley-fixtures';
import { startProcess, type RunningProcess } from './process';
import type { TownPlan } from './town-plan';

export type SystemName = 'parley' | 'ceiling' | 'peer';
export type RoomKind = 'ticket' | 'direct' | 'group';

/** A room and the tokens of the members who may join it and write to it. */
export interface BenchRoom {
  id: string;
  tokens: string[];
}

/** One HTTP request for the `rest` scenario. */
export interface RestTarget {
  name: 'ticket search' | 'message history';
  url: string;
  headers: Record<string, string>;
}

export interface SystemUnderTest {
  system: SystemName;
  db: Dialect | null;
  driver: DriverName;
  nodes: RunningProcess[];
  rooms(count: number, members: number, kind: RoomKind): Promise<BenchRoom[]>;
  /** Tokens of users in no room (the idle scenario). */
  users(count: number): Promise<string[]>;
  /** What `rest` asks of this system; the ones it has no counterpart for are left out. */
  restTargets(): Promise<RestTarget[]>;
  /**
   * Parley only: seeds the `reports` desk and answers where its API is, an admin's headers and
   * those of an agent who sees only the tickets assigned to them.
   */
  reportDesk?(
    tickets: number,
    messagesPerTicket: number,
  ): Promise<{ baseUrl: string; headers: Record<string, string>; agentHeaders: Record<string, string> }>;
  /** Parley only: seeds a town's people and rooms; each person's token and room ids, by index. */
  town?(plan: TownPlan): Promise<{ tokens: string[]; rooms: string[][] }>;
  /**
   * Stops every server process and starts it again over the same database (`nodes` then holds
   * the new ones); answers the milliseconds from starting them until all were up.
   */
  restart(): Promise<number>;
  stop(): Promise<void>;
}

export interface StartOptions {
  db: Dialect | null;
  nodes: number;
  redisUrl?: string;
  logDir: string;
  /** Write a V8 CPU profile of each server process here (`node --cpu-prof`). */
  profileDir?: string;
}

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const urlFromLine = (pattern: RegExp) => (output: string) => {
  const port = pattern.exec(output)?.[1];
  return port ? `http://127.0.0.1:${port}` : undefined;
};

/** Starts the nodes one after another: the first migrates (or creates tables), the rest find them. */
async function startNodes(count: number, start: (i: number) => Promise<RunningProcess>) {
  const nodes: RunningProcess[] = [];
  try {
    for (let i = 0; i < count; i++) nodes.push(await start(i));
  } catch (error) {
    await Promise.all(nodes.map((n) => n.stop()));
    throw error;
  }
  return nodes;
}

/**
 * The nodes, and how to restart them all, each on the port it had (clients reconnect where they
 * were). `start` is told the port (`0` at first: any free one) and which launch it is (0 the
 * first), so that a restarted server's log goes beside the first one's, not over it.
 */
async function restartableNodes(
  count: number,
  start: (i: number, at: { port: string; launch: number }) => Promise<RunningProcess>,
) {
  let launch = 0;
  const nodes = await startNodes(count, (i) => start(i, { port: '0', launch }));
  return {
    nodes,
    async restart() {
      const ports = nodes.map((n) => new URL(n.url).port);
      await Promise.all(nodes.map((n) => n.stop()));
      launch++;
      const began = performance.now();
      nodes.splice(0, nodes.length, ...(await startNodes(count, (i) => start(i, { port: ports[i]!, launch }))));
      return performance.now() - began;
    },
  };
}

const logName = (name: string, launch: number) => `${name}${launch === 0 ? '' : `-restart${launch}`}.log`;

/**
 * One folder per server: V8 writes a profile per thread (tsx's loader, where there is one, has
 * its own). Flags in BENCH_SERVER_NODE_ARGS go to every Parley server too (`--trace-gc` puts
 * each pause in its log).
 */
const profileArgs = (opts: StartOptions, name: string) => [
  ...(opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(opts.profileDir, `${name}-${Date.now()}`)}`] : []),
  ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
];

export async function startParley(opts: StartOptions): Promise<SystemUnderTest> {
  const database = createTestDatabase(opts.db ?? 'sqlite');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-bench-'));
  const jwtSecret = crypto.randomBytes(32).toString('hex');
  const env = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    JWT_SECRET: jwtSecret,
    // The per-socket frame limit is a policy, not a speed: lift it so max-rate senders measure the server.
    WS_FRAMES_PER_SECOND: '1000000',
    WS_FRAME_BURST: '1000000',
    // Likewise the abuse limits: the load comes from one address and few users.
    ...GENEROUS_LIMITS,
    ...(opts.redisUrl && { REDIS_URL: opts.redisUrl }),
  };
  // As `npm start` runs it, compiled (scripts/build.ts); from the sources when profiled, so a
  // profile names each file.
  const entry = opts.profileDir ? 'src/main.ts' : await buildServer();
  const { nodes, restart } = await restartableNodes(opts.nodes, (i, { port, launch }) =>
    startProcess({
      entry,
      cwd: path.join(ROOT, 'apps/server'),
      env: { ...env, PORT: port },
      logFile: path.join(opts.logDir, logName(`parley-${opts.db}-${i}`, launch)),
      nodeArgs: ['--enable-source-maps', ...profileArgs(opts, `parley-${opts.db}-${i}`)],
      urlFrom: urlFromLine(/Parley is up: http:\/\/127\.0\.0\.1:(\d+)/),
    }),
  );
  const handle = await openDatabase(database.url, { poolSize: 2 });
  const fixtures = createParleyFixtures(handle.db, jwtSecret);
  return {
    system: 'parley',
    db: opts.db,
    driver: 'parley',
    nodes,
    rooms: (count, members, kind) => fixtures.rooms(count, members, kind),
    users: async (count) => (await fixtures.users(count, 'agent')).map((u) => u.token),
    async restTargets() {
      const { token, conversationId } = await fixtures.history(1000, 1000);
      const headers = { authorization: `Bearer ${token}` };
      return [
        { name: 'ticket search', url: `${nodes[0]!.url}/tickets?q=printer&limit=50`, headers },
        { name: 'message history', url: `${nodes[0]!.url}/conversations/${conversationId}/messages?limit=50`, headers },
      ];
    },
    async reportDesk(tickets, messagesPerTicket) {
      const { token, agentToken } = await fixtures.reportDesk(tickets, messagesPerTicket);
      return {
        baseUrl: nodes[0]!.url,
        headers: { authorization: `Bearer ${token}` },
        agentHeaders: { authorization: `Bearer ${agentToken}` },
      };
    },
    town: (plan) => fixtures.town(plan),
    restart,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await handle.close();
      await database.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let roomSerial = 0;
const namedRooms = (count: number, members: number, token: () => Promise<string>) =>
  Promise.all(
    Array.from({ length: count }, async () => ({
      id: `room${++roomSerial}`,
      tokens: await Promise.all(Array.from({ length: members }, token)),
    })),
  );

export async function startCeiling(opts: StartOptions): Promise<SystemUnderTest> {
  const { nodes, restart } = await restartableNodes(opts.nodes, (i, { port, launch }) =>
    startProcess({
      entry: 'baselines/ws-broadcast.ts',
      cwd: path.join(ROOT, 'bench'),
      env: { PORT: port, ...(opts.redisUrl && { REDIS_URL: opts.redisUrl }) },
      logFile: path.join(opts.logDir, logName(`ceiling-${i}`, launch)),
      nodeArgs: profileArgs(opts, `ceiling-${i}`),
      urlFrom: urlFromLine(/listening on (\d+)/),
    }),
  );
  return {
    system: 'ceiling',
    db: null,
    driver: 'ceiling',
    nodes,
    rooms: (count, members) => namedRooms(count, members, async () => 'none'),
    users: async (count) => Array.from({ length: count }, () => 'none'),
    restTargets: async () =>
      (['ticket search', 'message history'] as const).map((name) => ({
        name,
        url: `${nodes[0]!.url}/page`,
        headers: {},
      })),
    restart,
    stop: async () => void (await Promise.all(nodes.map((n) => n.stop()))),
  };
}

export async function startPeer(opts: StartOptions): Promise<SystemUnderTest> {
  const database = createTestDatabase(opts.db ?? 'sqlite');
  const secret = crypto.randomBytes(32).toString('hex');
  const key = new TextEncoder().encode(secret);
  let userSerial = 0;
  const token = () =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(`user${++userSerial}`)
      .setExpirationTime('1h')
      .sign(key);
  const { nodes, restart } = await restartableNodes(opts.nodes, (i, { port, launch }) =>
    startProcess({
      entry: 'baselines/socketio-server.ts',
      cwd: path.join(ROOT, 'bench'),
      env: {
        PORT: port,
        DATABASE_URL: database.url,
        PEER_JWT_SECRET: secret,
        ...(opts.redisUrl && { REDIS_URL: opts.redisUrl }),
      },
      logFile: path.join(opts.logDir, logName(`peer-${opts.db}-${i}`, launch)),
      nodeArgs: profileArgs(opts, `peer-${opts.db}-${i}`),
      urlFrom: urlFromLine(/listening on (\d+)/),
    }),
  );
  return {
    system: 'peer',
    db: opts.db,
    driver: 'peer',
    nodes,
    rooms: (count, members) => namedRooms(count, members, token),
    users: (count) => Promise.all(Array.from({ length: count }, token)),
    async restTargets() {
      const [room] = await namedRooms(1, 1, token);
      const handle = await openDatabase(database.url, { poolSize: 1 });
      const at = Date.now();
      const rows = Array.from({ length: 1000 }, (_, i) => ({
        room: room!.id,
        sender_id: 'user1',
        body: `Message ${i + 1}: `.padEnd(100, 'lorem ipsum '),
        created_at: at + i,
      }));
      const peerDb = handle.db.withoutPlugins() as unknown as Kysely<{
        peer_messages: (typeof rows)[number];
      }>;
      for (let i = 0; i < rows.length; i += 500)
        await peerDb
          .insertInto('peer_messages')
          .values(rows.slice(i, i + 500))
          .execute();
      await handle.close();
      return [
        {
          name: 'message history',
          url: `${nodes[0]!.url}/rooms/${room!.id}/messages`,
          headers: { authorization: `Bearer ${room!.tokens[0]}` },
        },
      ];
    },
    restart,
    async stop() {
      await Promise.all(nodes.map((n) => n.stop()));
      await database.drop();
    },
  };
}

export const START: Record<SystemName, (opts: StartOptions) => Promise<SystemUnderTest>> = {
  parley: startParley,
  ceiling: startCeiling,
  peer: startPeer,
};
