import type { Session, Team } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, setUpTwoDesks } from '../testing/test-desk';
import { builtInRoleId } from '../workspaces/member-repository';
import { insertMember } from '../workspaces/workspace-repository';

/** Two organisations on one installation: neither sees, counts or touches the other's teams. */
describe(`teams of two workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));
  });
  afterAll(() => t.close());

  const names = (list: { items: Team[] }) => list.items.map((team) => team.name);
  const membersOf = async (who: Session, teamId: string) =>
    (await as(t, who).get(`/teams/${teamId}`))
      .json<{ members: { id: string }[] }>()
      .members.map((m) => m.id)
      .sort();

  it("lists only the workspace's own teams and categories", async () => {
    const aTeams = (await as(t, a.sam).get('/teams')).json<{ items: Team[] }>();
    const bTeams = (await as(t, b.sam).get('/teams')).json<{ items: Team[] }>();
    expect(aTeams.items.map((team) => team.id).sort()).toEqual([a.support, a.billing].sort());
    expect(bTeams.items.map((team) => team.id).sort()).toEqual([b.support, b.billing].sort());
    const bCategories = (await as(t, b.carla).get('/ticket-categories')).json<{ items: { id: string }[] }>();
    expect(bCategories.items.map((c) => c.id).sort()).toEqual([b.support, b.billing].sort());
  });

  it("answers 404 to every team route on the other workspace's ids, and changes nothing there", async () => {
    const admin = as(t, b.admin);
    const refused = [
      await as(t, b.sam).get(`/teams/${a.support}`),
      await admin.get(`/teams/${a.support}`),
      await admin.patch(`/teams/${a.support}`, { name: 'Taken over' }),
      await admin.delete(`/teams/${a.billing}`),
      await admin.put(`/teams/${a.support}/members/${b.otto.user.id}`),
      // Their own team, someone of the other workspace: as unknown as a made-up id.
      await admin.put(`/teams/${b.support}/members/${a.otto.user.id}`),
      await admin.delete(`/teams/${a.support}/members/${a.sam.user.id}`),
      await admin.delete(`/teams/${b.support}/members/${a.sam.user.id}`),
    ];
    for (const response of refused) {
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('not_found');
      expect(response.body).not.toContain('Support');
    }
    expect(names((await as(t, a.admin).get('/teams')).json())).toEqual(['Billing', 'Support']);
    expect(await membersOf(a.admin, a.support)).toEqual([a.sam.user.id, a.kim.user.id].sort());
    expect(await membersOf(b.admin, b.support)).toEqual([b.sam.user.id, b.kim.user.id].sort());
  });

  it('lets each workspace name its teams freely: a name is unique within one workspace only', async () => {
    const inA = await as(t, a.admin).post('/teams', { name: 'Onboarding' });
    const inB = await as(t, b.admin).post('/teams', { name: 'ONBOARDING' });
    expect([inA.statusCode, inB.statusCode]).toEqual([201, 201]);
    expect((await as(t, b.admin).post('/teams', { name: 'onboarding' })).statusCode).toBe(409);
    expect((await as(t, b.admin).patch(`/teams/${b.billing}`, { name: 'Onboarding' })).statusCode).toBe(409);
    expect(names((await as(t, b.admin).get('/teams')).json())).toEqual(['Billing', 'ONBOARDING', 'Support']);
    expect(names((await as(t, a.admin).get('/teams')).json())).toEqual(['Billing', 'Onboarding', 'Support']);
  });

  it('judges a new team member by their role in this workspace, not in another', async () => {
    // Sam is an agent in A and, from today, a customer of B: B's teams are not for him.
    const { db } = t.database;
    const ws = { workspaceId: b.admin.user.workspace.id };
    await insertMember(db, ws, a.sam.user.id, await builtInRoleId(db, ws, 'customer'), Date.now());
    const added = await as(t, b.admin).put(`/teams/${b.support}/members/${a.sam.user.id}`);
    expect(added.statusCode).toBe(409);
    expect(added.json().error.code).toBe('conflict');

    // As an agent of B, he may join; his team in A is untouched, and so is B's in A.
    await db
      .updateTable('workspaceMembers')
      .set({ roleId: await builtInRoleId(db, ws, 'agent') })
      .where('workspaceId', '=', ws.workspaceId)
      .where('userId', '=', a.sam.user.id)
      .execute();
    expect((await as(t, b.admin).put(`/teams/${b.billing}/members/${a.sam.user.id}`)).statusCode).toBe(204);
    expect(await membersOf(b.admin, b.billing)).toEqual([b.otto.user.id, a.sam.user.id].sort());
    expect(await membersOf(a.admin, a.billing)).toEqual([a.otto.user.id]);
    expect(await membersOf(a.admin, a.support)).toEqual([a.sam.user.id, a.kim.user.id].sort());
  });
});
