import type { AuditEntry, Team } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, openTicket, setUpTwoDesks } from '../testing/test-desk';

/** Each workspace has its own audit log: what happens in one never shows, nor counts, in another. */
describe(`audit log across workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));
  });
  afterAll(() => t.close());

  const trail = async (who: typeof a.admin, query = '') =>
    (await as(t, who).get(`/audit?limit=100${query}`)).json<{ items: AuditEntry[] }>().items;

  it("never lists another workspace's entries, whatever the filter", async () => {
    const ticket = await openTicket(t, a.carla, { teamId: a.support });
    await as(t, a.sam).patch(`/tickets/${ticket.id}`, { status: 'in_progress' });
    const team = (await as(t, a.admin).post('/teams', { name: 'Escalations' })).json<Team>();
    expect((await trail(a.admin, `&entityId=${ticket.id}`)).map((e) => e.action)).toEqual([
      'ticket.status_changed',
      'ticket.created',
    ]);

    expect(await trail(b.admin)).toEqual([]);
    for (const query of [
      `&entityId=${ticket.id}`,
      `&entityId=${team.id}`,
      `&actorId=${a.sam.user.id}`,
      `&actorId=${a.admin.user.id}`,
      '&action=ticket.created',
      '&entityType=team',
    ]) {
      expect(await trail(b.admin, query)).toEqual([]);
    }

    // B's own entries show in B only.
    const own = (await as(t, b.admin).post('/teams', { name: 'Escalations' })).json<Team>();
    expect((await trail(b.admin)).map((e) => e.entityId)).toEqual([own.id]);
    expect((await trail(a.admin)).map((e) => e.entityId)).not.toContain(own.id);
  });

  it('is for holders of reports.view in their own workspace only', async () => {
    for (const who of [b.sam, b.carla]) expect((await as(t, who).get('/audit')).statusCode).toBe(403);
  });
});
