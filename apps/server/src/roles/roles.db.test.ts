import {
  CLOSE_CODES,
  type AdminUser,
  type AuditPage,
  type Me,
  type Message,
  type Session,
  type Ticket,
  type WorkspaceRole,
  type WorkspaceRoleList,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { ACCESS_CHANGED } from '../realtime/access-revalidation';
import { createWorkspace, listen, signIn, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { connectSocket, type TestSocket } from '../testing/ws-client';

/**
 * The desk's admin defines roles of the workspace's own. A "Billing clerk" works tickets and
 * changes priority but may not write internal notes: Kim, an agent of team Support, gets it,
 * sees the notes on Carla's ticket, and cannot write one, by REST or over her socket, until the
 * role is given `notes.write`. Every change reaches her open socket at once.
 */
describe(`custom roles on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let base: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;

  beforeAll(async () => {
    t = await startTestApp();
    base = await listen(t);
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    // Sam (an agent with notes.write) leaves a note Kim must still be able to read.
    await as(t, desk.sam).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: 'sam-note',
      body: 'Carla paid twice, refund one',
      internal: true,
    });
  });
  afterAll(() => t.close());

  const admin = () => as(t, desk.admin);
  const roles = async (who: Session = desk.admin) => (await as(t, who).get('/roles')).json<WorkspaceRoleList>().items;
  const createRole = async (name: string, permissions: string[]) => {
    const response = await admin().post('/roles', { name, permissions });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<WorkspaceRole>();
  };
  const openSocket = async (who: Session, { onTestFinished }: TestContext) => {
    const socket = await connectSocket(base, who.accessToken);
    onTestFinished(() => socket.close());
    await socket.next('ready');
    return socket;
  };
  let refs = 0;
  const frameError = async (socket: TestSocket, frame: Record<string, unknown>) => {
    const ref = `r${++refs}`;
    socket.send({ ...frame, ref });
    return socket.next('error', (e) => e.ref === ref);
  };
  const revoked = { code: CLOSE_CODES.unauthorized, reason: ACCESS_CHANGED };

  describe('defining roles', () => {
    it('lists the three built-in roles first, with what they may do and who has them', async () => {
      const items = await roles();
      expect(items.map((r) => [r.name, r.builtIn, r.memberCount])).toEqual([
        ['Admin', 'admin', 1],
        ['Agent', 'agent', 3],
        ['Customer', 'customer', 2],
      ]);
      expect(items[1]!.permissions).toEqual(['notes.write', 'tickets.priority', 'tickets.work']);
      expect(items[0]!.permissions).toHaveLength(10);
    });

    it('creates a role, renames it, changes its permissions and deletes it, all in the audit trail', async () => {
      const role = await createRole('Reporter', ['reports.view', 'reports.view']);
      expect(role).toMatchObject({ name: 'Reporter', builtIn: null, permissions: ['reports.view'], memberCount: 0 });
      expect((await roles()).map((r) => r.name)).toEqual(['Admin', 'Agent', 'Customer', 'Reporter']);

      const renamed = await admin().patch(`/roles/${role.id}`, {
        name: 'Auditor',
        permissions: ['reports.view', 'tickets.work'],
      });
      expect(renamed.statusCode, renamed.body).toBe(200);
      expect(renamed.json()).toMatchObject({ name: 'Auditor', permissions: ['reports.view', 'tickets.work'] });

      expect((await admin().delete(`/roles/${role.id}`)).statusCode).toBe(204);
      expect((await roles()).map((r) => r.name)).not.toContain('Auditor');
      expect((await admin().patch(`/roles/${role.id}`, { name: 'Ghost' })).statusCode).toBe(404);

      const audit = (await admin().get(`/audit?entityId=${role.id}`)).json<AuditPage>();
      expect(audit.items.map((e) => e.action)).toEqual(['role.deleted', 'role.updated', 'role.created']);
      expect(audit.items.every((e) => e.entityType === 'role' && e.actorId === desk.admin.user.id)).toBe(true);
    });

    it('refuses a name the workspace has, ignoring case, built-in names included', async () => {
      await createRole('Night shift', ['tickets.work']);
      // Even where lower-casing would make the name longer than the column.
      expect((await admin().post('/roles', { name: 'İ'.repeat(64), permissions: [] })).statusCode).toBe(201);
      for (const name of ['night SHIFT', 'admin']) {
        const response = await admin().post('/roles', { name, permissions: [] });
        expect(response.statusCode, name).toBe(409);
        expect(response.json().error.details.fields[0]).toMatchObject({ path: 'name', reason: 'taken' });
      }
      const other = await createRole('Day shift', []);
      expect((await admin().patch(`/roles/${other.id}`, { name: 'Night Shift' })).statusCode).toBe(409);
    });

    it('refuses names and permissions that are not ones', async () => {
      for (const body of [
        { name: '', permissions: [] },
        { name: 'x'.repeat(65), permissions: [] },
        { name: 'Two\nlines', permissions: [] },
        { name: 'Wizard', permissions: ['everything'] },
        { name: 'Wizard' },
      ]) {
        expect((await admin().post('/roles', body)).statusCode, JSON.stringify(body)).toBe(400);
      }
      const role = await createRole('Quiet', []);
      expect((await admin().patch(`/roles/${role.id}`, {})).statusCode).toBe(400);
      // A person gets one role: by its built-in key or by its id, not both.
      const both = await admin().patch(`/users/${desk.dan.user.id}`, { role: 'agent', roleId: role.id });
      expect(both.statusCode).toBe(400);
    });

    it('keeps the built-in roles as they are, and says why', async () => {
      for (const role of (await roles()).filter((r) => r.builtIn)) {
        const patched = await admin().patch(`/roles/${role.id}`, { permissions: [] });
        expect(patched.statusCode).toBe(409);
        expect(patched.json().error.message).toMatch(/built-in role.*admin one holds every permission/);
        expect((await admin().delete(`/roles/${role.id}`)).statusCode).toBe(409);
      }
      expect((await roles())[0]!.permissions).toHaveLength(10);
    });

    it('deletes only a role nobody has', async () => {
      const role = await createRole('Temp', ['tickets.work']);
      const dan = await as(t, desk.admin).patch(`/users/${desk.dan.user.id}`, { roleId: role.id });
      expect(dan.statusCode, dan.body).toBe(200);
      // Deactivated, Dan still has it: he may come back.
      await admin().patch(`/users/${desk.dan.user.id}`, { deactivated: true });
      const refused = await admin().delete(`/roles/${role.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toMatch(/still has this role/);
      await admin().patch(`/users/${desk.dan.user.id}`, { role: 'customer', deactivated: false });
      expect((await admin().delete(`/roles/${role.id}`)).statusCode).toBe(204);
    });

    it('lets who manages people read the roles, and only who manages settings change them', async () => {
      const peopleManager = await createRole('People manager', ['people.manage']);
      await admin().patch(`/users/${desk.otto.user.id}`, { roleId: peopleManager.id });
      const otto = await signIn(t, desk.otto.user.username, 'default');
      expect((await as(t, otto).get('/roles')).statusCode).toBe(200);
      expect((await as(t, otto).post('/roles', { name: 'Mine', permissions: [] })).statusCode).toBe(403);
      expect((await as(t, otto).patch(`/roles/${peopleManager.id}`, { name: 'Boss' })).statusCode).toBe(403);
      expect((await as(t, otto).delete(`/roles/${peopleManager.id}`)).statusCode).toBe(403);
      for (const who of [desk.sam, desk.carla]) expect((await as(t, who).get('/roles')).statusCode).toBe(403);
      await admin().patch(`/users/${desk.otto.user.id}`, { role: 'agent' });
      await admin().put(`/teams/${desk.billing}/members/${desk.otto.user.id}`);
    });
  });

  describe('a billing clerk without notes.write', () => {
    let clerk: WorkspaceRole;
    let kim: Session;

    beforeAll(async () => {
      clerk = await createRole('Billing clerk', ['tickets.work', 'tickets.priority']);
    });

    it('is given to Kim: she shows as staff under the role name, and keeps her team', async () => {
      const given = await admin().patch(`/users/${desk.kim.user.id}`, { roleId: clerk.id });
      expect(given.statusCode, given.body).toBe(200);
      expect(given.json<AdminUser>()).toMatchObject({ role: 'agent', roleId: clerk.id, roleName: 'Billing clerk' });
      kim = await signIn(t, desk.kim.user.username, 'default');
      expect(kim.user).toMatchObject({ role: 'agent', roleId: clerk.id, roleName: 'Billing clerk' });
      expect(kim.user.permissions).toEqual(['tickets.priority', 'tickets.work']);
      const me = (await as(t, kim).get('/me')).json<Me>();
      expect(me.roleName).toBe('Billing clerk');
      // Still an agent for the team pickers, and still on team Support.
      const agents = (await admin().get('/users?role=agent&limit=100')).json<{ items: AdminUser[] }>().items;
      expect(agents.map((u) => u.id)).toContain(kim.user.id);
      expect((await as(t, kim).get(`/tickets/${ticket.id}`)).statusCode).toBe(200);
      expect((await roles()).find((r) => r.id === clerk.id)!.memberCount).toBe(1);
    });

    it('sees the notes on the ticket but cannot write one by REST', async () => {
      const history = (await as(t, kim).get(`/conversations/${ticket.conversationId}/messages`)).json<{
        items: Message[];
      }>();
      expect(history.items.map((m) => m.body)).toContain('Carla paid twice, refund one');
      const note = await as(t, kim).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: 'kim-note-rest',
        body: 'Refunded',
        internal: true,
      });
      expect(note.statusCode).toBe(403);
      expect(note.json().error.code).toBe('forbidden');
      // A public reply is fine.
      const reply = await as(t, kim).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: 'kim-reply',
        body: 'We are on it',
      });
      expect(reply.statusCode).toBe(201);
    });

    it('cannot write one, nor type one, over the socket', async (context) => {
      const socket = await openSocket(kim, context);
      socket.send({ type: 'subscribe', conversationId: ticket.conversationId });
      await socket.next('subscribed');
      const send = await frameError(socket, {
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: 'kim-note-ws',
        body: 'Refunded',
        internal: true,
      });
      expect(send.code).toBe('forbidden');
      const typing = await frameError(socket, {
        type: 'typing',
        conversationId: ticket.conversationId,
        internal: true,
      });
      expect(typing.code).toBe('forbidden');
      const bodies = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}/messages`))
        .json<{ items: Message[] }>()
        .items.map((m) => m.body);
      expect(bodies).not.toContain('Refunded');
    });

    it('gets notes.write on her open socket the moment the role does', async (context) => {
      const socket = await openSocket(kim, context);
      const edited = await admin().patch(`/roles/${clerk.id}`, {
        permissions: ['tickets.work', 'tickets.priority', 'notes.write'],
      });
      expect(edited.statusCode, edited.body).toBe(200);
      expect(await socket.closed).toEqual(revoked);

      // Her next request, and her reconnected socket, have the new right.
      const again = await openSocket(kim, context);
      again.send({
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: 'kim-note-ws-2',
        body: 'Refunded, by socket',
        internal: true,
      });
      expect((await again.next('ack')).clientMsgId).toBe('kim-note-ws-2');
      const note = await as(t, kim).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: 'kim-note-rest-2',
        body: 'Refunded, by REST',
        internal: true,
      });
      expect(note.statusCode, note.body).toBe(201);
      expect(note.json<Message>().kind).toBe('note');
      // Carla never hears of either.
      const hers = (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages`)).json<{
        items: Message[];
      }>();
      expect(hers.items.map((m) => m.body)).not.toContain('Refunded, by REST');
    });

    it('loses it again on her open socket the moment the role does', async (context) => {
      const socket = await openSocket(kim, context);
      await admin().patch(`/roles/${clerk.id}`, { permissions: ['tickets.work', 'tickets.priority'] });
      expect(await socket.closed).toEqual(revoked);
      const again = await openSocket(kim, context);
      again.send({ type: 'subscribe', conversationId: ticket.conversationId });
      await again.next('subscribed');
      const send = await frameError(again, {
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: 'kim-note-ws-3',
        body: 'Too late',
        internal: true,
      });
      expect(send.code).toBe('forbidden');
    });

    it('a role that stops working tickets takes its members out of their teams', async () => {
      const temp = await createRole('Seasonal', ['tickets.work']);
      await admin().patch(`/users/${desk.otto.user.id}`, { roleId: temp.id });
      const members = async () =>
        (await admin().get(`/teams/${desk.billing}`)).json<{ members: { id: string }[] }>().members.map((m) => m.id);
      expect(await members()).toContain(desk.otto.user.id);
      await admin().patch(`/roles/${temp.id}`, { permissions: ['reports.view'] });
      expect(await members()).not.toContain(desk.otto.user.id);
      await admin().patch(`/users/${desk.otto.user.id}`, { role: 'agent' });
      await admin().put(`/teams/${desk.billing}/members/${desk.otto.user.id}`);
    });

    it('a rename alone leaves her socket open', async (context) => {
      const socket = await openSocket(kim, context);
      await admin().patch(`/roles/${clerk.id}`, { name: 'Billing clerks' });
      socket.send({ type: 'ping', ref: 'still-here' });
      expect((await socket.next('pong')).ref).toBe('still-here');
      expect((await as(t, kim).get('/me')).json<Me>().roleName).toBe('Billing clerks');
    });

    it('a role change closes her open socket at once, and the new one has the new rights', async (context) => {
      const socket = await openSocket(kim, context);
      const back = await admin().patch(`/users/${desk.kim.user.id}`, { role: 'agent' });
      expect(back.statusCode).toBe(200);
      expect(await socket.closed).toEqual(revoked);
      const again = await openSocket(kim, context);
      again.send({
        type: 'message.send',
        conversationId: ticket.conversationId,
        clientMsgId: 'kim-note-as-agent',
        body: 'Noted as an agent',
        internal: true,
      });
      expect((await again.next('ack')).clientMsgId).toBe('kim-note-as-agent');
      expect((await roles()).find((r) => r.id === clerk.id)!.memberCount).toBe(0);
    });

    it('a custom role without tickets.work shows as a customer and takes its holder out of their teams', async () => {
      const viewer = await createRole('Viewer', ['reports.view']);
      const given = await admin().patch(`/users/${desk.sam.user.id}`, { roleId: viewer.id });
      expect(given.json<AdminUser>()).toMatchObject({ role: 'customer', roleName: 'Viewer' });
      const team = (await admin().get(`/teams/${desk.support}`)).json<{ members: { id: string }[] }>();
      expect(team.members.map((m) => m.id)).not.toContain(desk.sam.user.id);
      const sam = await signIn(t, desk.sam.user.username, 'default');
      expect((await as(t, sam).get('/audit')).statusCode).toBe(200);
      expect((await as(t, sam).get('/tickets/counts')).statusCode).toBe(200);
      const audit = (
        await admin().get(`/audit?entityId=${desk.sam.user.id}&action=user.role_changed`)
      ).json<AuditPage>();
      expect(audit.items[0]!.data).toMatchObject({
        from: 'agent',
        to: 'customer',
        fromRole: { name: 'Agent' },
        toRole: { id: viewer.id, name: 'Viewer' },
      });
    });
  });

  describe('another workspace', () => {
    it("answers 404 on another workspace's role ids, and lists only its own roles", async () => {
      await createWorkspace(t, 'acme', 'Acme');
      const acme = await setUpDesk(t, { workspace: 'acme' });
      const ours = (await roles()).find((r) => r.name === 'Billing clerks')!;
      const theirs = (await roles(acme.admin)).find((r) => r.builtIn === 'agent')!;
      expect((await roles(acme.admin)).map((r) => r.name)).toEqual(['Admin', 'Agent', 'Customer']);
      for (const response of [
        await as(t, acme.admin).patch(`/roles/${ours.id}`, { name: 'Stolen' }),
        await as(t, acme.admin).delete(`/roles/${ours.id}`),
        await as(t, acme.admin).patch(`/users/${acme.sam.user.id}`, { roleId: ours.id }),
        await admin().patch(`/users/${desk.kim.user.id}`, { roleId: theirs.id }),
      ]) {
        expect(response.statusCode).toBe(404);
        expect(response.json().error.code).toBe('not_found');
      }
      expect((await roles()).find((r) => r.id === ours.id)!.name).toBe('Billing clerks');
      // Role names are per workspace: Acme may have its own "Billing clerks".
      expect((await as(t, acme.admin).post('/roles', { name: 'Billing clerks', permissions: [] })).statusCode).toBe(
        201,
      );
    });
  });
});
