import type { PublicUser } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk } from '../testing/test-desk';
import { connectSocket } from '../testing/ws-client';

describe(`users on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const usernames = (page: { items: PublicUser[] }) => page.items.map((u) => u.username);

  describe('a profile', () => {
    it('is edited through PATCH /me, and a role smuggled into the body is ignored', async () => {
      const dan = as(t, desk.dan);
      const updated = await dan.patch('/me', { displayName: '  Dan D.  ', statusText: 'On holiday', role: 'admin' });
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({ displayName: 'Dan D.', statusText: 'On holiday', role: 'customer' });
      expect((await dan.get('/me')).json()).toMatchObject({ displayName: 'Dan D.', role: 'customer' });
      expect((await dan.patch('/me', { statusText: '' })).json().statusText).toBeNull();
    });

    it('refuses an empty change, a blank name and an overlong status with the fields named', async () => {
      const dan = as(t, desk.dan);
      expect((await dan.patch('/me', { role: 'admin' })).statusCode).toBe(400);
      const bad = await dan.patch('/me', { displayName: '   ', statusText: 'x'.repeat(141) });
      expect(bad.statusCode).toBe(400);
      expect(
        bad
          .json()
          .error.details.fields.map((f: { path: string }) => f.path)
          .sort(),
      ).toEqual(['displayName', 'statusText']);
    });
  });

  describe('who sees whom', () => {
    it('staff see anyone; a customer sees staff and themselves but not a stranger customer', async () => {
      expect((await as(t, desk.sam).get(`/users/${desk.carla.user.id}`)).json()).toMatchObject({
        id: desk.carla.user.id,
        displayName: 'Carla',
      });
      expect((await as(t, desk.carla).get(`/users/${desk.sam.user.id}`)).json().displayName).toBe('Sam Agent');
      expect((await as(t, desk.carla).get(`/users/${desk.carla.user.id}`)).statusCode).toBe(200);
      const stranger = await as(t, desk.carla).get(`/users/${desk.dan.user.id}`);
      expect(stranger.statusCode).toBe(404);
      expect((await as(t, desk.carla).get('/users/01JZZZZZZZZZZZZZZZZZZZZZZZ')).statusCode).toBe(404);
    });

    it('a customer sees another customer once a friend request links them', async () => {
      const eve = await signUp(t, 'customer');
      const fred = await signUp(t, 'customer');
      expect((await as(t, fred).get(`/users/${eve.user.id}`)).statusCode).toBe(404);
      const now = Date.now();
      await t.database.db
        .insertInto('friendRequests')
        .values({
          id: '01JZZZZZZZZZZZZZZZZZZZZZZA',
          workspaceId: eve.user.workspace.id,
          fromUserId: eve.user.id,
          toUserId: fred.user.id,
          status: 'pending',
          pendingKey: `${eve.user.workspace.id}/${[eve.user.id, fred.user.id].sort().join(':')}`,
          createdAt: now,
          respondedAt: null,
        })
        .execute();
      expect((await as(t, fred).get(`/users/${eve.user.id}`)).json().id).toBe(eve.user.id);
    });

    it('never shows an email to anyone but its owner', async () => {
      const seen = (await as(t, desk.admin).get(`/users/${desk.carla.user.id}`)).json();
      expect(seen.email).toBeUndefined();
      expect(seen.deactivatedAt).toBeNull();
      expect((await as(t, desk.sam).get(`/users/${desk.carla.user.id}`)).json().deactivatedAt).toBeUndefined();
    });
  });

  describe('the directory', () => {
    it('lets staff search by part of a name, paginated', async () => {
      const sam = as(t, desk.sam);
      const found = (await sam.get('/users?q=agent')).json();
      expect(found.items.map((u: PublicUser) => u.displayName).sort()).toEqual(['Kim Agent', 'Sam Agent']);
      const first = (await sam.get('/users?q=agent&limit=1')).json();
      expect(first.items).toHaveLength(1);
      const second = (await sam.get(`/users?q=agent&limit=1&cursor=${first.nextCursor}`)).json();
      expect([...usernames(first), ...usernames(second)]).toEqual(usernames(found));
      expect(second.nextCursor).toBeNull();
      // Wildcards are text, not patterns.
      expect((await sam.get('/users?q=%25')).json().items).toEqual([]);
    });

    it('lets a customer look up an exact username only, never browse', async () => {
      const carla = as(t, desk.carla);
      expect((await carla.get('/users')).statusCode).toBe(400);
      expect((await carla.get('/users?q=user')).json().items).toEqual([]);
      const exact = (await carla.get(`/users?q=${desk.dan.user.username.toUpperCase()}`)).json();
      expect(exact.items.map((u: PublicUser) => u.id)).toEqual([desk.dan.user.id]);
    });
  });

  describe('an admin managing accounts', () => {
    it('lists everyone with whether their account is active, and filters by role', async () => {
      const leaver = await signUp(t, 'customer', { displayName: 'Lee Leaver' });
      const admin = as(t, desk.admin);
      expect((await admin.patch(`/users/${leaver.user.id}`, { deactivated: true })).statusCode).toBe(200);
      const everyone = (await admin.get('/users?limit=100')).json();
      const lee = everyone.items.find((u: { id: string }) => u.id === leaver.user.id);
      expect(lee).toMatchObject({ displayName: 'Lee Leaver', deactivatedAt: expect.any(String) });
      expect(everyone.items.find((u: { id: string }) => u.id === desk.sam.user.id).deactivatedAt).toBeNull();
      const agents = (await admin.get('/users?role=agent&limit=100')).json();
      expect(agents.items.map((u: PublicUser) => u.displayName).sort()).toEqual([
        'Kim Agent',
        'Otto Billing',
        'Sam Agent',
      ]);
      // Agents browse the directory without seeing who is deactivated.
      const seenBySam = (await as(t, desk.sam).get('/users?limit=100')).json();
      expect(seenBySam.items.some((u: { id: string }) => u.id === leaver.user.id)).toBe(false);
      expect(seenBySam.items.every((u: object) => !('deactivatedAt' in u))).toBe(true);
    });

    it('changes roles; only admins may, and not their own', async () => {
      const gina = await signUp(t, 'customer');
      expect((await as(t, desk.sam).patch(`/users/${gina.user.id}`, { role: 'agent' })).statusCode).toBe(403);
      const promoted = await as(t, desk.admin).patch(`/users/${gina.user.id}`, { role: 'agent' });
      expect(promoted.json()).toMatchObject({ role: 'agent', deactivatedAt: null });
      expect((await as(t, gina).get('/me')).json().role).toBe('agent');
      const self = await as(t, desk.admin).patch(`/users/${desk.admin.user.id}`, { role: 'customer' });
      expect(self.statusCode).toBe(409);
      expect((await as(t, desk.admin).get('/me')).json().role).toBe('admin');
      const audit = (await as(t, desk.admin).get(`/audit?entityId=${gina.user.id}`)).json();
      expect(audit.items).toMatchObject([
        { action: 'user.role_changed', actorId: desk.admin.user.id, data: { from: 'customer', to: 'agent' } },
      ]);
    });

    it('demoting an agent to customer takes them out of their teams', async () => {
      const agent = await signUp(t, 'agent');
      const team = (await as(t, desk.admin).post('/teams', { name: `Team of ${agent.user.username}` })).json();
      expect((await as(t, desk.admin).put(`/teams/${team.id}/members/${agent.user.id}`)).statusCode).toBe(204);
      await as(t, desk.admin).patch(`/users/${agent.user.id}`, { role: 'customer' });
      expect((await as(t, desk.admin).get(`/teams/${team.id}`)).json().members).toEqual([]);
    });

    it('deactivates a user: sign-in fails, refresh tokens die, open sockets close; reactivation restores sign-in', async () => {
      const hank = await signUp(t, 'customer');
      const socket = await connectSocket(await listen(t), hank.accessToken);
      await socket.next('ready');
      const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
      const response = await as(t, desk.admin).patch(`/users/${hank.user.id}`, { deactivated: true });
      expect(response.json().deactivatedAt).not.toBeNull();
      expect(await closed).toBe(4401);
      const refresh = await t.app.inject({
        method: 'POST',
        url: '/auth/refresh',
        payload: { refreshToken: hank.refreshToken },
      });
      expect(refresh.statusCode).toBe(401);
      expect((await as(t, hank).get('/me')).statusCode).toBe(401);
      const login = { login: hank.user.username, password: 'correct horse battery' };
      expect((await t.app.inject({ method: 'POST', url: '/auth/login', payload: login })).statusCode).toBe(401);
      await as(t, desk.admin).patch(`/users/${hank.user.id}`, { deactivated: false });
      expect((await t.app.inject({ method: 'POST', url: '/auth/login', payload: login })).statusCode).toBe(200);
      const actions = (await as(t, desk.admin).get(`/audit?entityType=user&entityId=${hank.user.id}`)).json();
      expect(actions.items.map((a: { action: string }) => a.action)).toEqual(['user.reactivated', 'user.deactivated']);
    });

    it('answers 404 for an unknown user and 400 for an empty change', async () => {
      expect((await as(t, desk.admin).patch('/users/01JZZZZZZZZZZZZZZZZZZZZZZZ', { role: 'agent' })).statusCode).toBe(
        404,
      );
      expect((await as(t, desk.admin).patch(`/users/${desk.dan.user.id}`, {})).statusCode).toBe(400);
    });
  });
});
