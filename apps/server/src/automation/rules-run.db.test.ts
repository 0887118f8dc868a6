import type { AuditPage, AutomationRule, Message, NotificationPage, Ticket } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import type { Session } from '@parley/protocol';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const REACTION_KIND = 'reaction.automation-rules';

/** Rules run on ticket and message events, in order, once per event, without looping. */
describe(`automation rules at work on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await runJobs();
    for (const rule of (await as(t, desk.admin).get('/automation-rules')).json<{ items: AutomationRule[] }>().items) {
      await as(t, desk.admin).delete(`/automation-rules/${rule.id}`);
    }
  });

  const addRule = async (body: object): Promise<AutomationRule> => {
    const answer = await as(t, desk.admin).post('/automation-rules', { name: 'A rule', ...body });
    if (answer.statusCode !== 201) throw new Error(answer.body);
    return answer.json<AutomationRule>();
  };
  const runJobs = async () => {
    for (let i = 0; i < 5; i++) await t.app.jobs.runDueJobs();
  };
  const ticketOf = async (id: string) => (await as(t, desk.admin).get(`/tickets/${id}`)).json<Ticket>();
  const messagesOf = async (ticket: Ticket, who: Session = desk.admin) =>
    (await as(t, who).get(`/conversations/${ticket.conversationId}/messages?limit=100`)).json<{ items: Message[] }>()
      .items;
  const notesOf = async (ticket: Ticket) =>
    (await messagesOf(ticket)).filter((m) => m.kind === 'note').map((m) => m.body);
  const runsOf = async (rule: AutomationRule) =>
    (
      await as(t, desk.admin).get(`/audit?entityType=automation_rule&entityId=${rule.id}&action=automation_rule.ran`)
    ).json<AuditPage>().items;
  let sent = 0;
  const say = async (who: Session, ticket: Ticket, body: string, internal = false) => {
    const answer = await as(t, who).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: `m-${++sent}`,
      body,
      internal,
    });
    expect(answer.statusCode, answer.body).toBe(201);
  };
  const pendingReactionJobs = async () =>
    Number(
      (
        await t.database.db
          .selectFrom('jobs')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('kind', '=', REACTION_KIND)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("a new ticket with 'refund' in its subject goes to Billing, high, with a note; the audit log says so", async () => {
    const rule = await addRule({
      event: { type: 'ticket.created' },
      conditions: [{ type: 'text', in: 'subject', contains: 'refund' }],
      actions: [
        { type: 'set_team', teamId: desk.billing },
        { type: 'set_priority', priority: 'high' },
        { type: 'add_note', body: 'Check the invoice first.' },
      ],
    });
    const refund = await openTicket(t, desk.carla, { subject: 'Refund for order 12', teamId: desk.support });
    const other = await openTicket(t, desk.carla, { subject: 'Printer', teamId: desk.support });
    await runJobs();

    expect(await ticketOf(refund.id)).toMatchObject({ teamId: desk.billing, priority: 'high' });
    expect(await ticketOf(other.id)).toMatchObject({ teamId: desk.support, priority: 'medium' });
    const messages = await messagesOf(refund);
    expect(messages.filter((m) => m.kind === 'system').map((m) => m.body)).toEqual(
      expect.arrayContaining([
        'Parley changed the priority from medium to high',
        'Parley moved the ticket to Invoices and payments',
      ]),
    );
    // A note by Parley: no sender, for staff only.
    expect(messages.find((m) => m.kind === 'note')).toMatchObject({ body: 'Check the invoice first.', senderId: null });
    expect((await messagesOf(refund, desk.carla)).some((m) => m.kind === 'note')).toBe(false);

    const runs = await runsOf(rule);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      actorId: null,
      entityId: rule.id,
      data: {
        ticketId: refund.id,
        depth: 1,
        did: [
          { type: 'update_ticket', patch: { teamId: desk.billing, priority: 'high' } },
          { type: 'add_note', messageId: expect.any(String) },
        ],
      },
    });
    // The change's event names the rule: the audit of the change is Parley's.
    const changes = (
      await as(t, desk.admin).get(`/audit?entityType=ticket&entityId=${refund.id}&action=ticket.priority_changed`)
    ).json<AuditPage>().items;
    expect(changes).toMatchObject([{ actorId: null, data: { from: 'medium', to: 'high' } }]);
  });

  it('checks each condition on the ticket as it is', async () => {
    const c = (name: string, condition: object) =>
      addRule({
        event: { type: 'ticket.created' },
        conditions: [condition],
        actions: [{ type: 'add_note', body: name }],
      });
    const carla = desk.carla.user.id;
    await c('status is open', { type: 'status', operator: 'is', values: ['open'] });
    await c('status is not open', { type: 'status', operator: 'is_not', values: ['open', 'pending'] });
    await c('priority is high', { type: 'priority', operator: 'is', values: ['high', 'urgent'] });
    await c('priority is low', { type: 'priority', operator: 'is', values: ['low'] });
    await c('team is support', { type: 'team', operator: 'is', values: [desk.support] });
    await c('team is none', { type: 'team', operator: 'is', values: [null] });
    await c('team is not billing', { type: 'team', operator: 'is_not', values: [desk.billing, null] });
    await c('assignee is none', { type: 'assignee', operator: 'is', values: [null] });
    await c('assignee is sam', { type: 'assignee', operator: 'is', values: [desk.sam.user.id] });
    await c('requester is carla', { type: 'requester', operator: 'is', values: [carla] });
    await c('requester is dan', { type: 'requester', operator: 'is', values: [desk.dan.user.id] });
    await c('subject has LOCKED', { type: 'text', in: 'subject', contains: 'LOCKED' });
    await c('description has invoice', { type: 'text', in: 'description', contains: 'invoice' });
    await c('description has locked', { type: 'text', in: 'description', contains: 'locked' });
    await c('either has invoice', { type: 'text', in: 'subject_or_description', contains: 'Invoice' });
    await c('message has locked', { type: 'text', in: 'message', contains: 'locked' });
    const ticket = await openTicket(t, desk.carla, {
      subject: 'Locked out',
      description: 'My invoice link fails',
      priority: 'high',
      teamId: desk.support,
    });
    await runJobs();
    expect((await notesOf(ticket)).sort()).toEqual(
      [
        'status is open',
        'priority is high',
        'team is support',
        'team is not billing',
        'assignee is none',
        'requester is carla',
        'subject has LOCKED',
        'description has invoice',
        'either has invoice',
      ].sort(),
    );
  });

  it("checks business hours against the SLA policy's calendar (every hour counts without one)", async () => {
    const rule = (within: boolean) =>
      addRule({
        event: { type: 'ticket.created' },
        conditions: [{ type: 'business_hours', within }],
        actions: [{ type: 'add_note', body: within ? 'within' : 'outside' }],
      });
    await rule(true);
    await rule(false);
    const open = async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      await runJobs();
      return notesOf(ticket);
    };
    // No policy: every hour is within.
    expect(await open()).toEqual(['within']);
    // The clock says Wednesday 2026-11-25 12:00 UTC: 13:00 in Berlin.
    const target = { firstResponseMinutes: 60, resolutionMinutes: 480 };
    const policy = (from: string, to: string) =>
      as(t, desk.admin).put('/sla-policy', {
        targets: { low: target, medium: target, high: target, urgent: target },
        atRiskPercent: 75,
        businessHours: {
          timeZone: 'Europe/Berlin',
          week: [1, 2, 3, 4, 5].map((day) => ({ day, from, to })),
          holidays: [],
        },
        escalation: [],
      });
    expect((await policy('09:00', '17:00')).statusCode).toBe(200);
    expect(await open()).toEqual(['within']);
    expect((await policy('14:00', '17:00')).statusCode).toBe(200);
    expect(await open()).toEqual(['outside']);
    await as(t, desk.admin).delete('/sla-policy');
  });

  it('runs on updates, on customer and agent messages (not notes), in order: later rules see earlier changes', async () => {
    await addRule({
      event: { type: 'ticket.updated' },
      conditions: [{ type: 'priority', operator: 'is', values: ['urgent'] }],
      actions: [{ type: 'assign', userId: desk.kim.user.id }],
    });
    await addRule({
      event: { type: 'message.customer' },
      conditions: [{ type: 'text', in: 'message', contains: 'cancel' }],
      actions: [
        { type: 'set_priority', priority: 'high' },
        { type: 'add_note', body: 'Customer wants to cancel' },
      ],
    });
    // Runs after the one above: sees its priority.
    await addRule({
      event: { type: 'message.customer' },
      conditions: [{ type: 'priority', operator: 'is', values: ['high'] }],
      actions: [{ type: 'notify', userIds: [desk.kim.user.id], message: 'A customer wants to cancel' }],
    });
    await addRule({
      event: { type: 'message.agent' },
      conditions: [{ type: 'status', operator: 'is', values: ['open', 'in_progress'] }],
      actions: [{ type: 'set_status', status: 'pending' }],
    });
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });

    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'urgent' });
    await runJobs();
    expect(await ticketOf(ticket.id)).toMatchObject({ assigneeId: desk.kim.user.id, status: 'open' });

    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'low' });
    await say(desk.carla, ticket, 'Please CANCEL my plan');
    // Kim hears of the message first (as the assignee), then of the rule.
    await t.app.notifications.settled();
    await runJobs();
    expect(await ticketOf(ticket.id)).toMatchObject({ priority: 'high', status: 'open' });
    expect(await notesOf(ticket)).toEqual(['Customer wants to cancel']);
    await t.app.notifications.settled();
    const kims = (await as(t, desk.kim).get('/notifications')).json<NotificationPage>().items;
    expect(kims.find((n) => n.ticketId === ticket.id)).toMatchObject({
      kind: 'ticket.rule',
      preview: 'A customer wants to cancel',
      subject: ticket.subject,
    });

    // A note is no reply: the ticket stays open. A public reply by staff makes it pending.
    await say(desk.sam, ticket, 'Looking into it', true);
    await runJobs();
    expect((await ticketOf(ticket.id)).status).toBe('open');
    await say(desk.sam, ticket, 'Done: anything else?');
    await runJobs();
    expect((await ticketOf(ticket.id)).status).toBe('pending');
  });

  it('the order is the one the admin sets', async () => {
    const raise = await addRule({
      event: { type: 'ticket.created' },
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    const note = await addRule({
      event: { type: 'ticket.created' },
      conditions: [{ type: 'priority', operator: 'is', values: ['urgent'] }],
      actions: [{ type: 'add_note', body: 'Urgent from the start' }],
    });
    const first = await openTicket(t, desk.carla);
    await runJobs();
    expect(await notesOf(first)).toEqual(['Urgent from the start']);

    await as(t, desk.admin).put('/automation-rules/order', { ids: [note.id, raise.id] });
    const second = await openTicket(t, desk.carla);
    await runJobs();
    expect((await ticketOf(second.id)).priority).toBe('urgent');
    expect(await notesOf(second)).toEqual([]);
  });

  it('every action: assign and unassign, team, priority, statuses (snooze with a duration), reply', async () => {
    const assign = await addRule({
      event: { type: 'ticket.created' },
      conditions: [{ type: 'text', in: 'subject', contains: 'assign' }],
      actions: [
        { type: 'assign', userId: desk.otto.user.id },
        { type: 'set_team', teamId: desk.billing },
        { type: 'set_status', status: 'in_progress' },
        { type: 'send_reply', body: 'Thanks, Otto has it.' },
      ],
    });
    await addRule({
      event: { type: 'ticket.updated' },
      conditions: [{ type: 'priority', operator: 'is', values: ['low'] }],
      actions: [
        { type: 'assign', userId: null },
        { type: 'set_team', teamId: null },
        { type: 'set_status', status: 'snoozed', snoozeMinutes: 90 },
      ],
    });
    const ticket = await openTicket(t, desk.carla, { subject: 'Please assign me' });
    await runJobs();
    expect(await ticketOf(ticket.id)).toMatchObject({
      assigneeId: desk.otto.user.id,
      teamId: desk.billing,
      status: 'in_progress',
    });
    // The customer sees Parley's reply: a text without a sender.
    expect((await messagesOf(ticket, desk.carla)).filter((m) => m.kind === 'text')).toMatchObject([
      { body: 'Thanks, Otto has it.', senderId: null },
    ]);
    expect((await runsOf(assign))[0]!.data).toMatchObject({ did: [{}, { type: 'send_reply' }] });

    await as(t, desk.otto).patch(`/tickets/${ticket.id}`, { priority: 'low' });
    await runJobs();
    expect(await ticketOf(ticket.id)).toMatchObject({
      assigneeId: null,
      teamId: null,
      status: 'snoozed',
      snoozedUntil: new Date(clock.now() + 90 * MINUTE).toISOString(),
    });
  });

  it('runs once per event, even when its job runs twice', async () => {
    const rule = await addRule({
      event: { type: 'ticket.created' },
      actions: [{ type: 'add_note', body: 'Once' }],
    });
    const ticket = await openTicket(t, desk.carla);
    await runJobs();
    expect(await notesOf(ticket)).toEqual(['Once']);
    // The same job again, as after a lease ran out on a node that had done the work.
    const jobId = String((await runsOf(rule))[0]!.data.event).replace('event:', '');
    const event = {
      workspaceId: desk.carla.user.workspace.id,
      type: 'ticket.updated',
      ticket,
      change: { byUserId: desk.carla.user.id, from: null },
    };
    await t.database.db
      .insertInto('jobs')
      .values({
        id: jobId,
        kind: REACTION_KIND,
        payload: JSON.stringify(event),
        runAt: clock.now(),
        attempts: 1,
        maxAttempts: 6,
        lastError: null,
        lockedBy: null,
        lockedUntil: null,
        failedAt: null,
        dedupeKey: null,
        createdAt: clock.now(),
      })
      .execute();
    expect(await pendingReactionJobs()).toBe(1);
    await runJobs();
    expect(await pendingReactionJobs()).toBe(0);
    expect(await notesOf(ticket)).toEqual(['Once']);
    expect(await runsOf(rule)).toHaveLength(1);
  });

  it("cannot loop: a rule's own change does not trigger it, and two rules ping-pong only to the depth limit", async () => {
    const own = await addRule({
      event: { type: 'ticket.updated' },
      conditions: [{ type: 'text', in: 'subject', contains: 'own' }],
      actions: [
        { type: 'set_status', status: 'in_progress' },
        { type: 'add_note', body: 'Working on it' },
      ],
    });
    const ticket = await openTicket(t, desk.carla, { subject: 'My own change', teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'high' });
    await runJobs();
    expect((await ticketOf(ticket.id)).status).toBe('in_progress');
    expect(await notesOf(ticket)).toEqual(['Working on it']);
    expect(await runsOf(own)).toHaveLength(1);
    await as(t, desk.admin).delete(`/automation-rules/${own.id}`);

    const down = await addRule({
      event: { type: 'ticket.updated' },
      conditions: [{ type: 'priority', operator: 'is', values: ['high'] }],
      actions: [{ type: 'set_priority', priority: 'low' }],
    });
    const up = await addRule({
      event: { type: 'ticket.updated' },
      conditions: [{ type: 'priority', operator: 'is', values: ['low'] }],
      actions: [{ type: 'set_priority', priority: 'high' }],
    });
    const pingPong = await openTicket(t, desk.carla, { subject: 'Ping pong', teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${pingPong.id}`, { priority: 'high' });
    await runJobs();
    await runJobs();
    // Sam: high. In that event's pass: down (depth 1) low, then up (1), which sees it, high.
    // up's change: down (2) low; down's: up (3) high; at depth 3 the chain ends.
    const downRuns = await runsOf(down);
    const upRuns = await runsOf(up);
    expect(downRuns.map((r) => r.data.depth).sort()).toEqual([1, 2]);
    expect(upRuns.map((r) => r.data.depth).sort()).toEqual([1, 3]);
    expect((await ticketOf(pingPong.id)).priority).toBe('high');
    const parleyLines = (await messagesOf(pingPong)).filter(
      (m) => m.kind === 'system' && m.body.startsWith('Parley changed the priority'),
    );
    expect(parleyLines).toHaveLength(4);
    await runJobs();
    expect(await runsOf(down)).toHaveLength(2);
    expect(await pendingReactionJobs()).toBe(0);
  });

  it('reacts to a breached SLA (the ticket.sla event the SLA feature records)', async () => {
    await addRule({
      event: { type: 'sla.breached' },
      conditions: [{ type: 'priority', operator: 'is_not', values: ['urgent'] }],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_note', body: 'SLA missed' },
      ],
    });
    const ticket = await openTicket(t, desk.carla);
    await runJobs();
    const record = (state: 'at_risk' | 'breached') =>
      t.database.db.transaction().execute((trx) =>
        t.app.reactions.record(
          trx,
          {
            workspaceId: desk.carla.user.workspace.id,
            type: 'ticket.sla',
            ticketId: ticket.id,
            target: 'first_response',
            state,
          },
          clock.now(),
        ),
      );
    await record('at_risk');
    await runJobs();
    expect((await ticketOf(ticket.id)).priority).toBe('medium');
    await record('breached');
    await runJobs();
    expect((await ticketOf(ticket.id)).priority).toBe('urgent');
    expect(await notesOf(ticket)).toEqual(['SLA missed']);
  });

  it('timed: open and unassigned for 30 minutes raises it; one taken meanwhile is left alone', async () => {
    const rule = await addRule({
      event: { type: 'time.elapsed', since: 'created', minutes: 30 },
      conditions: [
        { type: 'status', operator: 'is', values: ['open'] },
        { type: 'assignee', operator: 'is', values: [null] },
      ],
      actions: [
        { type: 'set_priority', priority: 'urgent' },
        { type: 'add_note', body: 'Nobody took it for 30 minutes' },
      ],
    });
    const forgotten = await openTicket(t, desk.carla, { teamId: desk.support });
    const taken = await openTicket(t, desk.carla, { teamId: desk.support });
    await runJobs();
    clock.advance(10 * MINUTE);
    await as(t, desk.sam).patch(`/tickets/${taken.id}`, { assigneeId: desk.sam.user.id });
    clock.advance(19 * MINUTE);
    await runJobs();
    expect((await ticketOf(forgotten.id)).priority).toBe('medium');
    clock.advance(MINUTE);
    await runJobs();
    await runJobs();
    expect((await ticketOf(forgotten.id)).priority).toBe('urgent');
    expect(await notesOf(forgotten)).toEqual(['Nobody took it for 30 minutes']);
    expect((await ticketOf(taken.id)).priority).toBe('medium');
    expect(await notesOf(taken)).toEqual([]);
    expect(await runsOf(rule)).toHaveLength(1);
  });

  it('timed: pending for 3 days closes it with a reply; the clock starts again when the status changes', async () => {
    await addRule({
      event: { type: 'time.elapsed', since: 'status_changed', minutes: 3 * 24 * 60 },
      conditions: [{ type: 'status', operator: 'is', values: ['pending'] }],
      actions: [
        { type: 'send_reply', body: 'We close this for now: write to reopen it.' },
        { type: 'set_status', status: 'closed' },
      ],
    });
    const quiet = await openTicket(t, desk.carla, { teamId: desk.support });
    const again = await openTicket(t, desk.carla, { teamId: desk.support });
    await as(t, desk.sam).patch(`/tickets/${quiet.id}`, { status: 'pending' });
    await as(t, desk.sam).patch(`/tickets/${again.id}`, { status: 'pending' });
    await runJobs();
    clock.advance(24 * HOUR);
    await as(t, desk.sam).patch(`/tickets/${again.id}`, { status: 'in_progress' });
    await as(t, desk.sam).patch(`/tickets/${again.id}`, { status: 'pending' });
    await runJobs();
    clock.advance(48 * HOUR);
    await runJobs();
    expect((await ticketOf(quiet.id)).status).toBe('closed');
    expect((await messagesOf(quiet, desk.carla)).map((m) => m.body)).toContain(
      'We close this for now: write to reopen it.',
    );
    // Pending again a day later: its 3 days are not up.
    expect((await ticketOf(again.id)).status).toBe('pending');
    clock.advance(24 * HOUR);
    await runJobs();
    expect((await ticketOf(again.id)).status).toBe('closed');
  });

  it('timed: no customer reply for 48 hours after staff wrote; a reply in between stops it', async () => {
    await addRule({
      event: { type: 'time.elapsed', since: 'agent_message', minutes: 48 * 60 },
      actions: [{ type: 'add_note', body: 'No answer for 48 h' }],
    });
    const silent = await openTicket(t, desk.carla, { teamId: desk.support });
    const answered = await openTicket(t, desk.carla, { teamId: desk.support });
    await say(desk.sam, silent, 'Can you send a screenshot?');
    await say(desk.sam, answered, 'Can you send a screenshot?');
    await runJobs();
    clock.advance(24 * HOUR);
    await say(desk.carla, answered, 'Here it is');
    await runJobs();
    clock.advance(24 * HOUR);
    await runJobs();
    expect(await notesOf(silent)).toEqual(['No answer for 48 h']);
    expect(await notesOf(answered)).toEqual([]);
  });

  it('a disabled rule does nothing; a workspace without message rules adds no job per message', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await say(desk.carla, ticket, 'First');
    await runJobs(); // the node learns this workspace has no rules
    for (const body of ['one', 'two', 'three']) await say(desk.carla, ticket, body);
    await say(desk.sam, ticket, 'answer');
    expect(await pendingReactionJobs()).toBe(0);

    const rule = await addRule({
      event: { type: 'message.agent' },
      actions: [{ type: 'add_note', body: 'agent wrote' }],
    });
    await say(desk.sam, ticket, 'again');
    await runJobs();
    expect(await notesOf(ticket)).toEqual(['agent wrote']);
    // Only a message a rule listens for adds a job: a customer's does not.
    await say(desk.carla, ticket, 'thanks');
    expect(await pendingReactionJobs()).toBe(0);
    await say(desk.sam, ticket, 'welcome');
    expect(await pendingReactionJobs()).toBe(1);
    await runJobs();

    await as(t, desk.admin).patch(`/automation-rules/${rule.id}`, { enabled: false });
    await say(desk.sam, ticket, 'and again');
    await runJobs();
    expect(await notesOf(ticket)).toEqual(['agent wrote', 'agent wrote']);
    await say(desk.sam, ticket, 'quiet now');
    expect(await pendingReactionJobs()).toBe(0);
  });
});
