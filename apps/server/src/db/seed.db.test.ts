import type { Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { WorkspaceScopeCheck } from './workspace-scope-check';
import { DEMO_PASSWORD, DEMO_SECOND_WORKSPACE, seedDemoOrg } from './seed';

describe(`the demo seed on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates an org in the default workspace whose printed logins all work, with their roles', async () => {
    // Seeded as the app queries: every query of a workspace's table must name the workspace.
    const checked = t.database.db.withPlugin(new WorkspaceScopeCheck());
    const { created, logins } = await seedDemoOrg(checked, systemClock, t.config.dataDir);
    expect(created).toBe(true);
    expect(logins.map((l) => l.role)).toEqual(['admin', 'agent', 'agent', 'customer', 'customer']);
    for (const { login, role } of logins) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { login, password: DEMO_PASSWORD },
      });
      expect(response.statusCode, login).toBe(200);
      const { user } = response.json<Session>();
      expect(user.role).toBe(role);
      expect(user.workspace.slug).toBe('default');
    }
  });

  it('makes Ada the admin of a second, empty workspace too, and nobody else a member of it', async () => {
    const signIn = (login: string, workspace: string) =>
      t.app.inject({ method: 'POST', url: '/auth/login', payload: { login, password: DEMO_PASSWORD, workspace } });
    const ada = await signIn('ada', DEMO_SECOND_WORKSPACE.slug);
    expect(ada.statusCode).toBe(200);
    expect(ada.json<Session>().user).toMatchObject({
      role: 'admin',
      workspace: { slug: 'acme', name: 'Acme' },
    });
    expect((await signIn('sam', DEMO_SECOND_WORKSPACE.slug)).statusCode).toBe(401);
    const headers = { authorization: `Bearer ${ada.json<Session>().accessToken}` };
    const get = (url: string) => t.app.inject({ method: 'GET', url, headers }).then((r) => r.json());
    expect((await get('/teams')).items).toEqual([]);
    expect((await get('/tickets?limit=100')).items).toEqual([]);
    // Acme came second: a new registration still joins the default workspace.
    const newcomer = await t.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: 'newcomer@example.com', username: 'newcomer', password: 'correct horse battery' },
    });
    expect(newcomer.json<Session>().user.workspace.slug).toBe('default');
  });

  it('brands Acme with a yellow accent and a logo anyone can load, the default workspace with neither', async () => {
    const login = (workspace?: string) =>
      t.app
        .inject({ method: 'POST', url: '/auth/login', payload: { login: 'ada', password: DEMO_PASSWORD, workspace } })
        .then((r) => r.json<Session>().user.workspace);
    const acme = await login(DEMO_SECOND_WORKSPACE.slug);
    expect(acme.accentColor).toBe('#facc15');
    expect(acme.logoUrl).toMatch(/^\/workspace-logos\/[0-9a-f]{32}$/);
    const logo = await t.app.inject({ method: 'GET', url: acme.logoUrl! });
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toBe('image/webp');
    expect(logo.rawPayload.subarray(8, 12).toString()).toBe('WEBP');
    expect(await login('default')).toMatchObject({ accentColor: null, logoUrl: null });
    expect((await t.app.inject({ method: 'GET', url: `/workspace-logos/${'0'.repeat(32)}` })).statusCode).toBe(404);
  });

  it('gives the agents a team and every ticket a thread numbered 1..n without gaps', async () => {
    const { db } = t.database;
    const members = await db
      .selectFrom('teamMembers')
      .innerJoin('users', 'users.id', 'teamMembers.userId')
      .innerJoin('teams', 'teams.id', 'teamMembers.teamId')
      .innerJoin('workspaces', 'workspaces.id', 'teams.workspaceId')
      .select(['users.username', 'teamMembers.workspaceId', 'workspaces.id as teamWorkspaceId', 'workspaces.slug'])
      .execute();
    expect(members.map((m) => m.username).sort()).toEqual(['kim', 'sam']);
    for (const m of members) expect(m).toMatchObject({ slug: 'default', workspaceId: m.teamWorkspaceId });
    const tickets = await db
      .selectFrom('tickets')
      .innerJoin('conversations', 'conversations.id', 'tickets.conversationId')
      .select(['tickets.conversationId', 'conversations.lastSeq'])
      .execute();
    expect(tickets).toHaveLength(4);
    for (const { conversationId, lastSeq } of tickets) {
      const seqs = await db
        .selectFrom('messages')
        .select('seq')
        .where('conversationId', '=', conversationId)
        .orderBy('seq')
        .execute();
      expect(seqs.map((s) => s.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    }
  });

  it('tells a realistic story: tickets in every state, notes hidden from the customer', async () => {
    const login = async (who: string) =>
      (
        await t.app.inject({ method: 'POST', url: '/auth/login', payload: { login: who, password: DEMO_PASSWORD } })
      ).json<Session>();
    const carla = await login('carla');
    const sam = await login('sam');
    const get = (session: Session, url: string) =>
      t.app
        .inject({ method: 'GET', url, headers: { authorization: `Bearer ${session.accessToken}` } })
        .then((r) => r.json());
    const samsQueue = await get(sam, '/tickets?limit=100');
    expect(samsQueue.items.map((x: { status: string }) => x.status).sort()).toEqual([
      'closed',
      'in_progress',
      'open',
      'open',
    ]);
    const signIn = samsQueue.items.find((x: { subject: string }) => x.subject === 'Cannot sign in on Android');
    expect(signIn.assigneeId).toBe(sam.user.id);
    const staffView = await get(sam, `/conversations/${signIn.conversationId}/messages`);
    const customerView = await get(carla, `/conversations/${signIn.conversationId}/messages`);
    expect(staffView.items.some((m: { kind: string }) => m.kind === 'note')).toBe(true);
    expect(customerView.items.some((m: { kind: string }) => m.kind === 'note')).toBe(false);
    expect((await get(sam, '/conversations')).items.some((c: { kind: string }) => c.kind === 'direct')).toBe(true);
  });

  it('links people through friend requests, gives everyone an avatar, and leaves a trail', async () => {
    const login = async (who: string) =>
      (
        await t.app.inject({ method: 'POST', url: '/auth/login', payload: { login: who, password: DEMO_PASSWORD } })
      ).json<Session>();
    const get = (session: Session, url: string) =>
      t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${session.accessToken}` } });
    const dan = await login('dan');
    // Ada signed in to Acme last (above): she names the demo desk's workspace to come back to it.
    const ada = (
      await t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { login: 'ada', password: DEMO_PASSWORD, workspace: 'default' },
      })
    ).json<Session>();
    const contacts = (await get(dan, '/contacts')).json().items;
    expect(contacts.map((c: { user: { username: string } }) => c.user.username)).toEqual(['carla']);
    const incoming = (await get(dan, '/friend-requests?direction=incoming')).json().items;
    expect(incoming.map((r: { fromUser: { username: string } }) => r.fromUser.username)).toEqual(['kim']);
    expect((await get(dan, '/notifications')).json().unreadCount).toBeGreaterThan(0);
    const me = (await get(dan, '/me')).json();
    const avatar = await t.app.inject({ method: 'GET', url: `${me.avatarUrl}?size=64` });
    expect(avatar.headers['content-type']).toBe('image/webp');
    const teams = (await get(ada, '/teams')).json().items.map((team: { name: string }) => team.name);
    expect(teams).toEqual(['Billing', 'Support']);
    const audit = (await get(ada, '/audit?entityType=team')).json().items.map((a: { action: string }) => a.action);
    expect(audit).toContain('team.member_added');
  });

  it('does nothing when run again', async () => {
    const before = await t.database.db.selectFrom('tickets').select('id').execute();
    expect((await seedDemoOrg(t.database.db, systemClock, t.config.dataDir)).created).toBe(false);
    expect(await t.database.db.selectFrom('tickets').select('id').execute()).toHaveLength(before.length);
  });
});
