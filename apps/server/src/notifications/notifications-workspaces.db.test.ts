import type { NotificationPage, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { WorkspaceScopeCheck } from '../db/workspace-scope-check';
import { TEST_DIALECT } from '../testing/test-database';
import { type Desk, as, openTicket, setUpTwoDesks } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';
import { builtInRoleId } from '../workspaces/member-repository';
import { insertMember } from '../workspaces/workspace-repository';
import { unreadCountsByWorkspace } from './notification-repository';

/**
 * Two organisations on one installation, and Sam, an agent of both: each workspace has its own
 * notifications, badge and read marks, and nobody hears of the other's tickets.
 */
describe(`notifications of two workspaces on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let a: Desk;
  let b: Desk;
  /** Sam of A, signed in to B, where he is an agent of B's Support team too. */
  let samInB: Session;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    ({ a, b } = await setUpTwoDesks(t));
    const { db } = t.database;
    const ws = { workspaceId: b.admin.user.workspace.id };
    await insertMember(db, ws, a.sam.user.id, await builtInRoleId(db, ws, 'agent'), Date.now());
    await db
      .insertInto('teamMembers')
      .values({ workspaceId: ws.workspaceId, teamId: b.support, userId: a.sam.user.id, createdAt: Date.now() })
      .execute();
    const login = await t.app.inject({
      method: 'POST',
      url: '/auth/login',
      payload: { login: a.sam.user.username, password: 'correct horse battery', workspace: 'acme' },
    });
    expect(login.statusCode).toBe(200);
    samInB = login.json<Session>();
  });
  afterEach(async () => {
    await Promise.all(sockets.splice(0).map((s) => s.close()));
  });
  afterAll(() => t.close());

  const listOf = async (who: Session, query = ''): Promise<NotificationPage> => {
    await t.app.notifications.settled();
    const response = await as(t, who).get(`/notifications${query}`);
    expect(response.statusCode).toBe(200);
    return response.json<NotificationPage>();
  };
  const ticketIds = async (who: Session) => (await listOf(who)).items.map((n) => n.ticketId);
  const readAll = async (...who: Session[]) => {
    for (const session of who) expect((await as(t, session).post('/notifications/read-all')).statusCode).toBe(204);
  };

  it("tells each workspace's staff of their own new tickets only", async () => {
    const inA = await openTicket(t, a.carla, { teamId: a.support, subject: 'A: printer' });
    const inB = await openTicket(t, b.carla, { teamId: b.support, subject: 'B: printer' });
    const unqueuedInB = await openTicket(t, b.dan, { subject: 'B: where does this go?' });

    expect(await ticketIds(a.kim)).toEqual([inA.id]);
    expect(await ticketIds(b.kim)).toEqual([inB.id]);
    // The unassigned queue is for those who see every ticket of the workspace: B's admin, not A's.
    expect(await ticketIds(b.admin)).toEqual([unqueuedInB.id]);
    expect(await ticketIds(a.admin)).toEqual([]);
    expect((await listOf(b.otto)).unreadCount).toBe(0);
  });

  it('keeps a person of both workspaces apart: list, badge and read marks per workspace', async () => {
    await readAll(a.sam, samInB);
    const inA = await openTicket(t, a.dan, { teamId: a.support, subject: 'A only' });
    const inB1 = await openTicket(t, b.dan, { teamId: b.support, subject: 'B one' });
    const inB2 = await openTicket(t, b.carla, { teamId: b.support, subject: 'B two' });

    const inAList = await listOf(a.sam, '?unread=true');
    expect(inAList.items.map((n) => n.ticketId)).toEqual([inA.id]);
    expect(inAList.unreadCount).toBe(1);
    const inBList = await listOf(samInB, '?unread=true');
    expect(inBList.items.map((n) => n.ticketId)).toEqual([inB2.id, inB1.id]);
    expect(inBList.unreadCount).toBe(2);

    // B's entry does not exist for his session in A, and reading all of A leaves B's unread.
    const bEntry = inBList.items[0]!.id;
    const refused = await as(t, a.sam).post(`/notifications/${bEntry}/read`);
    expect(refused.statusCode).toBe(404);
    expect(refused.json().error.code).toBe('not_found');
    await readAll(a.sam);
    expect((await listOf(samInB)).unreadCount).toBe(2);
    expect((await as(t, samInB).post(`/notifications/${bEntry}/read`)).statusCode).toBe(204);
    expect((await listOf(samInB)).unreadCount).toBe(1);
    expect((await listOf(a.sam)).unreadCount).toBe(0);
  });

  it("answers 404 on another workspace's notification to its members, and leaves it unread", async () => {
    await readAll(a.kim);
    const inA = await openTicket(t, a.carla, { teamId: a.support, subject: 'Still unread in A' });
    const entry = (await listOf(a.kim)).items.find((n) => n.ticketId === inA.id)!;
    for (const who of [b.kim, b.admin, b.carla]) {
      const response = await as(t, who).post(`/notifications/${entry.id}/read`);
      expect(response.statusCode).toBe(404);
      await readAll(who);
      expect((await listOf(who)).items.map((n) => n.id)).not.toContain(entry.id);
    }
    expect((await listOf(a.kim)).items.find((n) => n.id === entry.id)).toMatchObject({ readAt: null });
  });

  it("sends live notifications to the sockets of the event's workspace only", async () => {
    await readAll(a.sam, samInB);
    const base = await listen(t);
    const onA = await readySocket(base, a.sam);
    const onB = await readySocket(base, samInB);
    sockets.push(onA, onB);
    const inB = await openTicket(t, b.carla, { teamId: b.support, subject: 'Live in B' });
    const { notification } = await onB.next('notification', (f) => f.notification.ticketId === inB.id);
    expect(notification).toMatchObject({ kind: 'ticket.created', subject: 'Live in B' });
    const inA = await openTicket(t, a.carla, { teamId: a.support, subject: 'Live in A' });
    // The first notification socket A gets is A's: B's never reached it.
    const first = await onA.next('notification');
    expect(first.notification.ticketId).toBe(inA.id);
  });

  it('counts unread entries per workspace for the switcher, in one go', async () => {
    await readAll(a.sam, samInB);
    await openTicket(t, b.carla, { teamId: b.support, subject: 'Counted in B' });
    await openTicket(t, b.dan, { teamId: b.support, subject: 'Counted in B too' });
    await openTicket(t, a.dan, { teamId: a.support, subject: 'Counted in A' });
    await t.app.notifications.settled();
    // As the app's database is in tests: a query that forgot to say it spans workspaces would fail.
    const db = t.database.db.withPlugin(new WorkspaceScopeCheck());
    const counts = await unreadCountsByWorkspace(db, a.sam.user.id);
    expect(Object.fromEntries(counts)).toEqual({ [a.sam.user.workspace.id]: 1, [samInB.user.workspace.id]: 2 });
    await readAll(samInB);
    const after = await unreadCountsByWorkspace(db, a.sam.user.id);
    expect(after.get(samInB.user.workspace.id) ?? 0).toBe(0);
    expect(after.get(a.sam.user.workspace.id)).toBe(1);
    expect((await unreadCountsByWorkspace(db, b.otto.user.id)).size).toBe(0);
  });
});
