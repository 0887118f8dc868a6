import type { AuditEntry } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

describe(`audit log on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const actions = (page: { items: AuditEntry[] }) => page.items.map((a) => a.action);

  it('is for admins only', async () => {
    for (const who of [desk.sam, desk.carla]) expect((await as(t, who).get('/audit')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/audit' })).statusCode).toBe(401);
  });

  it('records who did what to a ticket, newest first, filterable by entity, actor and action', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'in_progress' });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'urgent' });
    const admin = as(t, desk.admin);

    const trail = (await admin.get(`/audit?entityType=ticket&entityId=${ticket.id}`)).json();
    expect(trail.items).toMatchObject([
      { action: 'ticket.priority_changed', actorId: desk.sam.user.id, data: { from: 'medium', to: 'urgent' } },
      { action: 'ticket.status_changed', actorId: desk.sam.user.id, data: { from: 'open', to: 'in_progress' } },
      { action: 'ticket.created', actorId: desk.carla.user.id, entityType: 'ticket', entityId: ticket.id },
    ]);
    expect(actions((await admin.get(`/audit?actorId=${desk.sam.user.id}`)).json())).toEqual([
      'ticket.priority_changed',
      'ticket.status_changed',
    ]);
    expect((await admin.get('/audit?action=ticket.created')).json().items.map((a: AuditEntry) => a.entityId)).toEqual([
      ticket.id,
    ]);
  });

  it('pages with a cursor that is stable while new entries arrive', async () => {
    const admin = as(t, desk.admin);
    for (const name of ['One', 'Two', 'Three']) await admin.post('/teams', { name });
    const first = (await admin.get('/audit?entityType=team&limit=2')).json();
    expect(first.items.map((a: AuditEntry) => a.data.name)).toEqual(['Three', 'Two']);
    await admin.post('/teams', { name: 'Four' });
    const second = (await admin.get(`/audit?entityType=team&limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.items.map((a: AuditEntry) => a.data.name)).toEqual(['One']);
    expect(second.nextCursor).toBeNull();
    expect((await admin.get('/audit?cursor=garbage')).statusCode).toBe(400);
    expect((await admin.get('/audit?entityType=planet')).statusCode).toBe(400);
  });
});
