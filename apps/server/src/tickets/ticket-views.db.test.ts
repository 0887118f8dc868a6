import type { DeskSettings, Session, Ticket, TicketCounts, TicketPage, TicketView } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, createTeam, openTicket, setUpDesk, type Desk } from '../testing/test-desk';

/**
 * The queues every agent has (Unassigned, Mine, My teams, All), their counts, and the default
 * queue tickets without a team go to. Sam and Kim are in Support, Otto in Billing; the admin in
 * no team.
 */
describe(`ticket views and the default queue on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  /** Support unassigned; Billing unassigned; no team; Support Sam's; Billing Sam's. */
  let support: Ticket, billing: Ticket, teamless: Ticket, samsSupport: Ticket, samsBilling: Ticket;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ACCESS_TOKEN_TTL_SECONDS: '31536000' } });
    desk = await setUpDesk(t);
    support = await openTicket(t, desk.carla, { subject: 'Support, nobody has it', teamId: desk.support });
    billing = await openTicket(t, desk.dan, { subject: 'Billing, nobody has it', teamId: desk.billing });
    teamless = await openTicket(t, desk.dan, { subject: 'No team at all' });
    samsSupport = await openTicket(t, desk.carla, { subject: 'Support, Sam has it', teamId: desk.support });
    samsBilling = await openTicket(t, desk.carla, { subject: 'Billing, Sam has it', teamId: desk.billing });
    for (const ticket of [samsSupport, samsBilling]) {
      const taken = await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { assigneeId: desk.sam.user.id });
      expect(taken.statusCode).toBe(200);
    }
  });
  afterAll(() => t.close());

  const view = async (who: Session, name: TicketView, query = '') => {
    const response = await as(t, who).get(`/tickets?view=${name}${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response
      .json<TicketPage>()
      .items.map((i) => i.id)
      .sort();
  };
  const counts = async (who: Session, query = '') => {
    const response = await as(t, who).get(`/tickets/counts?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json<TicketCounts>();
  };
  const ids = (...tickets: Ticket[]) => tickets.map((x) => x.id).sort();

  it("shows an agent the unassigned tickets of their teams and of no team, their own, and their teams'", async () => {
    expect(await view(desk.sam, 'unassigned')).toEqual(ids(support, teamless));
    expect(await view(desk.sam, 'mine')).toEqual(ids(samsSupport, samsBilling));
    expect(await view(desk.sam, 'my_teams')).toEqual(ids(support, teamless, samsSupport));
    expect(await view(desk.otto, 'unassigned')).toEqual(ids(billing, teamless));
    expect(await view(desk.otto, 'mine')).toEqual([]);
    expect(await view(desk.otto, 'my_teams')).toEqual(ids(billing, teamless, samsBilling));
    // The admin is in no team: the shared queue only, and everything under All.
    expect(await view(desk.admin, 'unassigned')).toEqual(ids(teamless));
    expect(await view(desk.admin, 'all')).toEqual(ids(support, billing, teamless, samsSupport, samsBilling));
  });

  it('counts each view as it lists, with the other filters, and says which view to show first', async () => {
    expect(await counts(desk.sam)).toMatchObject({
      view: { unassigned: 2, mine: 2, my_teams: 3, all: null },
      defaultView: 'unassigned',
    });
    expect(await counts(desk.otto)).toMatchObject({ view: { unassigned: 2, mine: 0, my_teams: 3, all: null } });
    expect(await counts(desk.admin)).toMatchObject({
      view: { unassigned: 1, mine: 0, my_teams: 1, all: 5 },
      defaultView: 'all',
    });
    // With a filter: the views count within it; with a view, the other groups count within it.
    expect((await counts(desk.sam, `requesterId=${desk.carla.user.id}`)).view).toEqual({
      unassigned: 1,
      mine: 2,
      my_teams: 2,
      all: null,
    });
    expect(await view(desk.sam, 'my_teams', `&requesterId=${desk.carla.user.id}`)).toEqual(ids(support, samsSupport));
    const inMine = await counts(desk.sam, 'view=mine');
    expect(inMine.status.open).toBe(2);
    expect(inMine.assignee).toEqual({ all: 2, me: 2, unassigned: 0 });
  });

  it('never lists in a view a ticket its reader cannot open, and All only with `tickets.all`', async () => {
    for (const who of [desk.sam, desk.kim, desk.otto, desk.admin]) {
      for (const name of ['unassigned', 'mine', 'my_teams'] as const) {
        for (const id of await view(who, name)) {
          expect((await as(t, who).get(`/tickets/${id}`)).statusCode).toBe(200);
        }
      }
    }
    for (const url of ['/tickets?view=all', '/tickets/counts?view=all']) {
      const refused = await as(t, desk.sam).get(url);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
    }
    expect((await as(t, desk.sam).get('/tickets?view=everything')).statusCode).toBe(400);
  });

  it('keeps customers to their own tickets: no views, no view counts', async () => {
    for (const name of ['unassigned', 'mine', 'my_teams', 'all']) {
      expect((await as(t, desk.carla).get(`/tickets?view=${name}`)).statusCode).toBe(403);
    }
    expect(await counts(desk.carla)).toMatchObject({ view: null, defaultView: null, status: { all: 3 } });
  });

  it('moves a ticket from Unassigned to Mine when the agent takes it', async () => {
    const before = (await counts(desk.kim)).view!;
    await as(t, desk.kim).patch(`/tickets/${teamless.id}`, { assigneeId: desk.kim.user.id });
    expect((await counts(desk.kim)).view).toEqual({
      ...before,
      unassigned: before.unassigned - 1,
      mine: before.mine + 1,
    });
    expect(await view(desk.kim, 'mine')).toEqual(ids(teamless));
    // Taken by Kim, it left Sam's and Otto's Unassigned too (still in their teams' queue).
    expect(await view(desk.sam, 'unassigned')).toEqual(ids(support));
    expect(await view(desk.otto, 'unassigned')).toEqual(ids(billing));
    await as(t, desk.kim).patch(`/tickets/${teamless.id}`, { assigneeId: null });
  });

  describe('the default queue', () => {
    it('only `settings.manage` sets it, to a team of the workspace', async () => {
      expect((await as(t, desk.sam).patch('/settings', { defaultTeamId: desk.billing })).statusCode).toBe(403);
      const unknown = await as(t, desk.admin).patch('/settings', { defaultTeamId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.details.fields).toEqual([
        { in: 'body', path: 'defaultTeamId', message: 'No such team' },
      ]);
      expect((await as(t, desk.carla).get('/settings')).json<DeskSettings>().defaultTeamId).toBeNull();
    });

    it("takes tickets opened without a team, into that team's queue", async () => {
      const set = await as(t, desk.admin).patch('/settings', { defaultTeamId: desk.billing });
      expect(set.json<DeskSettings>()).toMatchObject({ defaultTeamId: desk.billing });
      const byCustomer = await openTicket(t, desk.dan, { subject: 'Which team is this?' });
      const bySam = await openTicket(t, desk.sam, { subject: 'Noticed something' });
      const chosen = await openTicket(t, desk.carla, { subject: 'Account', teamId: desk.support });
      expect([byCustomer.teamId, bySam.teamId, chosen.teamId]).toEqual([desk.billing, desk.billing, desk.support]);
      expect(await view(desk.otto, 'unassigned')).toEqual(ids(billing, teamless, byCustomer, bySam));
      expect(await view(desk.sam, 'unassigned')).toEqual(ids(support, teamless, chosen));
    });

    it('falls back to no team (every agent) when its team is gone, and to none when cleared', async () => {
      const triage = await createTeam(t, 'Triage', [desk.kim]);
      await as(t, desk.admin).patch('/settings', { defaultTeamId: triage });
      const toTriage = await openTicket(t, desk.dan, { subject: 'To triage' });
      expect(toTriage.teamId).toBe(triage);
      expect((await as(t, desk.admin).delete(`/teams/${triage}`)).statusCode).toBe(204);
      const orphan = await openTicket(t, desk.dan, { subject: 'After the team went' });
      expect(orphan.teamId).toBeNull();
      // Both are teamless now, and so in every agent's Unassigned queue.
      expect(await view(desk.otto, 'unassigned')).toEqual(expect.arrayContaining(ids(toTriage, orphan)));
      expect(await view(desk.sam, 'unassigned')).toEqual(expect.arrayContaining(ids(toTriage, orphan)));
      await as(t, desk.admin).patch('/settings', { defaultTeamId: null });
      expect((await openTicket(t, desk.dan, { subject: 'Cleared' })).teamId).toBeNull();
    });
  });
});
