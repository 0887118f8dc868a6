import type { AuditPage, NotificationPage, SlaPolicy, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { createMigratedTestDatabase } from '../testing/database-template';
import { TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const ENV = { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' };

/** Every hour counts; medium: answer within 1 h, resolve within 4 h; at risk at 75 %. */
const policy = (changes: Partial<SlaPolicy> = {}): SlaPolicy => ({
  targets: {
    low: { firstResponseMinutes: 240, resolutionMinutes: 2880 },
    medium: { firstResponseMinutes: 60, resolutionMinutes: 240 },
    high: { firstResponseMinutes: 30, resolutionMinutes: 120 },
    urgent: { firstResponseMinutes: 10, resolutionMinutes: 60 },
  },
  atRiskPercent: 75,
  businessHours: null,
  escalation: [],
  ...changes,
});

const iso = (ms: number) => new Date(ms).toISOString();

describe(`SLA clocks on ${TEST_DIALECT}`, () => {
  let testDb: TestDatabase;
  // The clock starts on Wednesday 2026-11-25 12:00 UTC.
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    testDb = await createMigratedTestDatabase();
    t = await startTestApp({ clock, env: ENV, database: testDb });
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    await t.close();
    await testDb.drop();
  });

  let baseUrl: string | undefined;

  /** Runs the queue until nothing more is due (a check records an escalation, which runs next). */
  const settle = async (app = t) => {
    for (let i = 0; i < 4; i++) await app.app.jobs.runDueJobs();
  };
  const ticketOf = async (id: string, app = t) => (await as(app, desk.admin).get(`/tickets/${id}`)).json<Ticket>();
  const setPolicy = async (p: SlaPolicy) => {
    const answer = await as(t, desk.admin).put('/sla-policy', p);
    expect(answer.statusCode, answer.body).toBe(200);
  };
  const slaAudit = async (ticketId: string, app = t) =>
    (await as(app, desk.admin).get(`/audit?entityId=${ticketId}&limit=100`))
      .json<AuditPage>()
      .items.filter((e) => e.action.startsWith('ticket.sla_'))
      .reverse()
      .map((e) => `${e.action} ${String(e.data.target ?? '')}`.trim());
  const open = async (body: Record<string, unknown> = {}) => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support, ...body });
    await settle();
    return ticketOf(ticket.id);
  };
  let sent = 0;
  const reply = (who: Desk['sam'], ticket: Ticket, internal = false) =>
    as(t, who).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: `c-${++sent}`,
      body: 'On it',
      internal,
    });

  it('lets admins alone set the policy, and checks its time zone', async () => {
    expect((await as(t, desk.admin).get('/sla-policy')).json()).toEqual({ policy: null });
    expect((await as(t, desk.sam).put('/sla-policy', policy())).statusCode).toBe(403);
    expect((await as(t, desk.sam).get('/sla-policy')).statusCode).toBe(403);
    const badZone = await as(t, desk.admin).put(
      '/sla-policy',
      policy({
        businessHours: { timeZone: 'Mars/Olympus', week: [{ day: 1, from: '09:00', to: '17:00' }], holidays: [] },
      }),
    );
    expect(badZone.statusCode).toBe(400);
    expect(badZone.json()).toMatchObject({ error: { code: 'validation_failed' } });
    const ticket = await open();
    expect(ticket.sla).toBeNull(); // no policy, no clocks
    await setPolicy(policy());
    expect((await as(t, desk.admin).get('/sla-policy')).json()).toEqual({ policy: policy() });
  });

  it('gives a new ticket its due times from the policy, by priority', async () => {
    const ticket = await open();
    const created = Date.parse(ticket.createdAt);
    expect(ticket.sla).toEqual({
      firstResponse: { dueAt: iso(created + HOUR), at: null, state: 'ok' },
      resolution: { dueAt: iso(created + 4 * HOUR), state: 'ok' },
      pausedAt: null,
    });
    const urgent = await open({ priority: 'high' });
    expect(urgent.sla?.firstResponse.dueAt).toBe(iso(created + 30 * MINUTE));
  });

  it('counts business hours only: evenings, weekends and holidays do not count', async () => {
    const medium = { firstResponseMinutes: 60, resolutionMinutes: 300 };
    await setPolicy(
      policy({
        targets: { ...policy().targets, medium },
        businessHours: {
          timeZone: 'Europe/Berlin',
          week: [1, 2, 3, 4, 5].map((day) => ({ day, from: '09:00', to: '17:00' })),
          holidays: ['2026-11-26'],
        },
      }),
    );
    // Wednesday 13:00 in Berlin: 4 business hours are left today, Thursday is a holiday, so
    // 5 hours end on Friday at 10:00 in Berlin (09:00 UTC).
    const ticket = await open();
    const sla = ticket.sla!;
    expect(Date.parse(sla.firstResponse.dueAt) - Date.parse(ticket.createdAt)).toBe(HOUR);
    expect(sla.resolution.dueAt).toBe('2026-11-27T09:00:00.000Z');
    await setPolicy(policy({ businessHours: null }));
  });

  it('meets the first response with the first public staff reply, not with a note or the customer', async () => {
    const ticket = await open();
    await reply(desk.carla, ticket);
    await reply(desk.sam, ticket, true);
    expect((await ticketOf(ticket.id)).sla?.firstResponse).toMatchObject({ at: null, state: 'ok' });
    clock.advance(10 * MINUTE);
    await reply(desk.sam, ticket);
    const answered = await ticketOf(ticket.id);
    expect(answered.sla?.firstResponse).toMatchObject({ at: iso(clock.now()), state: 'met' });
    clock.advance(MINUTE);
    await reply(desk.kim, ticket);
    expect((await ticketOf(ticket.id)).sla?.firstResponse.at).toBe(answered.sla?.firstResponse.at);
    // Its checks come and find it answered: it never turns at risk or breached (the resolution does).
    clock.advance(3 * HOUR);
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('met');
    expect(await slaAudit(ticket.id)).toEqual(['ticket.sla_at_risk resolution']);
  });

  it('pauses while pending: the due times move by the time paused', async () => {
    const ticket = await open();
    const before = ticket.sla!;
    clock.advance(30 * MINUTE);
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'pending' });
    await settle();
    expect((await ticketOf(ticket.id)).sla?.pausedAt).toBe(iso(clock.now()));
    clock.advance(2 * HOUR); // past the first response's due time: pending, it does not breach
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('ok');
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'open' });
    await settle();
    const after = (await ticketOf(ticket.id)).sla!;
    expect(after.pausedAt).toBeNull();
    expect(Date.parse(after.firstResponse.dueAt) - Date.parse(before.firstResponse.dueAt)).toBe(2 * HOUR);
    expect(Date.parse(after.resolution.dueAt) - Date.parse(before.resolution.dueAt)).toBe(2 * HOUR);
    expect(after.firstResponse.state).toBe('ok');
    expect(await slaAudit(ticket.id)).toEqual([]);
  });

  it('turns at risk, then breached, each once, however often the queue runs', async () => {
    const ticket = await open();
    clock.advance(44 * MINUTE);
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('ok');
    clock.advance(MINUTE); // 45 min: 75 % of the hour
    await settle();
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('at_risk');
    clock.advance(15 * MINUTE);
    await settle();
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('breached');
    expect(await slaAudit(ticket.id)).toEqual([
      'ticket.sla_at_risk first_response',
      'ticket.sla_breached first_response',
    ]);
    // Answered late, it stays breached.
    await reply(desk.sam, ticket);
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('breached');
  });

  it('fires each check once and in order when the clock jumps far ahead', async () => {
    const ticket = await open();
    clock.advance(3 * 24 * HOUR);
    await settle();
    await settle();
    expect(await slaAudit(ticket.id)).toEqual([
      'ticket.sla_at_risk first_response',
      'ticket.sla_breached first_response',
      'ticket.sla_at_risk resolution',
      'ticket.sla_breached resolution',
    ]);
    expect((await ticketOf(ticket.id)).sla).toMatchObject({
      firstResponse: { state: 'breached' },
      resolution: { state: 'breached' },
    });
  });

  it('meets the resolution target when the ticket is closed in time', async () => {
    const ticket = await open();
    clock.advance(30 * MINUTE);
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { status: 'closed' });
    await settle();
    clock.advance(5 * HOUR);
    await settle();
    expect((await ticketOf(ticket.id)).sla?.resolution.state).toBe('met');
    expect(await slaAudit(ticket.id)).toEqual([]);
  });

  it('counts anew when the priority changes', async () => {
    const ticket = await open();
    const created = Date.parse(ticket.createdAt);
    clock.advance(5 * MINUTE);
    await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { priority: 'urgent' });
    await settle();
    expect((await ticketOf(ticket.id)).sla).toMatchObject({
      firstResponse: { dueAt: iso(created + 10 * MINUTE), state: 'ok' },
      resolution: { dueAt: iso(created + HOUR) },
    });
    clock.advance(5 * MINUTE);
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('breached');
    // Back to low: the old medium check finds its due time gone and does nothing.
    await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { priority: 'low' });
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse).toMatchObject({
      dueAt: iso(created + 4 * HOUR),
      state: 'ok',
    });
    clock.advance(HOUR);
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('ok');
  });

  it('escalates once per step: notifies the assignee, raises the priority, moves the ticket', async () => {
    await setPolicy(
      policy({
        escalation: [
          {
            target: 'first_response',
            when: 'at_risk',
            action: { type: 'notify', assignee: true, team: false, userIds: [] },
          },
          { target: 'first_response', when: 'breached', action: { type: 'raise_priority', to: null } },
          {
            target: 'resolution',
            when: 'breached',
            action: { type: 'reassign', teamId: desk.billing, assigneeId: desk.otto.user.id },
          },
        ],
      }),
    );
    const ticket = await open();
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: desk.kim.user.id });
    await settle();
    clock.advance(45 * MINUTE);
    await settle();
    await settle();
    const kimsNotes = (await as(t, desk.kim).get('/notifications')).json<NotificationPage>().items;
    expect(kimsNotes.filter((n) => n.kind === 'ticket.sla' && n.ticketId === ticket.id)).toHaveLength(1);
    expect((await ticketOf(ticket.id)).priority).toBe('medium');

    clock.advance(15 * MINUTE);
    await settle();
    await settle();
    expect((await ticketOf(ticket.id)).priority).toBe('high'); // one step, once
    clock.advance(4 * HOUR);
    await settle();
    await settle();
    expect(await ticketOf(ticket.id)).toMatchObject({
      priority: 'high',
      teamId: desk.billing,
      assigneeId: desk.otto.user.id,
    });
    const lines = (await as(t, desk.admin).get(`/audit?entityId=${ticket.id}&limit=100`))
      .json<AuditPage>()
      .items.filter((e) => e.actorId === null)
      .map((e) => e.action)
      .sort();
    expect(lines.filter((a) => a === 'ticket.sla_escalated')).toHaveLength(3);
    expect(lines.filter((a) => a === 'ticket.priority_changed')).toHaveLength(1);
    expect(lines.filter((a) => a === 'ticket.team_changed')).toHaveLength(1);
    await setPolicy(policy());
  });

  it('sends the clocks live in ticket.updated: on opening, on the first reply, on a breach', async () => {
    baseUrl ??= await listen(t);
    const kim = await readySocket(baseUrl, desk.kim);
    try {
      const opened = await openTicket(t, desk.carla, { teamId: desk.support });
      await settle();
      const started = await kim.next('ticket.updated', (f) => f.ticket.id === opened.id && f.ticket.sla !== null);
      expect(started.ticket.sla).toMatchObject({ firstResponse: { state: 'ok', at: null } });
      clock.advance(5 * MINUTE);
      await reply(desk.sam, opened);
      const answered = await kim.next(
        'ticket.updated',
        (f) => f.ticket.id === opened.id && typeof f.ticket.sla?.firstResponse.at === 'string',
      );
      expect(answered.ticket.sla?.firstResponse).toMatchObject({ at: iso(clock.now()), state: 'met' });
      // A second reply is no first response: nothing more is published for it.
      await reply(desk.kim, opened);
      clock.advance(4 * HOUR);
      await settle();
      const breached = await kim.next(
        'ticket.updated',
        (f) => f.ticket.id === opened.id && f.ticket.sla?.resolution.state === 'breached',
      );
      expect(breached.ticket.sla?.firstResponse.state).toBe('met');
      expect(
        kim
          .all('ticket.updated')
          .filter(
            (f) =>
              f.ticket.id === opened.id &&
              typeof f.ticket.sla?.firstResponse.at === 'string' &&
              f.ticket.sla?.resolution.state === 'ok',
          ),
      ).toHaveLength(1); // the first reply alone
    } finally {
      await kim.close();
    }
  });

  it('keeps the clocks from the customer: her ticket comes without them, by REST and by frame', async () => {
    baseUrl ??= await listen(t);
    const carla = await readySocket(baseUrl, desk.carla);
    try {
      const opened = await openTicket(t, desk.carla, { teamId: desk.support });
      await settle();
      expect((await ticketOf(opened.id)).sla).not.toBeNull();
      expect((await as(t, desk.carla).get(`/tickets/${opened.id}`)).json<Ticket>().sla).toBeNull();
      const listed = (await as(t, desk.carla).get('/tickets')).json<{ items: Ticket[] }>().items;
      expect(listed.find((x) => x.id === opened.id)?.sla).toBeNull();
      clock.advance(4 * HOUR);
      await settle();
      await carla.next('ticket.updated', (f) => f.ticket.id === opened.id);
      await settle();
      expect(carla.all('ticket.updated').filter((f) => f.ticket.id === opened.id && f.ticket.sla !== null)).toEqual([]);
      const closed = await as(t, desk.carla).patch(`/tickets/${opened.id}`, { status: 'closed' });
      expect(closed.json<Ticket>().sla).toBeNull();
    } finally {
      await carla.close();
    }
  });

  it('keeps its schedule across a restart: a new app on the same database fires the checks', async () => {
    const ticket = await open();
    await t.close();
    t = await startTestApp({ clock, env: ENV, database: testDb });
    clock.advance(2 * HOUR);
    await settle();
    expect((await ticketOf(ticket.id)).sla?.firstResponse.state).toBe('breached');
    expect(await slaAudit(ticket.id)).toEqual([
      'ticket.sla_at_risk first_response',
      'ticket.sla_breached first_response',
    ]);
  });
});
