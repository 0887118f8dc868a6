import type { SavedView, SavedViewList, SlaPolicy, Ticket, TicketPage } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

const MINUTE = 60_000;
const ENV = { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' };

/** Every hour counts; medium: answer within 1 h (at risk after 45 min), resolve within 4 h. */
const POLICY: SlaPolicy = {
  targets: {
    low: { firstResponseMinutes: 240, resolutionMinutes: 2880 },
    medium: { firstResponseMinutes: 60, resolutionMinutes: 240 },
    high: { firstResponseMinutes: 30, resolutionMinutes: 120 },
    urgent: { firstResponseMinutes: 10, resolutionMinutes: 60 },
  },
  atRiskPercent: 75,
  businessHours: null,
  escalation: [],
};

describe(`saved views on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  /** Support: two open (one urgent), Billing: one open, no team: one open urgent. */
  let tickets: Record<'supportUrgent' | 'support' | 'billing' | 'teamless', Ticket>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: ENV });
    desk = await setUpDesk(t);
    // Customers may not choose urgent: staff open those for them.
    const forCarla = { requesterId: desk.carla.user.id };
    tickets = {
      supportUrgent: await openTicket(t, desk.admin, {
        ...forCarla,
        teamId: desk.support,
        priority: 'urgent',
        subject: 'Cannot sign in',
      }),
      support: await openTicket(t, desk.carla, {
        teamId: desk.support,
        subject: 'Password reset',
        description: 'The reset mail lands in spam',
      }),
      billing: await openTicket(t, desk.dan, { teamId: desk.billing, subject: 'Invoice twice' }),
      teamless: await openTicket(t, desk.admin, { ...forCarla, priority: 'urgent', subject: 'Site down' }),
    };
  });
  afterAll(() => t.close());

  const viewsOf = async (who: Desk['sam']) => {
    const answer = await as(t, who).get('/views');
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<SavedViewList>().items;
  };
  const countsOf = async (who: Desk['sam']) => Object.fromEntries((await viewsOf(who)).map((v) => [v.name, v.count]));
  const listed = async (who: Desk['sam'], query: string) => {
    const answer = await as(t, who).get(`/tickets?${query}`);
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<TicketPage>().items.map((i) => i.id);
  };

  it('keeps personal views to their owner: others neither see, change nor delete them', async () => {
    const created = await as(t, desk.sam).post('/views', {
      name: 'Urgent',
      filter: { status: 'open', priority: 'urgent' },
      sort: 'priority',
    });
    expect(created.statusCode, created.body).toBe(201);
    const urgent = created.json<SavedView>();
    // Sam sees Support's and the teamless tickets, not Billing's.
    expect(urgent).toMatchObject({
      name: 'Urgent',
      scope: 'personal',
      ownerId: desk.sam.user.id,
      filter: { status: 'open', priority: 'urgent' },
      sort: 'priority',
      count: 2,
      needsAttention: false,
      problem: null,
    });
    expect((await viewsOf(desk.sam)).map((v) => v.id)).toEqual([urgent.id]);
    expect(await viewsOf(desk.kim)).toEqual([]);
    expect(await viewsOf(desk.admin)).toEqual([]);
    expect((await as(t, desk.kim).patch(`/views/${urgent.id}`, { name: 'Mine now' })).statusCode).toBe(404);
    expect((await as(t, desk.admin).delete(`/views/${urgent.id}`)).statusCode).toBe(404);
    expect((await as(t, desk.kim).get(`/tickets?viewId=${urgent.id}`)).statusCode).toBe(404);

    const renamed = await as(t, desk.sam).patch(`/views/${urgent.id}`, { name: 'On fire', sort: 'created' });
    expect(renamed.json<SavedView>()).toMatchObject({ name: 'On fire', sort: 'created', count: 2 });
    expect(await listed(desk.sam, `viewId=${urgent.id}`)).toEqual([tickets.teamless.id, tickets.supportUrgent.id]);
    // The view's filter applies, not one given beside it.
    expect(await listed(desk.sam, `viewId=${urgent.id}&priority=low`)).toHaveLength(2);

    expect((await as(t, desk.sam).delete(`/views/${urgent.id}`)).statusCode).toBe(204);
    expect(await viewsOf(desk.sam)).toEqual([]);
    expect((await as(t, desk.sam).delete(`/views/${urgent.id}`)).statusCode).toBe(404);
  });

  it('shares views made by settings.manage with every staff member, who may not change them', async () => {
    const bySam = await as(t, desk.sam).post('/views', { name: 'Everything', scope: 'shared' });
    expect(bySam.statusCode).toBe(403);
    expect(bySam.json()).toMatchObject({ error: { code: 'forbidden' } });

    const open = (
      await as(t, desk.admin).post('/views', { name: 'Open', scope: 'shared', filter: { status: 'open' } })
    ).json<SavedView>();
    const mine = (await as(t, desk.sam).post('/views', { name: 'Mine', filter: { view: 'mine' } })).json<SavedView>();
    expect(mine.position).toBeGreaterThan(open.position);
    expect((await viewsOf(desk.sam)).map((v) => v.name)).toEqual(['Open', 'Mine']);
    expect((await viewsOf(desk.otto)).map((v) => v.name)).toEqual(['Open']);

    for (const call of [
      as(t, desk.sam).patch(`/views/${open.id}`, { name: 'Taken' }),
      as(t, desk.sam).delete(`/views/${open.id}`),
      as(t, desk.sam).patch(`/views/${mine.id}`, { scope: 'shared' }),
    ]) {
      expect((await call).statusCode).toBe(403);
    }
    expect((await as(t, desk.admin).patch(`/views/${open.id}`, { name: 'All open' })).json<SavedView>().name).toBe(
      'All open',
    );
    expect((await viewsOf(desk.sam)).map((v) => v.name)).toEqual(['All open', 'Mine']);
    await as(t, desk.sam).delete(`/views/${mine.id}`);
  });

  it('counts for each reader what the list would show them, and follows new tickets', async () => {
    expect(await countsOf(desk.admin)).toEqual({ 'All open': 4 });
    expect(await countsOf(desk.sam)).toEqual({ 'All open': 3 });
    expect(await countsOf(desk.otto)).toEqual({ 'All open': 2 });
    await openTicket(t, desk.dan, { teamId: desk.billing, subject: 'Refund' });
    expect(await countsOf(desk.otto)).toEqual({ 'All open': 3 });
    expect(await countsOf(desk.sam)).toEqual({ 'All open': 3 });
  });

  it('is for staff: customers get 403 from every route and from `viewId`', async () => {
    const shared = (await viewsOf(desk.admin))[0]!;
    for (const answer of await Promise.all([
      as(t, desk.carla).get('/views'),
      as(t, desk.carla).post('/views', { name: 'Mine' }),
      as(t, desk.carla).patch(`/views/${shared.id}`, { name: 'x' }),
      as(t, desk.carla).delete(`/views/${shared.id}`),
      as(t, desk.carla).get(`/tickets?viewId=${shared.id}`),
    ])) {
      expect(answer.statusCode, answer.body).toBe(403);
    }
  });

  it('refuses a filter the list would refuse, and marks a stored one that no longer parses', async () => {
    const bad = await as(t, desk.sam).post('/views', { name: 'Bad', filter: { status: 'archived' } });
    expect(bad.statusCode).toBe(400);
    expect((await as(t, desk.sam).post('/views', { name: 'All', filter: { view: 'all' } })).statusCode).toBe(403);

    const broken = (
      await as(t, desk.admin).post('/views', { name: 'Broken', scope: 'shared', filter: { status: 'open' } })
    ).json<SavedView>();
    // As if a filter value it names went away: the stored JSON no longer parses.
    await t.database.db
      .updateTable('savedViews')
      .set({ filter: JSON.stringify({ status: 'archived', labelIds: 'gone' }) })
      .where('workspaceId', '=', desk.admin.user.workspace.id)
      .where('id', '=', broken.id)
      .execute();
    // A shared view of every ticket, which Sam may not open (no `tickets.all`).
    await as(t, desk.admin).post('/views', { name: 'Everything', scope: 'shared', filter: { view: 'all' } });

    const views = await viewsOf(desk.sam);
    expect(views.map((v) => [v.name, v.count, v.needsAttention])).toEqual([
      ['All open', 3, false],
      ['Broken', null, true],
      ['Everything', null, true],
    ]);
    expect(views[1]!.problem).toMatch(/status/);
    expect(views[1]!.filter).toMatchObject({ status: 'archived' });
    expect((await countsOf(desk.admin)).Everything).toBe(5);

    const opened = await as(t, desk.sam).get(`/tickets?viewId=${broken.id}`);
    expect(opened.statusCode).toBe(400);
    expect(opened.json()).toMatchObject({ error: { code: 'validation_failed' } });
    // Fixed by saving a filter that parses.
    const fixed = await as(t, desk.admin).patch(`/views/${broken.id}`, { filter: { status: 'closed' } });
    expect(fixed.json<SavedView>()).toMatchObject({ needsAttention: false, count: 0 });
  });

  it('finds text in the subject or the description', async () => {
    expect(await listed(desk.admin, 'q=spam')).toEqual([tickets.support.id]);
    expect(await listed(desk.admin, 'q=RESET')).toEqual([tickets.support.id]);
    expect(await listed(desk.admin, 'q=nothing-like-it')).toEqual([]);
  });

  it('filters by SLA state, the worse of the two targets; customers may not', async () => {
    const settle = async () => {
      for (let i = 0; i < 4; i++) await t.app.jobs.runDueJobs();
    };
    expect((await as(t, desk.admin).put('/sla-policy', POLICY)).statusCode).toBe(200);
    const late = await openTicket(t, desk.carla, { teamId: desk.support, subject: 'Late one' });
    const answered = await openTicket(t, desk.carla, { teamId: desk.support, subject: 'Answered one' });
    await settle();
    const reply = await as(t, desk.sam).post(`/conversations/${answered.conversationId}/messages`, {
      clientMsgId: 'sla-1',
      body: 'On it',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    clock.advance(50 * MINUTE);
    await settle();
    const fresh = await openTicket(t, desk.carla, { teamId: desk.support, subject: 'Fresh one' });
    await settle();

    const sla = (state: string) => listed(desk.admin, `sla=${state}&sort=created`);
    expect(await sla('at_risk')).toEqual([late.id]);
    expect(await sla('ok')).toEqual([fresh.id, answered.id]);
    expect(await sla('breached')).toEqual([]);

    const breachedView = (
      await as(t, desk.sam).post('/views', { name: 'Breached', filter: { sla: 'breached' } })
    ).json<SavedView>();
    expect(breachedView.count).toBe(0);
    clock.advance(20 * MINUTE);
    await settle();
    expect(await sla('breached')).toEqual([late.id]);
    expect(await sla('at_risk')).toEqual([]);
    expect((await countsOf(desk.sam)).Breached).toBe(1);

    expect((await as(t, desk.sam).patch(`/tickets/${answered.id}`, { status: 'closed' })).statusCode).toBe(200);
    await settle();
    expect(await sla('met')).toEqual([answered.id]);
    // Tickets opened before the policy have no SLA and match no state.
    expect(await listed(desk.admin, 'sla=ok')).not.toContain(tickets.support.id);

    for (const url of ['/tickets?sla=breached', '/tickets/counts?sla=ok']) {
      const answer = await as(t, desk.carla).get(url);
      expect(answer.statusCode, answer.body).toBe(403);
    }
  });
  it('keeps a field to sort by first: the view lists in its order; an archived field marks it', async () => {
    const field = await as(t, desk.admin).post('/custom-fields', {
      entity: 'ticket',
      key: 'seats',
      name: 'Seats',
      type: 'number',
    });
    expect(field.statusCode, field.body).toBe(201);
    for (const [ticket, seats] of [
      [tickets.support, 3],
      [tickets.supportUrgent, 30],
    ] as const) {
      expect((await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { fields: { seats } })).statusCode).toBe(200);
    }
    const unknown = await as(t, desk.sam).post('/views', { name: 'By size', sortField: '-nope' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { details: { fields: [{ in: 'body', path: 'sortField' }] } } });

    const made = await as(t, desk.sam).post('/views', {
      name: 'By size',
      filter: { teamId: desk.support },
      sortField: '-seats',
    });
    expect(made.statusCode, made.body).toBe(201);
    const view = made.json<SavedView>();
    expect(view.sortField).toBe('-seats');
    // Tickets with a value first (the other Support tickets have none), in its order.
    const first2 = async () => (await listed(desk.sam, `viewId=${view.id}`)).slice(0, 2);
    expect(await first2()).toEqual([tickets.supportUrgent.id, tickets.support.id]);
    const ascending = await as(t, desk.sam).patch(`/views/${view.id}`, { sortField: 'seats' });
    expect(ascending.json<SavedView>().sortField).toBe('seats');
    expect(await first2()).toEqual([tickets.support.id, tickets.supportUrgent.id]);

    // The field archived: the view needs attention until it sorts by no field.
    await as(t, desk.admin).patch(`/custom-fields/${field.json<{ id: string }>().id}`, { archived: true });
    const marked = (await viewsOf(desk.sam)).find((v) => v.id === view.id)!;
    expect(marked).toMatchObject({ needsAttention: true, count: null });
    expect(marked.problem).toMatch(/seats/);
    const cleared = await as(t, desk.sam).patch(`/views/${view.id}`, { sortField: null });
    const supportCount = (await listed(desk.sam, `teamId=${desk.support}`)).length;
    expect(cleared.json<SavedView>()).toMatchObject({ sortField: null, needsAttention: false, count: supportCount });
    await as(t, desk.sam).delete(`/views/${view.id}`);
  });
});
