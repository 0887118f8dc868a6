import type { CreatedInvite, InviteList, InvitePreview, Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace, registerUser, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as } from '../testing/test-desk';

/**
 * Invite links: Ina, the admin of the invite-only workspace Closed, lets people in with a role.
 * They register with the link, or join with it from another workspace they are signed in to.
 */
describe(`invites on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let ina: Session;
  let agentOfClosed: Session;
  let outsider: Session;

  beforeAll(async () => {
    t = await startTestApp();
    outsider = await signUp(t, 'admin', { username: 'outsider' });
    const closed = await createWorkspace(t, 'closed', 'Closed Inc');
    ina = await signUp(t, 'admin', { username: 'ina', workspace: 'closed' });
    agentOfClosed = await signUp(t, 'agent', { username: 'agentofclosed', workspace: 'closed' });
    // From now on by invite only.
    await t.database.db.updateTable('workspaces').set({ openSignup: 0 }).where('id', '=', closed.id).execute();
  });
  afterAll(() => t.close());

  const invite = async (body: object, who = ina) => {
    const response = await as(t, who).post('/invites', body);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<CreatedInvite>();
  };
  const register = (username: string, extra: object) =>
    t.app.inject({
      method: 'POST',
      url: '/auth/register',
      payload: { email: `${username}@example.com`, username, password: 'correct horse battery', ...extra },
    });
  const preview = (token: string) => t.app.inject({ method: 'GET', url: `/invites/preview/${token}` });

  it('lets only people.manage make, list and revoke invites', async () => {
    for (const response of [
      await as(t, agentOfClosed).post('/invites', { role: 'agent', expiresInHours: 1 }),
      await as(t, agentOfClosed).get('/invites'),
      await as(t, agentOfClosed).delete('/invites/01ARZ3NDEKTSV4RRFFQ69G5FAV'),
    ]) {
      expect(response.statusCode).toBe(403);
    }
  });

  it('shows the link once; the list never has a token, and the table keeps only its hash', async () => {
    const created = await invite({ role: 'agent', maxUses: 5, expiresInHours: 48 });
    expect(created.path).toBe(`/join/${created.token}`);
    expect(created.invite).toMatchObject({
      role: { name: 'Agent' },
      maxUses: 5,
      uses: 0,
      usesLeft: 5,
      state: 'active',
    });
    const list = await as(t, ina).get('/invites');
    expect(list.body).not.toContain(created.token);
    expect(list.json<InviteList>().items[0]).toEqual(created.invite);
    const row = await t.database.db
      .selectFrom('invites')
      .selectAll()
      .where('workspaceId', '=', ina.user.workspace.id)
      .where('id', '=', created.invite.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(created.token);
    // The audit trail says who made it, for which role.
    const audit = await as(t, ina).get('/audit?action=invite.created');
    expect(audit.json().items[0]).toMatchObject({
      actorId: ina.user.id,
      entityType: 'invite',
      entityId: created.invite.id,
      data: { role: 'Agent', maxUses: 5 },
    });
    expect(audit.body).not.toContain(created.token);
  });

  it('refuses invites that live longer than 30 days, and roles of other workspaces', async () => {
    expect((await as(t, ina).post('/invites', { role: 'agent', expiresInHours: 721 })).statusCode).toBe(400);
    expect((await as(t, ina).post('/invites', { expiresInHours: 1 })).statusCode).toBe(400);
    const outsiderRole = outsider.user.id; // an id that is no role of Closed
    expect((await as(t, ina).post('/invites', { roleId: outsiderRole, expiresInHours: 1 })).statusCode).toBe(404);
    // A role of another workspace is as unknown as one that does not exist.
    const otherRole = await t.database.db
      .selectFrom('roles')
      .select('id')
      .where('workspaceId', '=', outsider.user.workspace.id)
      .where('builtIn', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect((await as(t, ina).post('/invites', { roleId: otherRole.id, expiresInHours: 1 })).statusCode).toBe(404);
  });

  it("previews the workspace's branding and the role, publicly", async () => {
    await as(t, ina).patch('/workspace', { accentColor: '#1A7F37' });
    const created = await invite({ role: 'customer', expiresInHours: 1 });
    const response = await preview(created.token);
    expect(response.statusCode).toBe(200);
    expect(response.json<InvitePreview>()).toEqual({
      workspace: { name: 'Closed Inc', logoUrl: null, accentColor: '#1a7f37' },
      role: { name: 'Customer' },
    });
  });

  it('registers a newcomer into the invite-only workspace with the role of the invite', async () => {
    // Without an invite, Closed takes nobody.
    expect((await register('walkin', { workspace: 'closed' })).statusCode).toBe(404);
    const created = await invite({ role: 'agent', expiresInHours: 1 });
    const response = await register('newagent', { invite: created.token });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json<Session>().user).toMatchObject({ role: 'agent', workspace: { slug: 'closed' } });
    const listed = (await as(t, ina).get('/invites')).json<InviteList>().items.find((i) => i.id === created.invite.id);
    expect(listed).toMatchObject({ uses: 1, usesLeft: 0, state: 'used_up' });
  });

  it('answers one 404 for unknown, expired, used-up and revoked invites, to preview and to use', async () => {
    const usedUp = await invite({ role: 'customer', expiresInHours: 1 });
    expect((await register('first', { invite: usedUp.token })).statusCode).toBe(201);
    const revoked = await invite({ role: 'customer', maxUses: null, expiresInHours: 1 });
    expect((await as(t, ina).delete(`/invites/${revoked.invite.id}`)).statusCode).toBe(204);
    expect((await as(t, ina).delete(`/invites/${revoked.invite.id}`)).statusCode).toBe(204);
    const expiring = await invite({ role: 'customer', maxUses: null, expiresInHours: 1 });
    expect((await preview(expiring.token)).statusCode).toBe(200);
    // Its hour is over (set behind the API's back: moving the clock would expire the sessions too).
    await t.database.db
      .updateTable('invites')
      .set({ expiresAt: Date.now() })
      .where('workspaceId', '=', ina.user.workspace.id)
      .where('id', '=', expiring.invite.id)
      .execute();
    const unknown = 'A'.repeat(43);
    const answers = [];
    for (const token of [unknown, usedUp.token, revoked.token, expiring.token]) {
      const seen = await preview(token);
      const used = await register(`try${answers.length}`, { invite: token });
      answers.push({ preview: [seen.statusCode, seen.json()], use: [used.statusCode, used.json()] });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    const notUsable = { error: { code: 'not_found', message: 'This invite does not exist or can no longer be used' } };
    expect(answers[0]).toEqual({ preview: [404, notUsable], use: [404, notUsable] });
    const states = (await as(t, ina).get('/invites')).json<InviteList>().items;
    expect(states.find((i) => i.id === revoked.invite.id)?.state).toBe('revoked');
    expect(states.find((i) => i.id === expiring.invite.id)?.state).toBe('expired');
  });

  it("revoking another workspace's invite is as if it did not exist", async () => {
    const created = await invite({ role: 'customer', expiresInHours: 1 });
    expect((await as(t, outsider).delete(`/invites/${created.invite.id}`)).statusCode).toBe(404);
    expect((await preview(created.token)).statusCode).toBe(200);
  });

  it('lets a signed-in person of another workspace join, and sign in there', async () => {
    const created = await invite({ role: 'agent', maxUses: 2, expiresInHours: 1 });
    const joined = await as(t, outsider).post('/auth/join', { invite: created.token });
    expect(joined.statusCode, joined.body).toBe(200);
    const session = joined.json<Session>();
    expect(session.user).toMatchObject({ id: outsider.user.id, role: 'agent', workspace: { slug: 'closed' } });
    expect((await as(t, session).get('/me')).json()).toMatchObject({ workspace: { slug: 'closed' } });
    // The old session goes on, in its own workspace, as admin.
    expect((await as(t, outsider).get('/me')).json()).toMatchObject({ role: 'admin' });
    // Joining again: a session, and the invite not used up by it.
    expect((await as(t, outsider).post('/auth/join', { invite: created.token })).statusCode).toBe(200);
    const listed = (await as(t, ina).get('/invites')).json<InviteList>().items.find((i) => i.id === created.invite.id);
    expect(listed?.uses).toBe(1);
  });

  it('a deactivated member is not let back in by an invite', async () => {
    const leaver = await registerUser(t.app, { username: 'leaver' });
    const created = await invite({ role: 'customer', maxUses: null, expiresInHours: 1 });
    const joined = (await as(t, leaver).post('/auth/join', { invite: created.token })).json<Session>();
    expect((await as(t, ina).patch(`/users/${joined.user.id}`, { deactivated: true })).statusCode).toBe(200);
    expect((await as(t, leaver).post('/auth/join', { invite: created.token })).statusCode).toBe(404);
  });

  it('lets exactly 3 of 10 simultaneous sign-ups use a 3-use invite', async () => {
    const created = await invite({ role: 'customer', maxUses: 3, expiresInHours: 1 });
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => register(`racer${i}`, { invite: created.token })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 201, 201, 404, 404, 404, 404, 404, 404, 404]);
    const members = await t.database.db
      .selectFrom('workspaceMembers')
      .innerJoin('users', 'users.id', 'workspaceMembers.userId')
      .select('users.username')
      .where('workspaceMembers.workspaceId', '=', ina.user.workspace.id)
      .where('users.username', 'like', 'racer%')
      .execute();
    expect(members).toHaveLength(3);
    // The losers have no account at all: they may sign up again another way.
    const accounts = await t.database.db.selectFrom('users').select('id').where('username', 'like', 'racer%').execute();
    expect(accounts).toHaveLength(3);
    const listed = (await as(t, ina).get('/invites')).json<InviteList>().items.find((i) => i.id === created.invite.id);
    expect(listed).toMatchObject({ uses: 3, usesLeft: 0, state: 'used_up' });
  });
});
