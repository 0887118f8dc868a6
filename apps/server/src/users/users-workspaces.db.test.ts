import type { AdminUser, Me, PublicUser, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp, joinWorkspace } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, setUpTwoDesks } from '../testing/test-desk';

describe(`users across workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  /** The default workspace's desk. */
  let a: Desk;
  /** Acme's desk: the same cast (same display names), other people. */
  let b: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));
  });
  afterAll(() => t.close());

  const ids = (page: { items: PublicUser[] }) => page.items.map((u) => u.id);
  const people = (desk: typeof a) => [desk.admin, desk.sam, desk.kim, desk.otto, desk.carla, desk.dan];

  it("answers 404 on another workspace's people, to its admin, agents and customers alike", async () => {
    for (const who of [b.admin, b.sam, b.carla]) {
      for (const stranger of [a.admin, a.sam, a.carla]) {
        expect((await as(t, who).get(`/users/${stranger.user.id}`)).statusCode).toBe(404);
      }
    }
    expect((await as(t, b.admin).patch(`/users/${a.sam.user.id}`, { role: 'customer' })).statusCode).toBe(404);
    expect((await as(t, b.admin).patch(`/users/${a.sam.user.id}`, { deactivated: true })).statusCode).toBe(404);
    // Nothing happened to Sam of the default workspace.
    const sam = await as(t, a.sam).get('/me');
    expect(sam.statusCode).toBe(200);
    expect(sam.json()).toMatchObject({ role: 'agent', workspace: { slug: 'default' } });
  });

  it("lists only the workspace's own people in the directory, by name, role or exact username", async () => {
    const everyone = ids((await as(t, b.admin).get('/users?limit=100')).json());
    expect(everyone.sort()).toEqual(
      people(b)
        .map((p) => p.user.id)
        .sort(),
    );
    // Both desks have a "Sam Agent" and a "Kim Agent": only Acme's are found there.
    expect(ids((await as(t, b.sam).get('/users?q=agent')).json()).sort()).toEqual(
      [b.sam.user.id, b.kim.user.id].sort(),
    );
    expect(ids((await as(t, b.admin).get('/users?role=agent&limit=100')).json()).sort()).toEqual(
      [b.sam.user.id, b.kim.user.id, b.otto.user.id].sort(),
    );
    expect((await as(t, b.carla).get(`/users?q=${a.dan.user.username}`)).json().items).toEqual([]);
    expect(ids((await as(t, a.admin).get('/users?limit=100')).json())).not.toContain(b.admin.user.id);
  });

  describe('a person in two workspaces', () => {
    let kimAtAcme: Session;

    beforeAll(async () => {
      // Kim, an agent of the default workspace, is a customer of Acme.
      kimAtAcme = await joinWorkspace(t, a.kim, 'acme', 'customer');
    });

    it('has a role in each, and each session shows its own workspace', async () => {
      const atAcme = (await as(t, kimAtAcme).get('/me')).json<Me>();
      expect(atAcme).toMatchObject({
        id: a.kim.user.id,
        role: 'customer',
        permissions: [],
        workspace: { slug: 'acme' },
      });
      const atHome = (await as(t, a.kim).get('/me')).json<Me>();
      expect(atHome).toMatchObject({ id: a.kim.user.id, role: 'agent', workspace: { slug: 'default' } });
      expect(atHome.permissions).toContain('tickets.work');
      // At Acme she is a customer: staff find her, another customer does not, and she is no agent there.
      expect((await as(t, b.sam).get(`/users/${a.kim.user.id}`)).json()).toMatchObject({ role: 'customer' });
      expect((await as(t, b.carla).get(`/users/${a.kim.user.id}`)).statusCode).toBe(404);
      expect(ids((await as(t, b.admin).get('/users?role=agent&limit=100')).json())).not.toContain(a.kim.user.id);
      // As a customer of Acme she cannot browse its directory, though she may at home.
      expect((await as(t, kimAtAcme).get('/users')).statusCode).toBe(400);
      expect((await as(t, kimAtAcme).get('/users?q=agent')).json().items).toEqual([]);
      expect((await as(t, a.kim).get('/users?q=agent')).json().items).not.toEqual([]);
      expect((await as(t, kimAtAcme).get(`/users/${b.carla.user.id}`)).statusCode).toBe(404);
    });

    it('has one profile: edited in one workspace, it shows in the other', async () => {
      expect((await as(t, kimAtAcme).patch('/me', { statusText: 'Shopping' })).json()).toMatchObject({
        statusText: 'Shopping',
        workspace: { slug: 'acme' },
      });
      expect((await as(t, a.sam).get(`/users/${a.kim.user.id}`)).json().statusText).toBe('Shopping');
    });

    it("is deactivated and promoted in one workspace without touching the other's membership or sessions", async () => {
      const acmeAdmin = as(t, b.admin);
      expect((await acmeAdmin.patch(`/users/${a.kim.user.id}`, { role: 'agent' })).json()).toMatchObject({
        role: 'agent',
      });
      const deactivated = await acmeAdmin.patch(`/users/${a.kim.user.id}`, { deactivated: true });
      expect(deactivated.json<AdminUser>().deactivatedAt).not.toBeNull();

      expect((await as(t, kimAtAcme).get('/me')).statusCode).toBe(401);
      const refresh = (session: Session) =>
        t.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken: session.refreshToken } });
      expect((await refresh(kimAtAcme)).statusCode).toBe(401);
      // At home she is still an active agent, with a live session.
      expect((await as(t, a.kim).get('/me')).json()).toMatchObject({ role: 'agent', workspace: { slug: 'default' } });
      expect((await refresh(a.kim)).statusCode).toBe(200);
      expect((await as(t, a.admin).get(`/users/${a.kim.user.id}`)).json()).toMatchObject({
        role: 'agent',
        deactivatedAt: null,
      });

      // Each workspace's audit log tells its own story.
      const acmeTrail = (await acmeAdmin.get(`/audit?entityId=${a.kim.user.id}`)).json();
      expect(acmeTrail.items.map((e: { action: string }) => e.action)).toEqual([
        'user.deactivated',
        'user.role_changed',
      ]);
      expect((await as(t, a.admin).get(`/audit?entityId=${a.kim.user.id}`)).json().items).toEqual([]);
    });
  });
});
