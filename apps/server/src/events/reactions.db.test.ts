import type { Ticket } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import type { DomainEvent } from './domain-events';

type TicketUpdated = Extract<DomainEvent, { type: 'ticket.updated' }>;

/** What follows a change durably: a job per reaction, committed with the change. */
describe(`durable reactions on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  const heard: TicketUpdated[] = [];
  let failNext = false;

  beforeAll(async () => {
    // An hour between polls: a reaction that runs within the test ran because it was woken.
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000' } });
    t.app.reactions.add({
      name: 'test.high-priority',
      on: ['ticket.updated'],
      wants: (event) => event.ticket.priority === 'high',
      handle: async (event) => {
        if (failNext) {
          failNext = false;
          throw new Error('failed on purpose');
        }
        heard.push(event);
      },
    });
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());
  afterEach(() => {
    heard.length = 0;
  });

  const reactionJobs = () =>
    t.database.db.selectFrom('jobs').selectAll().where('kind', '=', 'reaction.test.high-priority').execute();

  it('runs once for a change it wants, soon after the commit, with the event as it was recorded', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support, priority: 'high', subject: 'Outage' });
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]).toMatchObject({
      workspaceId: desk.admin.user.workspace.id,
      ticket: { id: ticket.id, subject: 'Outage' },
      change: { byUserId: desk.carla.user.id, from: null },
    });
    await t.app.jobs.runDueJobs();
    expect(heard).toHaveLength(1);
    expect(await reactionJobs()).toEqual([]);
  });

  it('adds no job for a change it does not want', async () => {
    await openTicket(t, desk.carla, { teamId: desk.support, priority: 'low' });
    expect(await reactionJobs()).toEqual([]);
    await t.app.jobs.runDueJobs();
    expect(heard).toEqual([]);
  });

  it('hears a change with what it was before, and Parley as nobody', async () => {
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support, priority: 'low' });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'high', assigneeId: desk.sam.user.id });
    await expect.poll(() => heard.length).toBe(1);
    expect(heard[0]!.change).toEqual({
      byUserId: desk.sam.user.id,
      from: { status: 'open', assigneeId: null, priority: 'low', teamId: desk.support },
    });
  });

  it('keeps the job of a failed run and runs it again later', async () => {
    failNext = true;
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support, priority: 'high' });
    await expect.poll(async () => (await reactionJobs())[0]?.lastError ?? null).toContain('failed on purpose');
    expect(heard).toEqual([]);
    clock.advance(60_000);
    await t.app.jobs.runDueJobs();
    expect(heard.map((e) => (e.ticket as Ticket).id)).toEqual([ticket.id]);
  });

  it('records nothing when the change is rolled back', async () => {
    const event: DomainEvent = heardEvent();
    await t.database.db
      .transaction()
      .execute(async (trx) => {
        await t.app.reactions.record(trx, event, clock.now());
        throw new Error('the change failed');
      })
      .catch(() => {});
    expect(await reactionJobs()).toEqual([]);
  });

  /** A high-priority ticket's creation, as the ticket service records it. */
  function heardEvent(): TicketUpdated {
    const at = new Date(clock.now()).toISOString();
    return {
      workspaceId: desk.admin.user.workspace.id,
      type: 'ticket.updated',
      ticket: {
        id: '01JAAAAAAAAAAAAAAAAAAAAAAA',
        subject: 'Rolled back',
        description: 'x',
        status: 'open',
        priority: 'high',
        requesterId: desk.carla.user.id,
        assigneeId: null,
        teamId: null,
        conversationId: '01JAAAAAAAAAAAAAAAAAAAAAAB',
        createdAt: at,
        updatedAt: at,
        closedAt: null,
        snoozedUntil: null,
        followUpOf: null,
        channel: 'app',
        sla: null,
      },
      change: { byUserId: desk.carla.user.id, from: null },
    };
  }
});
