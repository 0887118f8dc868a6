import type { AssignmentMode, Message, Session, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DomainEventSchema } from '../events/domain-events';
import { enqueueJob } from '../jobs/job-queue';
import { defineJobType } from '../jobs/job-type';
import { listen, manualClock, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, createTeam, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, type TestSocket } from '../testing/ws-client';

/**
 * Auto-assignment: a team's new, moved and unassigned tickets go by themselves to a member who
 * is online, not away and under capacity, round-robin or least-loaded; tickets wait when nobody
 * can take them and go out when somebody can; a member who leaves hands their tickets on.
 */
describe(`auto-assignment on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let base: string;
  let desk: Desk;
  const sockets = new Map<string, TestSocket>();
  let teams = 0;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    base = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(async () => {
    for (const socket of sockets.values()) await socket.close();
    await t.close();
  });

  /** Every due job, until none is left (a job's change may record the next one). */
  const runJobs = async () => {
    for (let i = 0; i < 10; i += 1) {
      const report = await t.app.jobs.runDueJobs();
      if (report.succeeded + report.failed === 0) return;
    }
  };
  const goOnline = async (who: Session) => sockets.set(who.user.id, await readySocket(base, who));
  const goOffline = async (who: Session) => {
    await sockets.get(who.user.id)?.close();
    sockets.delete(who.user.id);
  };
  /** A team of fresh agents (so loads start at 0), online unless said otherwise, in `mode`. */
  const newTeam = async (
    mode: AssignmentMode,
    size: number,
    { online = size, capacity = null as number | null } = {},
  ) => {
    teams += 1;
    const agents: Session[] = [];
    for (let i = 0; i < size; i += 1) {
      agents.push(await signUp(t, 'agent', { displayName: `Agent ${teams}.${i}` }));
    }
    agents.sort((a, b) => (a.user.id < b.user.id ? -1 : 1)); // round-robin goes by id
    const id = await createTeam(t, `Team ${teams}`, agents, { category: `Topic ${teams}` });
    for (const agent of agents.slice(0, online)) await goOnline(agent);
    await settings(id, { assignment: { mode, capacity } });
    return { id, agents };
  };
  const settings = async (teamId: string, body: object) => {
    const response = await as(t, desk.admin).patch(`/teams/${teamId}`, body);
    expect(response.statusCode, response.body).toBe(200);
  };
  const ticketOf = async (id: string) => (await as(t, desk.admin).get(`/tickets/${id}`)).json<Ticket>();
  const assigneesOf = async (tickets: Ticket[]) =>
    Promise.all(tickets.map(async (x) => (await ticketOf(x.id)).assigneeId));
  const open = async (teamId: string, n = 1) => {
    const opened: Ticket[] = [];
    for (let i = 0; i < n; i += 1) {
      clock.advance(1000);
      opened.push(await openTicket(t, desk.carla, { teamId }));
    }
    return opened;
  };
  /** Presence and jobs settle in their own time on a busy machine. */
  const PATIENTLY = { timeout: 15_000, interval: 100 };
  const systemLines = async (ticket: Ticket) =>
    (await as(t, desk.admin).get(`/conversations/${ticket.conversationId}/messages`))
      .json<{ items: Message[] }>()
      .items.filter((m) => m.kind === 'system')
      .map((m) => m.body);

  it('round-robin: each online member in turn, by Parley, with a line in the thread', async () => {
    const { id, agents } = await newTeam('round_robin', 3);
    const tickets = await open(id, 7);
    await vi.waitFor(async () => {
      await runJobs();
      expect(await assigneesOf(tickets)).toEqual([0, 1, 2, 0, 1, 2, 0].map((i) => agents[i]!.user.id));
    }, PATIENTLY);
    expect(await systemLines(tickets[0]!)).toContain(`Parley assigned the ticket to ${agents[0]!.user.displayName}`);
    // The answer of the team shows its mode.
    const team = (await as(t, desk.sam).get(`/teams/${id}`)).json<{ assignment: { mode: string } }>();
    expect(team.assignment.mode).toBe('round_robin');
  });

  it('least-loaded: the member with the fewest open + in-progress tickets, in the whole workspace', async () => {
    const { id, agents } = await newTeam('least_loaded', 2);
    const [busy, free] = agents as [Session, Session];
    // Busy has two tickets being worked (of another team) and one closed, which does not count.
    for (const x of await open(desk.support, 3)) {
      await as(t, desk.admin).patch(`/tickets/${x.id}`, { assigneeId: busy.user.id });
    }
    const [closed] = await open(desk.support);
    await as(t, desk.admin).patch(`/tickets/${closed!.id}`, { assigneeId: busy.user.id, status: 'closed' });
    const [, , third] = await open(desk.support, 3);
    await as(t, desk.admin).patch(`/tickets/${third!.id}`, { assigneeId: busy.user.id, status: 'closed' });
    const tickets = await open(id, 4);
    await runJobs();
    const assignees = await assigneesOf(tickets);
    expect(assignees.slice(0, 3)).toEqual([free.user.id, free.user.id, free.user.id]);
    expect(assignees.filter((a) => a === free.user.id).length).toBeGreaterThanOrEqual(3);
    expect(assignees.every((a) => a !== null)).toBe(true);
  });

  it('only online members who are not away get tickets, never over their capacity; the rest wait', async () => {
    // Offline (no socket), away (said so) and online with their own limit of 1; the team's is 2.
    const { id, agents } = await newTeam('round_robin', 3, { online: 2, capacity: 2 });
    const [away, limited, offline] = [agents[0]!, agents[1]!, agents[2]!];
    await goOffline(offline).catch(() => {});
    expect((await as(t, away).put('/me/availability', { away: true })).json()).toMatchObject({ away: true });
    await settings(id, { memberCapacities: [{ userId: limited.user.id, capacity: 1 }] });
    const tickets = await open(id, 3);
    await runJobs();
    expect(await assigneesOf(tickets)).toEqual([limited.user.id, null, null]);
    // Admins see who is away in the people list.
    const people = (await as(t, desk.admin).get(`/users/${away.user.id}`)).json<{ awaySince: string | null }>();
    expect(people.awaySince).not.toBeNull();
  });

  it('a waiting ticket goes out, oldest first, when somebody gets room', async () => {
    const { id, agents } = await newTeam('round_robin', 2, { online: 1, capacity: 1 });
    const [on, off] = [agents[0]!, agents[1]!];
    const [first, second, third, fourth] = await open(id, 4);
    await runJobs();
    expect(await assigneesOf([first!, second!, third!])).toEqual([on.user.id, null, null]);

    // Their ticket is closed: the oldest waiting one comes to them.
    await as(t, on).patch(`/tickets/${first!.id}`, { status: 'closed' });
    await runJobs();
    expect(await assigneesOf([second!, third!])).toEqual([on.user.id, null]);

    // The other member comes online.
    await goOnline(off);
    await vi.waitFor(async () => {
      await runJobs();
      expect((await ticketOf(third!.id)).assigneeId).toBe(off.user.id);
    }, PATIENTLY);

    // The team's capacity is raised.
    await settings(id, { assignment: { capacity: 3 } });
    await runJobs();
    expect((await ticketOf(fourth!.id)).assigneeId).not.toBeNull();

    // Back from away: the one who stayed fills up, the next waits for the one who comes back.
    await as(t, on).put('/me/availability', { away: true });
    const [fifth, sixth, seventh] = await open(id, 3);
    await runJobs();
    expect(await assigneesOf([fifth!, sixth!, seventh!])).toEqual([off.user.id, off.user.id, null]);
    expect((await as(t, on).put('/me/availability', { away: false })).json()).toMatchObject({ away: false });
    await runJobs();
    expect((await ticketOf(seventh!.id)).assigneeId).toBe(on.user.id);
  });

  it('a ticket unassigned, or moved into the team, goes through assignment; one moved with a member stays theirs', async () => {
    const { id, agents } = await newTeam('round_robin', 2);
    const [ticket] = await open(id);
    await runJobs();
    const first = (await ticketOf(ticket!.id)).assigneeId;
    expect(first).not.toBeNull();
    await as(t, desk.admin).patch(`/tickets/${ticket!.id}`, { assigneeId: null });
    await runJobs();
    expect((await ticketOf(ticket!.id)).assigneeId).not.toBeNull();

    const [moved] = await open(desk.billing);
    await as(t, desk.admin).patch(`/tickets/${moved!.id}`, { assigneeId: desk.otto.user.id });
    await as(t, desk.admin).patch(`/tickets/${moved!.id}`, { teamId: id });
    await runJobs();
    expect(agents.map((a) => a.user.id)).toContain((await ticketOf(moved!.id)).assigneeId);

    const [kept] = await open(desk.billing);
    await as(t, desk.admin).patch(`/tickets/${kept!.id}`, { assigneeId: agents[0]!.user.id, teamId: id });
    await runJobs();
    expect((await ticketOf(kept!.id)).assigneeId).toBe(agents[0]!.user.id);
  });

  it('a deactivated assignee hands their open tickets on; with assignment off they go back to the queue', async () => {
    const { id, agents } = await newTeam('round_robin', 2);
    const [leaver, stayer] = agents as [Session, Session];
    const tickets = await open(id, 4);
    await runJobs();
    const theirs = tickets.filter((_, i) => i % 2 === 0);
    expect(await assigneesOf(theirs)).toEqual([leaver.user.id, leaver.user.id]);
    await as(t, leaver).patch(`/tickets/${theirs[1]!.id}`, { status: 'closed' });

    await as(t, desk.admin).patch(`/users/${leaver.user.id}`, { deactivated: true });
    await runJobs();
    expect(await assigneesOf(theirs)).toEqual([stayer.user.id, leaver.user.id]); // the closed one stays

    const off = await newTeam('off', 2);
    const [mine] = await open(off.id);
    await as(t, desk.admin).patch(`/tickets/${mine!.id}`, { assigneeId: off.agents[0]!.user.id });
    await as(t, desk.admin).patch(`/users/${off.agents[0]!.user.id}`, { deactivated: true });
    await runJobs();
    expect((await ticketOf(mine!.id)).assigneeId).toBeNull();
  });

  it('a member who leaves the team hands its tickets on; nobody to take them: they wait', async () => {
    const { id, agents } = await newTeam('round_robin', 2, { online: 1 });
    const [leaver, other] = agents as [Session, Session];
    const tickets = await open(id, 2);
    await runJobs();
    expect(await assigneesOf(tickets)).toEqual([leaver.user.id, leaver.user.id]);

    expect((await as(t, desk.admin).delete(`/teams/${id}/members/${leaver.user.id}`)).statusCode).toBe(204);
    await runJobs();
    expect(await assigneesOf(tickets)).toEqual([null, null]); // the other member is offline

    await goOnline(other);
    await vi.waitFor(async () => {
      await runJobs();
      expect(await assigneesOf(tickets)).toEqual([other.user.id, other.user.id]);
    }, PATIENTLY);
    expect(await systemLines(tickets[0]!)).toContain('Parley unassigned the ticket');
  });

  it('is idempotent: every assignment job run twice assigns each ticket once, and the turn moves once', async () => {
    const { id, agents } = await newTeam('round_robin', 3);
    const tickets = await open(id, 3);
    await runJobs();
    expect(await assigneesOf(tickets)).toEqual(agents.map((a) => a.user.id));
    // What a node that dies after a job's work but before its end leaves: the same job, again.
    const job = defineJobType('reaction.auto-assignment', DomainEventSchema);
    for (const ticket of tickets) {
      const event = { workspaceId: desk.carla.user.workspace.id, type: 'ticket.updated' as const, ticket };
      await enqueueJob(t.database.db, {
        type: job,
        payload: { ...event, change: { byUserId: desk.carla.user.id, from: null } },
        runAt: clock.now(),
      });
    }
    await runJobs();
    expect(await assigneesOf(tickets)).toEqual(agents.map((a) => a.user.id));
    for (const ticket of tickets) {
      expect((await systemLines(ticket)).filter((l) => l.startsWith('Parley'))).toHaveLength(1);
    }
    const [next] = await open(id);
    await runJobs();
    expect((await ticketOf(next!.id)).assigneeId).toBe(agents[0]!.user.id);
  });

  it('team settings are for team managers; a limit is for members only', async () => {
    const { id } = await newTeam('off', 1, { online: 0 });
    expect((await as(t, desk.sam).patch(`/teams/${id}`, { assignment: { mode: 'round_robin' } })).statusCode).toBe(403);
    const stranger = await as(t, desk.admin).patch(`/teams/${id}`, {
      memberCapacities: [{ userId: desk.sam.user.id, capacity: 2 }],
    });
    expect(stranger.statusCode).toBe(404);
    expect((await as(t, desk.carla).put('/me/availability', { away: true })).statusCode).toBe(403);
  });
});
