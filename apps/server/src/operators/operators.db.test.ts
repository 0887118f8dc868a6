import fs from 'node:fs';
import path from 'node:path';
import type { CreatedWorkspace, OperatorWorkspace, OperatorWorkspaceList, Session } from '@parley/protocol';
import { CLOSE_CODES } from '@parley/protocol';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_TABLES } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import { WORKSPACE_CLOSED } from '../realtime/fan-out';
import { bearer, listen, registerUser, signIn, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket } from '../testing/ws-client';
import { pngImage as png, uploadImage as uploadAs } from '../testing/upload-image';
import { runOperatorCommand } from './operator-commands';
import { DELETION_ORDER } from './workspace-deletion';

const quiet = { out: () => {}, err: () => {} };

describe(`installation operators on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let operator: Session;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    const code = await runOperatorCommand(
      ['create', '--email', 'olga@example.com', '--username', 'olga', '--password', 'operator password'],
      { db: t.database.db, clock: { now: () => Date.now() } },
      quiet,
    );
    expect(code).toBe(0);
    operator = await signIn(t, 'olga', 'default', 'operator password');
  });
  afterAll(() => t.close());

  const createWs = async (slug: string, extra: object = {}) => {
    const response = await as(t, operator).post('/operator/workspaces', { slug, name: `Acme ${slug}`, ...extra });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CreatedWorkspace>();
  };
  /** Registers someone through the admin invite of a new workspace: its first admin. */
  const firstAdminOf = async (created: CreatedWorkspace, username: string) => {
    const session = await registerUser(t.app, { username, invite: created.adminInvite.token });
    expect(session.user).toMatchObject({ role: 'admin', workspace: { id: created.workspace.workspace.id } });
    return session;
  };

  it('is an account like any other: a customer of the default workspace, not its admin', () => {
    expect(operator.user).toMatchObject({ role: 'customer', workspace: { slug: 'default' } });
  });

  it('only operators reach the operator routes: an admin of the workspace gets 403', async () => {
    for (const who of [desk.admin, desk.sam, desk.carla]) {
      const calls = [
        as(t, who).get('/operator/workspaces'),
        as(t, who).post('/operator/workspaces', { slug: 'sneaky', name: 'Sneaky' }),
        as(t, who).patch(`/operator/workspaces/${desk.admin.user.workspace.id}`, { name: 'Taken over' }),
        as(t, who).delete(`/operator/workspaces/${desk.admin.user.workspace.id}`),
      ];
      for (const response of await Promise.all(calls)) expect(response.statusCode, response.body).toBe(403);
    }
    const unsigned = await t.app.inject({ method: 'GET', url: '/operator/workspaces' });
    expect(unsigned.statusCode).toBe(401);
    expect((await as(t, operator).get('/operator/workspaces')).statusCode).toBe(200);
  });

  it('cannot be made over HTTP: isOperator in a sign-up or a profile change is ignored', async () => {
    const sneaky = await registerUser(t.app, { username: 'sneaky', isOperator: true, is_operator: 1 } as never);
    await as(t, sneaky).patch('/me', { displayName: 'Sneaky', isOperator: true });
    expect((await as(t, sneaky).get('/operator/workspaces')).statusCode).toBe(403);
    const rows = await t.database.db.selectFrom('operators').select('userId').execute();
    expect(rows.map((r) => r.userId)).toEqual([operator.user.id]);
  });

  it('creates a workspace with its roles and an invite that makes its first admin', async () => {
    const created = await createWs('acme', { openSignup: true });
    expect(created.workspace).toMatchObject({
      workspace: { slug: 'acme', name: 'Acme acme', accentColor: null, logoUrl: null },
      openSignup: true,
      suspended: false,
      memberCount: 0,
      ticketCount: 0,
    });
    expect(created.adminInvite).toMatchObject({ path: `/join/${created.adminInvite.token}` });
    expect(created.adminInvite.invite).toMatchObject({ role: { name: 'Admin' }, maxUses: 1, state: 'active' });
    const admin = await firstAdminOf(created, 'acme_admin');
    expect(admin.user.permissions).toContain('settings.manage');
    // Single use: the link is spent.
    const again = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: {
        email: 'late@example.com',
        username: 'late',
        password: 'correct horse battery',
        invite: created.adminInvite.token,
      },
    });
    expect(again.statusCode).toBe(404);
    // Open sign-up: customers may come in by the slug.
    const customer = await registerUser(t.app, { username: 'acme_customer', workspace: 'acme' });
    await openTicket(t, customer);
    const list = (await as(t, operator).get('/operator/workspaces')).json<OperatorWorkspaceList>();
    const acme = list.items.find((w) => w.workspace.slug === 'acme');
    expect(acme).toMatchObject({ memberCount: 2, ticketCount: 1 });
    const home = list.items.find((w) => w.workspace.slug === 'default');
    expect(home?.memberCount).toBe(8); // the desk's six, Olga and Sneaky
  });

  it('refuses a slug that is taken, and bad slugs', async () => {
    const taken = await as(t, operator).post('/operator/workspaces', { slug: 'default', name: 'Again' });
    expect(taken.statusCode).toBe(409);
    const bad = await as(t, operator).post('/operator/workspaces', { slug: 'Not A Slug', name: 'Bad' });
    expect(bad.statusCode).toBe(400);
  });

  it('suspends a workspace: its sockets close, nobody signs in or refreshes there; resuming lets them back', async () => {
    const created = await createWs('paused');
    const admin = await firstAdminOf(created, 'paused_admin');
    const socket = await connectSocket(base, admin.accessToken);
    await socket.next('ready');

    const suspended = await as(t, operator).patch(`/operator/workspaces/${created.workspace.workspace.id}`, {
      suspended: true,
    });
    expect(suspended.json<OperatorWorkspace>()).toMatchObject({ suspended: true, memberCount: 1 });
    expect(await socket.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: WORKSPACE_CLOSED });
    expect((await as(t, admin).get('/me')).statusCode).toBe(401);
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: 'paused_admin', password: 'correct horse battery', workspace: 'paused' },
    });
    expect(login.statusCode).toBe(401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/auth/refresh',
      payload: { refreshToken: admin.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
    // Other workspaces go on.
    expect((await as(t, desk.admin).get('/me')).statusCode).toBe(200);

    await as(t, operator).patch(`/operator/workspaces/${created.workspace.workspace.id}`, { suspended: false });
    expect((await signIn(t, 'paused_admin', 'paused')).user.workspace.slug).toBe('paused');
  });

  it('renames a workspace: its open apps hear the new name', async () => {
    const created = await createWs('renamed');
    const admin = await firstAdminOf(created, 'renamed_admin');
    const socket = await connectSocket(base, admin.accessToken);
    await socket.next('ready');
    await as(t, operator).patch(`/operator/workspaces/${created.workspace.workspace.id}`, { name: 'New Name' });
    expect((await socket.next('workspace.updated')).workspace).toMatchObject({ slug: 'renamed', name: 'New Name' });
    await socket.close();
  });

  it('never suspends or deletes the default workspace', async () => {
    const id = desk.admin.user.workspace.id;
    expect((await as(t, operator).patch(`/operator/workspaces/${id}`, { suspended: true })).statusCode).toBe(409);
    expect((await as(t, operator).delete(`/operator/workspaces/${id}`)).statusCode).toBe(409);
    expect((await as(t, desk.admin).get('/me')).statusCode).toBe(200);
  });

  it('knows how to delete every table of a workspace', () => {
    const covered = DELETION_ORDER.map(([table]) => table);
    expect([...WORKSPACE_TABLES].filter((table) => !covered.includes(table))).toEqual([]);
  });

  it('deletes a workspace: suspended at once, every row and file gone when the job ran, others untouched', async () => {
    const created = await createWs('doomed', { openSignup: true });
    const id = created.workspace.workspace.id;
    await firstAdminOf(created, 'doomed_admin');
    const doomed = await setUpDesk(t, { workspace: 'doomed' });
    const ticket = await openTicket(t, doomed.carla, { teamId: doomed.support });
    await as(t, doomed.sam).post(`/conversations/${ticket.conversationId}/messages`, { clientMsgId: 'd1', body: 'Hi' });
    const attachment = await uploadAs(
      t,
      doomed.carla,
      'POST',
      `/conversations/${ticket.conversationId}/attachments`,
      await png(),
    );
    expect(attachment.statusCode).toBe(201);
    const logo = await uploadAs(t, doomed.admin, 'PUT', '/workspace/logo', await png());
    expect(logo.statusCode).toBe(200);
    await as(t, doomed.admin).post('/invites', { role: 'agent', expiresInHours: 24 });
    await as(t, doomed.admin).patch('/settings', { customersMayChooseUrgent: true });
    // Carla's copy of her data: a file of its own, outside the uploads.
    expect((await as(t, doomed.carla).post('/me/data-exports')).statusCode).toBe(202);
    await t.app.jobs.runDueJobs();
    const exported = await t.database.db
      .selectFrom('dataExports')
      .select('storageKey')
      .where('workspaceId', '=', id)
      .executeTakeFirstOrThrow();
    const zip = path.join(t.config.dataDir, 'exports', `${exported.storageKey}.zip`);
    expect(fs.existsSync(zip)).toBe(true);
    const socket = await connectSocket(base, doomed.sam.accessToken);
    await socket.next('ready');
    const before = await rowCounts(t, desk.admin.user.workspace.id);

    const response = await as(t, operator).delete(`/operator/workspaces/${id}`);
    expect(response.statusCode, response.body).toBe(202);
    // At once: suspended, its sockets closed, out of the operators' list, gone for a second delete.
    expect((await socket.closed).reason).toBe(WORKSPACE_CLOSED);
    expect((await as(t, doomed.admin).get('/me')).statusCode).toBe(401);
    const list = (await as(t, operator).get('/operator/workspaces')).json<OperatorWorkspaceList>();
    expect(list.items.map((w) => w.workspace.slug)).not.toContain('doomed');
    expect((await as(t, operator).delete(`/operator/workspaces/${id}`)).statusCode).toBe(404);
    expect(Object.values(await rowCounts(t, id)).some((n) => n > 0)).toBe(true);

    const report = await t.app.jobs.runDueJobs();
    expect(report.failed).toBe(0);
    expect(await rowCounts(t, id)).toEqual(Object.fromEntries(DELETION_ORDER.map(([table]) => [table, 0])));
    const row = await t.database.db.selectFrom('workspaces').select('id').where('id', '=', id).executeTakeFirst();
    expect(row).toBeUndefined();
    // Its files are gone: the logo and the attachment answer 404.
    expect((await t.app.inject({ method: 'GET', url: logo.json<{ logoUrl: string }>().logoUrl })).statusCode).toBe(404);
    expect(fs.existsSync(zip)).toBe(false);
    // The accounts stay (they are the installation's); the default workspace is as it was.
    expect(await rowCounts(t, desk.admin.user.workspace.id)).toEqual(before);
    expect((await as(t, desk.admin).get('/me')).statusCode).toBe(200);
    const jobs = await t.database.db
      .selectFrom('jobs')
      .select('kind')
      .where('kind', '=', 'workspaces.delete')
      .execute();
    expect(jobs).toEqual([]);
  });

  it('a deletion that is cut short goes on where it stopped', async () => {
    const { deleteSomeOfWorkspace } = await import('./workspace-deletion');
    const created = await createWs('halfway', { openSignup: true });
    const id = created.workspace.workspace.id;
    await setUpDesk(t, { workspace: 'halfway' });
    const gone = { purge: async () => {} } as never;
    const deps = { db: t.database.db, clock: { now: () => Date.now() }, files: gone, exports: gone };
    expect(await deleteSomeOfWorkspace(deps, id, 3)).toBe(false);
    expect(await deleteSomeOfWorkspace(deps, id, 1000)).toBe(true);
    expect(await deleteSomeOfWorkspace(deps, id, 1000)).toBe(true);
    expect(Object.values(await rowCounts(t, id)).every((n) => n === 0)).toBe(true);
  });

  it('answers 404 for workspaces that do not exist', async () => {
    const ghost = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    expect((await as(t, operator).patch(`/operator/workspaces/${ghost}`, { name: 'X' })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/operator/workspaces/${ghost}`, headers: bearer(operator) }))
        .statusCode,
    ).toBe(404);
  });
});

/** Rows per table of the workspace, read behind the API's back. */
async function rowCounts(t: TestApp, workspaceId: string): Promise<Record<string, number>> {
  const db = acrossWorkspaces(t.database.db);
  const counts: Record<string, number> = {};
  for (const [table] of DELETION_ORDER) {
    const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM ${sql.table(table)}
      WHERE workspace_id = ${workspaceId}`.execute(db);
    counts[table] = Number(rows[0]!.n);
  }
  return counts;
}
