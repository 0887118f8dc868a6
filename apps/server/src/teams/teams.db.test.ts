import type { Team } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket } from '../testing/ws-client';

describe(`teams on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const names = (list: { items: Team[] }) => list.items.map((team) => team.name);

  it('an admin creates, renames and describes a team; names are unique ignoring case', async () => {
    const admin = as(t, desk.admin);
    const created = await admin.post('/teams', { name: 'Onboarding', description: 'New customers' });
    expect(created.statusCode).toBe(201);
    const team = created.json<Team>();
    expect(team).toMatchObject({ name: 'Onboarding', description: 'New customers' });
    expect((await admin.post('/teams', { name: 'onboarding' })).json().error).toMatchObject({
      code: 'conflict',
      details: { fields: [{ path: 'name' }] },
    });
    expect((await admin.patch(`/teams/${team.id}`, { name: 'SUPPORT' })).statusCode).toBe(409);
    const renamed = await admin.patch(`/teams/${team.id}`, { name: 'Welcome', description: null });
    expect(renamed.json()).toMatchObject({ name: 'Welcome', description: null });
    expect(names((await as(t, desk.sam).get('/teams')).json())).toEqual(['Billing', 'Support', 'Welcome']);
  });

  it('only admins manage teams; agents and customers are told they lack the role', async () => {
    for (const who of [desk.sam, desk.carla]) {
      expect((await as(t, who).post('/teams', { name: 'Rogue' })).statusCode).toBe(403);
      expect((await as(t, who).patch(`/teams/${desk.support}`, { name: 'Mine' })).statusCode).toBe(403);
      expect((await as(t, who).delete(`/teams/${desk.support}`)).statusCode).toBe(403);
      expect((await as(t, who).put(`/teams/${desk.support}/members/${who.user.id}`)).statusCode).toBe(403);
    }
    expect(names((await as(t, desk.admin).get('/teams')).json())).not.toContain('Rogue');
    expect((await as(t, desk.sam).get(`/teams/${desk.support}`)).json().name).toBe('Support');
  });

  it('shows teams and their members to staff only: customers see categories instead', async () => {
    const members = (await as(t, desk.sam).get(`/teams/${desk.support}`)).json().members;
    expect(members.map((m: { id: string }) => m.id).sort()).toEqual([desk.sam.user.id, desk.kim.user.id].sort());
    expect((await as(t, desk.sam).get('/teams/01JZZZZZZZZZZZZZZZZZZZZZZZ')).statusCode).toBe(404);
    for (const url of ['/teams', `/teams/${desk.support}`, '/teams/01JZZZZZZZZZZZZZZZZZZZZZZZ']) {
      const refused = await as(t, desk.carla).get(url);
      expect(refused.statusCode).toBe(403);
      expect(refused.body).not.toContain('Support');
    }
  });

  it('adding an agent to a team shows them its tickets; removing takes them away, and their socket re-authenticates', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.billing });
    const admin = as(t, desk.admin);
    const kim = as(t, desk.kim);
    expect((await kim.get(`/tickets/${ticket.id}`)).statusCode).toBe(404);
    expect((await admin.put(`/teams/${desk.billing}/members/${desk.kim.user.id}`)).statusCode).toBe(204);
    expect((await admin.put(`/teams/${desk.billing}/members/${desk.kim.user.id}`)).statusCode).toBe(204);
    expect((await kim.get(`/tickets/${ticket.id}`)).statusCode).toBe(200);

    const socket = await connectSocket(await listen(t), desk.kim.accessToken);
    await socket.next('ready');
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));
    expect((await admin.delete(`/teams/${desk.billing}/members/${desk.kim.user.id}`)).statusCode).toBe(204);
    expect(await closed).toBe(4401);
    expect((await kim.get(`/tickets/${ticket.id}`)).statusCode).toBe(404);
    expect((await admin.delete(`/teams/${desk.billing}/members/${desk.kim.user.id}`)).statusCode).toBe(404);
  });

  it('refuses customers as members and unknown users or teams', async () => {
    const admin = as(t, desk.admin);
    expect((await admin.put(`/teams/${desk.support}/members/${desk.dan.user.id}`)).statusCode).toBe(409);
    expect((await admin.put(`/teams/${desk.support}/members/01JZZZZZZZZZZZZZZZZZZZZZZZ`)).statusCode).toBe(404);
    expect((await admin.put(`/teams/01JZZZZZZZZZZZZZZZZZZZZZZZ/members/${desk.sam.user.id}`)).statusCode).toBe(404);
    expect((await admin.post('/teams', { name: ' ' })).statusCode).toBe(400);
  });

  it("deleting a team keeps its tickets, with no team (in every agent's queue), and leaves a trail in the audit log", async () => {
    const admin = as(t, desk.admin);
    const team = (await admin.post('/teams', { name: 'Short-lived', category: 'Short-lived topic' })).json<Team>();
    const agent = await signUp(t, 'agent');
    await admin.put(`/teams/${team.id}/members/${agent.user.id}`);
    const ticket = await openTicket(t, desk.dan, { teamId: team.id });
    expect((await admin.delete(`/teams/${team.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/tickets/${ticket.id}`)).json().teamId).toBeNull();
    expect((await admin.get(`/teams/${team.id}`)).statusCode).toBe(404);
    // Without a team it is in the shared queue every agent has: never in nobody's view.
    expect((await as(t, agent).get(`/tickets/${ticket.id}`)).statusCode).toBe(200);
    const trail = (await admin.get(`/audit?entityType=team&entityId=${team.id}`)).json();
    expect(trail.items.map((a: { action: string }) => a.action)).toEqual([
      'team.deleted',
      'team.member_added',
      'team.created',
    ]);
  });
});
