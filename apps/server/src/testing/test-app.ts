import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RegisterBody, Role, Session } from '@parley/protocol';
import { buildApp, type AppDeps } from '../app';
import type { Clock } from '../clock';
import { loadConfig, type Config } from '../config';
import { openDatabase, type DatabaseHandle } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import type { ZodApp } from '../http/zod-app';
import type { WorkspaceRow } from '../db/schema';
import { builtInRoleId } from '../workspaces/member-repository';
import { findWorkspaceBySlug, insertMember, insertWorkspace } from '../workspaces/workspace-repository';
import { GENEROUS_LIMITS } from './generous-limits';
import { testPushAgent } from './push-service';
import { createMigratedTestDatabase } from './database-template';
import type { TestDatabase } from './test-database';

export interface TestApp {
  app: ZodApp;
  database: DatabaseHandle;
  config: Config;
  close(): Promise<void>;
}

/** A clock the test moves by hand. */
export function manualClock(start = Date.parse('2026-11-25T12:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

/** The real app on a fresh, migrated database of the current test dialect. */
export async function startTestApp(
  options: {
    clock?: Clock;
    env?: Record<string, string>;
    realtime?: AppDeps['realtime'];
    /** Captures the log lines (set LOG_LEVEL in `env` too: tests are silent by default). */
    logStream?: AppDeps['logStream'];
    /** A database the caller owns (several nodes of one cluster share it); not dropped on close. */
    database?: TestDatabase;
  } = {},
): Promise<TestApp> {
  const testDb = options.database ?? (await createMigratedTestDatabase());
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-data-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: testDb.url,
    LOG_LEVEL: 'silent',
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256',
    // Suites sign many users up from one address; the abuse suites set real limits themselves.
    ...GENEROUS_LIMITS,
    ...options.env,
  });
  const database = await openDatabase(config.databaseUrl, { poolSize: 4 });
  await migrateToLatest(database.db);
  const app = await buildApp({
    config,
    database,
    // Web pushes may go to the tests' own push service (testing/push-service.ts), on loopback TLS.
    push: { web: { agent: testPushAgent() } },
    ...(options.clock && { clock: options.clock }),
    ...(options.realtime && { realtime: options.realtime }),
    ...(options.logStream && { logStream: options.logStream }),
  });
  return {
    app,
    database,
    config,
    async close() {
      await app.close();
      await database.close();
      if (!options.database) await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let userCounter = 0;

/** Registers a user through the API; names are unique within the run. */
export async function registerUser(app: ZodApp, overrides: Partial<RegisterBody> = {}): Promise<Session> {
  userCounter += 1;
  const username = overrides.username ?? `user${userCounter}_${process.pid}`;
  const response = await app.inject({
    method: 'POST',
    url: '/auth/register',
    payload: { email: `${username}@example.com`, username, password: 'correct horse battery', ...overrides },
  });
  if (response.statusCode !== 201) throw new Error(`register failed: ${response.statusCode} ${response.body}`);
  return response.json<Session>();
}

/**
 * A signed-up user with the given role in the default workspace, or in the one `overrides.workspace`
 * names (set directly: there is no self-service for roles). Signs in again, so the session's
 * `user` shows the role and its permissions.
 */
export async function signUp(
  t: TestApp,
  role: Role = 'customer',
  overrides: Partial<RegisterBody> = {},
): Promise<Session> {
  const session = await registerUser(t.app, overrides);
  await setRole(t, session, role);
  return signIn(t, session.user.username, session.user.workspace.slug, overrides.password);
}

/** Signs in through the API, to the workspace named. */
export async function signIn(t: TestApp, login: string, workspace: string, password = 'correct horse battery') {
  const response = await t.app.inject({ method: 'POST', url: '/auth/login', payload: { login, password, workspace } });
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return response.json<Session>();
}

/** Makes the account of `session` a member of workspace `slug` too, with `role`, and signs it in there. */
export async function joinWorkspace(t: TestApp, session: Session, slug: string, role: Role): Promise<Session> {
  const { db } = t.database;
  const ws = { workspaceId: (await findWorkspaceBySlug(db, slug))!.id };
  await insertMember(db, ws, session.user.id, await builtInRoleId(db, ws, role), Date.now());
  return signIn(t, session.user.username, slug);
}

/** Gives the user of `session` a built-in role in the session's workspace. */
export async function setRole(t: TestApp, session: Session, role: Role): Promise<void> {
  const { db } = t.database;
  const workspaceId = session.user.workspace.id;
  const roleRow = await db
    .selectFrom('roles')
    .select('id')
    .where('workspaceId', '=', workspaceId)
    .where('builtIn', '=', role)
    .executeTakeFirstOrThrow();
  await db
    .updateTable('workspaceMembers')
    .set({ roleId: roleRow.id })
    .where('workspaceId', '=', workspaceId)
    .where('userId', '=', session.user.id)
    .execute();
}

/** A second (third, ...) workspace of the installation, open to sign-up so tests can fill it. */
export async function createWorkspace(t: TestApp, slug: string, name = slug): Promise<WorkspaceRow> {
  return insertWorkspace(t.database.db, { slug, name, openSignup: true }, Date.now());
}

export const bearer = (session: { accessToken: string }) => ({ authorization: `Bearer ${session.accessToken}` });

/** Listens on a free loopback port; returns the base URL (http://127.0.0.1:PORT). */
export async function listen(t: TestApp): Promise<string> {
  return t.app.listen({ host: '127.0.0.1', port: 0 });
}
