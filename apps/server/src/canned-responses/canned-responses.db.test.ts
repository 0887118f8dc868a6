import type {
  AutomationRule,
  CannedResponse,
  CannedResponseList,
  Message,
  RenderedCannedResponse,
} from '@parley/protocol';
import type { Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { findWorkspace } from '../workspaces/workspace-repository';

/** Canned responses: who sees and keeps which, search, usage, filling one in for a ticket, rules. */
describe(`canned responses on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp({ env: { JOB_POLL_INTERVAL_MS: '3600000' } });
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const create = async (who: Session, body: object): Promise<CannedResponse> => {
    const answer = await as(t, who).post('/canned-responses', body);
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<CannedResponse>();
  };
  const shortcuts = async (who: Session, query = '') =>
    (await as(t, who).get(`/canned-responses${query}`)).json<CannedResponseList>().items.map((r) => r.shortcut);
  const render = (who: Session, id: string, ticketId: string) =>
    as(t, who).post(`/canned-responses/${id}/render`, { ticketId });
  const removeAll = async () => {
    const rows = await t.database.db.selectFrom('cannedResponses').select('id').execute();
    for (const { id } of rows) await t.database.db.deleteFrom('cannedResponses').where('id', '=', id).execute();
  };

  it("each agent sees their own, their teams' and the workspace's; nobody else's personal ones", async () => {
    await create(desk.sam, { scope: 'personal', shortcut: 'sam-hi', title: 'Sam says hi', body: 'Hi!' });
    await create(desk.otto, { scope: 'personal', shortcut: 'otto-hi', title: 'Otto says hi', body: 'Hello' });
    const support = await create(desk.admin, {
      scope: 'team',
      teamId: desk.support,
      shortcut: 'reset',
      title: 'Password reset',
      body: 'Use the reset link.',
    });
    await create(desk.admin, {
      scope: 'team',
      teamId: desk.billing,
      shortcut: 'invoice',
      title: 'Invoice copy',
      body: 'Attached.',
    });
    await create(desk.admin, { scope: 'workspace', shortcut: 'thanks', title: 'Thanks', body: 'Thank you!' });

    expect((await shortcuts(desk.sam)).sort()).toEqual(['reset', 'sam-hi', 'thanks']);
    expect((await shortcuts(desk.kim)).sort()).toEqual(['reset', 'thanks']);
    expect((await shortcuts(desk.otto)).sort()).toEqual(['invoice', 'otto-hi', 'thanks']);
    // The admin is in no team: to use, only the workspace's; to manage, every team's too.
    expect((await shortcuts(desk.admin)).sort()).toEqual(['thanks']);
    expect((await shortcuts(desk.admin, '?purpose=manage')).sort()).toEqual(['invoice', 'reset', 'thanks']);
    // Sam keeps his own only.
    expect((await shortcuts(desk.sam, '?purpose=manage')).sort()).toEqual(['sam-hi']);
    const samsView = (await as(t, desk.sam).get('/canned-responses')).json<CannedResponseList>().items;
    expect(samsView.find((r) => r.id === support.id)).toMatchObject({ canEdit: false, scope: 'team', usageCount: 0 });

    // Another's personal response does not exist for you, even for an admin.
    const ottos = (await as(t, desk.otto).get('/canned-responses')).json<CannedResponseList>().items;
    const ottoHi = ottos.find((r) => r.shortcut === 'otto-hi')!;
    expect((await as(t, desk.sam).patch(`/canned-responses/${ottoHi.id}`, { title: 'Mine' })).statusCode).toBe(404);
    expect((await as(t, desk.admin).delete(`/canned-responses/${ottoHi.id}`)).statusCode).toBe(404);
    await removeAll();
  });

  it('team and workspace ones need settings.manage; personal ones only their owner', async () => {
    for (const body of [
      { scope: 'workspace', shortcut: 'a', title: 'A', body: 'A' },
      { scope: 'team', teamId: desk.support, shortcut: 'b', title: 'B', body: 'B' },
    ]) {
      const answer = await as(t, desk.sam).post('/canned-responses', body);
      expect(answer.statusCode).toBe(403);
      expect(answer.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const team = await create(desk.admin, {
      scope: 'team',
      teamId: desk.support,
      shortcut: 'team',
      title: 'Team',
      body: 'Team body',
    });
    // Sam uses it but may not change it.
    expect((await as(t, desk.sam).patch(`/canned-responses/${team.id}`, { title: 'X' })).statusCode).toBe(403);
    expect((await as(t, desk.sam).delete(`/canned-responses/${team.id}`)).statusCode).toBe(403);
    const changed = await as(t, desk.admin).patch(`/canned-responses/${team.id}`, { title: 'Team 2', body: 'New' });
    expect(changed.json<CannedResponse>()).toMatchObject({ title: 'Team 2', body: 'New', shortcut: 'team' });

    const own = await create(desk.sam, { scope: 'personal', shortcut: 'own', title: 'Own', body: 'Mine' });
    expect(own).toMatchObject({ ownerId: desk.sam.user.id, teamId: null, canEdit: true });
    expect((await as(t, desk.sam).patch(`/canned-responses/${own.id}`, { shortcut: 'own-2' })).statusCode).toBe(200);
    expect((await as(t, desk.sam).delete(`/canned-responses/${own.id}`)).statusCode).toBe(204);
    expect((await as(t, desk.admin).delete(`/canned-responses/${team.id}`)).statusCode).toBe(204);
    expect(await shortcuts(desk.sam)).toEqual([]);

    const audit = (await as(t, desk.admin).get('/audit?entityType=canned_response')).json<{
      items: Array<{ action: string; entityId: string }>;
    }>();
    expect(audit.items.filter((e) => e.entityId === team.id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['canned_response.created', 'canned_response.updated', 'canned_response.deleted']),
    );
    // Personal ones are nobody else's business: not in the workspace's audit log.
    expect(audit.items.some((e) => e.entityId === own.id)).toBe(false);
  });

  it('refuses a taken shortcut per owner, a bad shortcut, a team scope without a real team', async () => {
    await create(desk.sam, { scope: 'personal', shortcut: 'dup', title: 'One', body: 'One' });
    const twice = await as(t, desk.sam).post('/canned-responses', {
      scope: 'personal',
      shortcut: 'dup',
      title: 'Two',
      body: 'Two',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ error: { code: 'conflict', details: { fields: [{ path: 'shortcut' }] } } });
    // Another owner may use the same shortcut.
    await create(desk.kim, { scope: 'personal', shortcut: 'dup', title: 'Kim', body: 'Kim' });
    await create(desk.admin, { scope: 'workspace', shortcut: 'dup', title: 'Everyone', body: 'All' });

    const nobody = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    for (const body of [
      { scope: 'personal', shortcut: 'Has Space', title: 'x', body: 'x' },
      { scope: 'personal', shortcut: '/slash', title: 'x', body: 'x' },
      { scope: 'personal', shortcut: 'ok', title: '', body: 'x' },
      { scope: 'personal', shortcut: 'ok', title: 'x', body: '  ' },
      { scope: 'team', shortcut: 'ok', title: 'x', body: 'x' },
      { scope: 'workspace', teamId: desk.support, shortcut: 'ok', title: 'x', body: 'x' },
      { scope: 'team', teamId: nobody, shortcut: 'ok', title: 'x', body: 'x' },
    ]) {
      const answer = await as(t, desk.admin).post('/canned-responses', body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
    }
    await removeAll();
  });

  it('searches shortcut, title and body ignoring case, and lists the most used first', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const refund = await create(desk.admin, {
      scope: 'workspace',
      shortcut: 'refund',
      title: 'Refund',
      body: 'We refunded your order.',
    });
    const shipping = await create(desk.admin, {
      scope: 'workspace',
      shortcut: 'shipping',
      title: 'Shipping times',
      body: 'Orders ship in 2 days; REFUNDS take 5.',
    });
    await create(desk.sam, { scope: 'personal', shortcut: 'bye', title: 'Goodbye', body: 'Bye for now' });

    expect(await shortcuts(desk.sam, '?q=ref')).toEqual(['refund', 'shipping']);
    expect(await shortcuts(desk.sam, '?q=%2FREF')).toEqual(['refund', 'shipping']);
    expect(await shortcuts(desk.sam, '?q=goodbye')).toEqual(['bye']);
    expect(await shortcuts(desk.sam, '?q=nothing-like-it')).toEqual([]);

    for (let i = 0; i < 2; i++) expect((await render(desk.sam, shipping.id, ticket.id)).statusCode).toBe(200);
    expect((await render(desk.kim, refund.id, ticket.id)).statusCode).toBe(200);
    const list = (await as(t, desk.sam).get('/canned-responses?q=ref')).json<CannedResponseList>().items;
    expect(list.map((r) => [r.shortcut, r.usageCount])).toEqual([
      ['shipping', 2],
      ['refund', 1],
    ]);
    await removeAll();
  });

  it('fills the placeholders for a real ticket, customer, agent and workspace; unknown ones stay visible', async () => {
    const ticket = await openTicket(t, desk.carla, { subject: 'Broken lamp', teamId: desk.support });
    const workspace = await findWorkspace(t.database.db, desk.carla.user.workspace.id);
    const response = await create(desk.admin, {
      scope: 'workspace',
      shortcut: 'hello',
      title: 'Hello',
      body:
        'Hi {{customer.firstName}} ({{customer.name}}, {{customer.email}}), about #{{ticket.id}} "{{ticket.subject}}": ' +
        '{{agent.firstName}} / {{agent.name}} of {{workspace.name}}. {{ticket.fields.plan}} {{customer.shoeSize}}',
    });
    const answer = await render(desk.sam, response.id, ticket.id);
    expect(answer.statusCode, answer.body).toBe(200);
    expect(answer.json<RenderedCannedResponse>()).toEqual({
      body:
        `Hi Carla (Carla, ${desk.carla.user.email}), about #${ticket.id.slice(-6)} "Broken lamp": ` +
        `Sam / Sam Agent of ${workspace!.name}. {{ticket.fields.plan}} {{customer.shoeSize}}`,
      unfilled: ['ticket.fields.plan', 'customer.shoeSize'],
    });
    // Rendering sends nothing: the agent edits it and sends it themselves.
    const messages = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}/messages`)).json<{
      items: Message[];
    }>().items;
    expect(messages.some((m) => m.body.includes('Broken lamp'))).toBe(false);
    await removeAll();
  });

  it('fills custom fields of the ticket and of its customer, as they are shown', async () => {
    const field = (body: object) => as(t, desk.admin).post('/custom-fields', body);
    expect((await field({ entity: 'ticket', key: 'order', name: 'Order', type: 'text' })).statusCode).toBe(201);
    expect(
      (await field({ entity: 'customer', key: 'plan', name: 'Plan', type: 'select', options: ['Gold'] })).statusCode,
    ).toBe(201);
    const ticket = await openTicket(t, desk.carla, { subject: 'Where is it?', teamId: desk.support });
    expect((await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { fields: { order: 'A-17' } })).statusCode).toBe(200);
    const setPlan = await as(t, desk.sam).put(`/users/${desk.carla.user.id}/fields`, { fields: { plan: 'Gold' } });
    expect(setPlan.statusCode, setPlan.body).toBe(200);
    const response = await create(desk.admin, {
      scope: 'workspace',
      shortcut: 'order',
      title: 'Your order',
      body: 'Order {{ticket.fields.order}} ships first: you are on {{customer.fields.plan}}. {{ticket.fields.nope}}',
    });
    expect((await render(desk.sam, response.id, ticket.id)).json<RenderedCannedResponse>()).toEqual({
      body: 'Order A-17 ships first: you are on Gold. {{ticket.fields.nope}}',
      unfilled: ['ticket.fields.nope'],
    });
    await removeAll();
  });

  it('renders only for a ticket the agent may see, and only a response they may use', async () => {
    const billingTicket = await openTicket(t, desk.carla, { teamId: desk.billing });
    const supportTicket = await openTicket(t, desk.carla, { teamId: desk.support });
    const everyone = await create(desk.admin, { scope: 'workspace', shortcut: 'hi', title: 'Hi', body: 'Hi' });
    const ottos = await create(desk.otto, { scope: 'personal', shortcut: 'mine', title: 'Mine', body: 'Mine' });
    expect((await render(desk.sam, everyone.id, billingTicket.id)).statusCode).toBe(404);
    expect((await render(desk.sam, ottos.id, supportTicket.id)).statusCode).toBe(404);
    expect((await render(desk.otto, ottos.id, billingTicket.id)).statusCode).toBe(200);
    await removeAll();
  });

  it('a role with settings.manage but not tickets.work keeps the workspace responses, but fills none in', async () => {
    const role = await as(t, desk.admin).post('/roles', { name: 'Desk manager', permissions: ['settings.manage'] });
    expect(role.statusCode, role.body).toBe(201);
    const mia = await signUp(t, 'agent', { displayName: 'Mia Manager' });
    const given = await as(t, desk.admin).patch(`/users/${mia.user.id}`, { roleId: role.json<{ id: string }>().id });
    expect(given.statusCode, given.body).toBe(200);
    const kept = await create(mia, { scope: 'workspace', shortcut: 'hours', title: 'Hours', body: 'We open at 9.' });
    expect(await shortcuts(mia, '?purpose=manage')).toContain('hours');
    expect((await as(t, mia).patch(`/canned-responses/${kept.id}`, { title: 'Opening hours' })).statusCode).toBe(200);
    const ticket = await openTicket(t, desk.carla);
    expect((await render(mia, kept.id, ticket.id)).statusCode).toBe(403);
    expect((await as(t, mia).delete(`/canned-responses/${kept.id}`)).statusCode).toBe(204);
  });

  it('customers get 403 on every route', async () => {
    const response = await create(desk.admin, { scope: 'workspace', shortcut: 'hi', title: 'Hi', body: 'Hi' });
    const ticket = await openTicket(t, desk.carla);
    for (const answer of await Promise.all([
      as(t, desk.carla).get('/canned-responses'),
      as(t, desk.carla).post('/canned-responses', { scope: 'personal', shortcut: 'x', title: 'x', body: 'x' }),
      as(t, desk.carla).patch(`/canned-responses/${response.id}`, { title: 'x' }),
      as(t, desk.carla).delete(`/canned-responses/${response.id}`),
      render(desk.carla, response.id, ticket.id),
    ])) {
      expect(answer.statusCode, answer.body).toBe(403);
      expect(answer.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    expect(await shortcuts(desk.admin)).toEqual(['hi']);
    await removeAll();
  });

  it('a rule sends a canned reply filled for the ticket; deleting a response a rule uses is refused, naming it', async () => {
    const response = await create(desk.admin, {
      scope: 'workspace',
      shortcut: 'got-it',
      title: 'Got it',
      body: 'Hi {{customer.name}}, we got "{{ticket.subject}}" (#{{ticket.id}}). {{agent.name}}',
    });
    const personal = await create(desk.admin, { scope: 'personal', shortcut: 'p', title: 'P', body: 'P' });
    const refused = await as(t, desk.admin).post('/automation-rules', {
      name: 'Personal',
      event: { type: 'ticket.created' },
      actions: [{ type: 'send_canned_reply', cannedResponseId: personal.id }],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ error: { details: { fields: [{ path: 'actions.0.cannedResponseId' }] } } });

    const created = await as(t, desk.admin).post('/automation-rules', {
      name: 'Acknowledge',
      event: { type: 'ticket.created' },
      actions: [{ type: 'send_canned_reply', cannedResponseId: response.id }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json<AutomationRule>();

    const ticket = await openTicket(t, desk.carla, { subject: 'Lost parcel' });
    for (let i = 0; i < 5; i++) await t.app.jobs.runDueJobs();
    const seen = (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages`)).json<{
      items: Message[];
    }>().items;
    expect(seen.map((m) => m.body)).toContain(`Hi Carla, we got "Lost parcel" (#${ticket.id.slice(-6)}). Parley`);

    const blocked = await as(t, desk.admin).delete(`/canned-responses/${response.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json()).toMatchObject({
      error: { code: 'conflict', details: { rules: [{ id: rule.id, name: 'Acknowledge' }] } },
    });
    expect(await shortcuts(desk.admin)).toContain('got-it');

    expect((await as(t, desk.admin).delete(`/automation-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await as(t, desk.admin).delete(`/canned-responses/${response.id}`)).statusCode).toBe(204);
    await removeAll();
  });

  it("a team's responses go with the team", async () => {
    const team = (await as(t, desk.admin).post('/teams', { name: 'Short-lived' })).json<{ id: string }>();
    await create(desk.admin, { scope: 'team', teamId: team.id, shortcut: 'gone', title: 'Gone', body: 'x' });
    expect(await shortcuts(desk.admin, '?purpose=manage')).toEqual(['gone']);
    expect((await as(t, desk.admin).delete(`/teams/${team.id}`)).statusCode).toBe(204);
    expect(await shortcuts(desk.admin, '?purpose=manage')).toEqual([]);
  });
});
