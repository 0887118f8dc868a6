import type { DeskSettings, Message, Team, Ticket, TicketCategoryList } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, createTeam, openTicket, setUpDesk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

/**
 * Customers pick a category, never a team (team names are internal), and Urgent only where the
 * desk allows it. Desk Support is offered as "Sign-in and account", Billing as "Invoices and
 * payments"; team Internal is not offered at all.
 */
describe(`ticket categories and desk settings on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let baseUrl: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let internal: string;

  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
    internal = await createTeam(t, 'Internal', [desk.sam]);
  });
  afterAll(() => t.close());

  const TEAM_NAMES = ['Support', 'Billing', 'Internal'];
  const expectNoTeamNames = (text: string) => {
    for (const name of TEAM_NAMES) expect(text).not.toContain(name);
  };

  describe('categories', () => {
    it('lists the teams offered to customers by label only, to anyone signed in', async () => {
      for (const who of [desk.carla, desk.sam]) {
        const response = await as(t, who).get('/ticket-categories');
        expect(response.statusCode).toBe(200);
        expect(response.json<TicketCategoryList>().items).toEqual([
          { id: desk.billing, label: 'Invoices and payments' },
          { id: desk.support, label: 'Sign-in and account' },
        ]);
        expectNoTeamNames(response.body);
      }
      expect((await t.app.inject({ method: 'GET', url: '/ticket-categories' })).statusCode).toBe(401);
    });

    it('lets a customer open a ticket in a category, and refuses a team not offered to them', async () => {
      const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
      expect(ticket.teamId).toBe(desk.support);
      const refused = await as(t, desk.carla).post('/tickets', {
        subject: 'Let me in',
        description: 'Internal team please',
        teamId: internal,
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'validation_failed',
        message: 'Choose one of the offered categories',
        details: { fields: [{ in: 'body', path: 'teamId' }] },
      });
      expectNoTeamNames(refused.body);
      // Staff may still file a ticket for any team.
      expect((await openTicket(t, desk.sam, { teamId: internal })).teamId).toBe(internal);
    });

    it('lets an admin offer a team under a label, rename the label and withdraw it', async () => {
      const admin = as(t, desk.admin);
      const offered = await admin.patch(`/teams/${internal}`, { category: 'Something else' });
      expect(offered.json<Team>()).toMatchObject({ name: 'Internal', category: 'Something else' });
      const labels = async () =>
        (await as(t, desk.carla).get('/ticket-categories')).json<TicketCategoryList>().items.map((c) => c.label);
      expect(await labels()).toContain('Something else');
      expect((await admin.patch(`/teams/${internal}`, { category: '' })).json<Team>().category).toBeNull();
      expect(await labels()).not.toContain('Something else');
      const created = await admin.post('/teams', { name: 'Shipping', category: 'Delivery' });
      expect(created.json<Team>()).toMatchObject({ name: 'Shipping', category: 'Delivery' });
      expect(await labels()).toContain('Delivery');
      for (const who of [desk.sam, desk.carla]) {
        expect((await as(t, who).patch(`/teams/${internal}`, { category: 'Mine' })).statusCode).toBe(403);
      }
      const audit = await t.database.db
        .selectFrom('auditLog')
        .select('data')
        .where('entityId', '=', internal)
        .where('action', '=', 'team.updated')
        .execute();
      expect(audit.map((a) => JSON.parse(a.data).to)).toEqual([{ category: 'Something else' }, { category: '' }]);
    });

    it('never shows a customer a team name: not in the thread when the ticket moves, nor live', async () => {
      const ticket = await openTicket(t, desk.carla);
      const carla = await readySocket(baseUrl, desk.carla);
      try {
        carla.send({ type: 'subscribe', conversationId: ticket.conversationId });
        await carla.next('subscribed');
        await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { teamId: desk.billing });
        await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { teamId: internal });
        const lines = [(await carla.next('message')).message.body, (await carla.next('message')).message.body];
        expect(lines.map((line) => line.slice(line.indexOf(' moved ')))).toEqual([
          ' moved the ticket to Invoices and payments',
          ' moved the ticket to another team',
        ]);
        await carla.next('ticket.updated');
        const frames = JSON.stringify(carla.frames);
        expectNoTeamNames(frames);
      } finally {
        await carla.close();
      }
      const bodies = [
        (await as(t, desk.carla).get(`/tickets/${ticket.id}`)).body,
        (await as(t, desk.carla).get('/tickets')).body,
        (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}`)).body,
        (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages`)).body,
        (await as(t, desk.carla).get('/conversations')).body,
        (await as(t, desk.carla).get('/notifications')).body,
      ];
      for (const body of bodies) expectNoTeamNames(body);
      const thread = (await as(t, desk.sam).get(`/conversations/${ticket.conversationId}/messages`)).json<{
        items: Message[];
      }>();
      expect(thread.items.map((m) => m.body.split(' moved ')[1])).toEqual([
        'the ticket to Invoices and payments',
        'the ticket to another team',
      ]);
    });
  });

  describe('Urgent and the desk settings', () => {
    const urgent = (who = desk.carla) =>
      as(t, who).post('/tickets', { subject: 'Everything is down', description: 'All of it', priority: 'urgent' });

    it('refuses Urgent from customers by default, with a message that says what to do', async () => {
      expect((await as(t, desk.carla).get('/settings')).json<DeskSettings>()).toEqual({
        customersMayChooseUrgent: false,
        defaultTeamId: null,
        messageEditWindowMinutes: null,
      });
      const refused = await urgent();
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error).toMatchObject({
        code: 'validation_failed',
        message: 'Urgent is set by the support team; choose High if it is pressing',
        details: { fields: [{ in: 'body', path: 'priority', message: 'Choose Low, Medium or High' }] },
      });
      expect((await urgent(desk.sam)).statusCode).toBe(201);
      const tickets = await t.database.db
        .selectFrom('tickets')
        .select('id')
        .where('requesterId', '=', desk.carla.user.id)
        .where('priority', '=', 'urgent')
        .execute();
      expect(tickets).toEqual([]);
    });

    it('lets only an admin change the settings, records who did, and then takes Urgent from customers', async () => {
      for (const who of [desk.sam, desk.carla]) {
        const refused = await as(t, who).patch('/settings', { customersMayChooseUrgent: true });
        expect(refused.statusCode).toBe(403);
        expect(refused.json().error.code).toBe('forbidden');
      }
      expect((await t.app.inject({ method: 'GET', url: '/settings' })).statusCode).toBe(401);
      expect((await as(t, desk.admin).patch('/settings', {})).statusCode).toBe(400);
      expect((await as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: 'yes' })).statusCode).toBe(400);
      expect((await urgent()).statusCode).toBe(400);

      const changed = await as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: true });
      expect(changed.json<DeskSettings>()).toEqual({
        customersMayChooseUrgent: true,
        defaultTeamId: null,
        messageEditWindowMinutes: null,
      });
      expect((await as(t, desk.dan).get('/settings')).json<DeskSettings>().customersMayChooseUrgent).toBe(true);
      const created = await urgent();
      expect(created.statusCode).toBe(201);
      expect(created.json<Ticket>().priority).toBe('urgent');

      // Again (an update this time, not an insert), then off: customers are refused again.
      await as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: true });
      await as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: false });
      expect((await urgent()).statusCode).toBe(400);
      const audit = await t.database.db
        .selectFrom('auditLog')
        .select(['actorId', 'data'])
        .where('action', '=', 'desk.settings_changed')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => [a.actorId, JSON.parse(a.data)])).toEqual([
        [desk.admin.user.id, { from: { customersMayChooseUrgent: false }, to: { customersMayChooseUrgent: true } }],
        [desk.admin.user.id, { from: { customersMayChooseUrgent: true }, to: { customersMayChooseUrgent: true } }],
        [desk.admin.user.id, { from: { customersMayChooseUrgent: true }, to: { customersMayChooseUrgent: false } }],
      ]);
    });

    it('keeps one row per setting when two admins change it for the first time at once', async () => {
      await t.database.db.deleteFrom('deskSettings').execute();
      const answers = await Promise.all(
        [true, true, true].map((on) => as(t, desk.admin).patch('/settings', { customersMayChooseUrgent: on })),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
      expect(await t.database.db.selectFrom('deskSettings').select('key').execute()).toEqual([
        { key: 'customersMayChooseUrgent' },
      ]);
    });
  });
});
