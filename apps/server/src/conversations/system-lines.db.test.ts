import type { Conversation, Message, SystemEvent, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';
import { insertMessage } from './message-repository';

describe(`system lines in ticket threads on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { subject: 'Cannot sign in', priority: 'high', teamId: desk.support });
  });
  afterAll(() => t.close());

  const systemLines = async () =>
    (await as(t, desk.carla).get(`/conversations/${ticket.conversationId}/messages`))
      .json<{ items: Message[] }>()
      .items.filter((m) => m.kind === 'system')
      .map((m) => ({ body: m.body, system: m.system }));

  it('carry what happened as data for the reader to see in their language, and in English as the body', async () => {
    const sam = { id: desk.sam.user.id, name: 'Sam Agent' };
    const admin = { id: desk.admin.user.id, name: desk.admin.user.displayName };
    const kim = { id: desk.kim.user.id, name: 'Kim Agent' };
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { assigneeId: sam.id, status: 'in_progress' });
    await as(t, desk.sam).patch(`/tickets/${ticket.id}`, { priority: 'urgent' });
    await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { teamId: desk.billing, assigneeId: kim.id });
    await as(t, desk.admin).patch(`/tickets/${ticket.id}`, { teamId: null, assigneeId: null });
    await as(t, desk.carla).patch(`/tickets/${ticket.id}`, { status: 'closed' });
    await as(t, desk.carla).patch(`/tickets/${ticket.id}`, { status: 'open' });
    await as(t, desk.carla).patch(`/tickets/${ticket.id}`, { status: 'closed' });
    await as(t, desk.carla).post(`/conversations/${ticket.conversationId}/messages`, {
      clientMsgId: newId(),
      body: 'It happens again',
    });

    const carla = { id: desk.carla.user.id, name: 'Carla' };
    expect(await systemLines()).toEqual([
      {
        body: 'Sam Agent changed the status to In progress',
        system: { event: 'ticket.status_changed', actor: sam, params: { from: 'open', to: 'in_progress' } },
      },
      {
        body: 'Sam Agent took the ticket',
        system: { event: 'ticket.assignee_changed', actor: sam, params: { assignee: sam } },
      },
      {
        body: 'Sam Agent changed the priority from high to urgent',
        system: { event: 'ticket.priority_changed', actor: sam, params: { from: 'high', to: 'urgent' } },
      },
      {
        // Team names are internal: customers read the thread too, so it says the category.
        body: `${admin.name} moved the ticket to Invoices and payments`,
        system: { event: 'ticket.team_changed', actor: admin, params: { team: { category: 'Invoices and payments' } } },
      },
      {
        body: `${admin.name} assigned the ticket to Kim Agent`,
        system: { event: 'ticket.assignee_changed', actor: admin, params: { assignee: kim } },
      },
      {
        body: `${admin.name} removed the ticket from its team`,
        system: { event: 'ticket.team_changed', actor: admin, params: { team: null } },
      },
      {
        body: `${admin.name} unassigned the ticket`,
        system: { event: 'ticket.assignee_changed', actor: admin, params: { assignee: null } },
      },
      {
        body: 'Carla closed the ticket',
        system: { event: 'ticket.status_changed', actor: carla, params: { from: 'in_progress', to: 'closed' } },
      },
      {
        body: 'Carla reopened the ticket',
        system: { event: 'ticket.status_changed', actor: carla, params: { from: 'closed', to: 'open' } },
      },
      {
        body: 'Carla closed the ticket',
        system: { event: 'ticket.status_changed', actor: carla, params: { from: 'open', to: 'closed' } },
      },
      {
        body: 'Carla reopened the ticket by replying',
        system: { event: 'ticket.reopened_by_reply', actor: carla, params: {} },
      },
    ] satisfies { body: string; system: SystemEvent }[]);

    // The conversation list shows the last one the same way.
    const listed = (await as(t, desk.carla).get('/conversations')).json<{ items: Conversation[] }>().items;
    expect(listed.find((c) => c.id === ticket.conversationId)?.lastMessage).toMatchObject({
      body: 'Carla reopened the ticket by replying',
      system: { event: 'ticket.reopened_by_reply', params: {} },
    });
  });

  it('have no data where there is none to trust: other messages, old rows, events from a newer server', async () => {
    const other = await openTicket(t, desk.dan);
    await as(t, desk.dan).post(`/conversations/${other.conversationId}/messages`, {
      clientMsgId: newId(),
      body: 'Hello?',
    });
    await t.database.db.transaction().execute(async (trx) => {
      // Written before system lines carried data, and by a newer node in a cluster being upgraded.
      const old = { conversationId: other.conversationId, senderId: null, kind: 'system' as const, clientMsgId: null };
      const ws = { workspaceId: desk.dan.user.workspace.id };
      await insertMessage(trx, ws, { ...old, body: 'Sam Agent took the ticket', at: Date.now() });
      const row = await insertMessage(trx, ws, { ...old, body: 'Sam Agent merged the ticket', at: Date.now() });
      await trx
        .updateTable('messages')
        .set({ systemEvent: JSON.stringify({ event: 'ticket.merged', actor: { id: newId(), name: 'Sam' } }) })
        .where('id', '=', row.id)
        .execute();
    });
    const items = (await as(t, desk.dan).get(`/conversations/${other.conversationId}/messages`)).json<{
      items: Message[];
    }>().items;
    expect(items.map((m) => [m.kind, m.body, m.system])).toEqual([
      ['text', 'Hello?', null],
      ['system', 'Sam Agent took the ticket', null],
      ['system', 'Sam Agent merged the ticket', null],
    ]);
  });
});
