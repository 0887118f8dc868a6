import type {
  AuditPage,
  AutomationRule,
  Conversation,
  ItemLabels,
  Label,
  LabelList,
  Message,
  Ticket,
  TicketCounts,
  TicketListItem,
  TicketPage,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket } from '../testing/ws-client';

const MINUTE = 60_000;
const ENV = { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '31536000' };

/** Labels: kept by admins, put on tickets and conversations by staff, never shown to customers. */
describe(`labels on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: ENV });
    desk = await setUpDesk(t);
    baseUrl = await listen(t);
  });
  afterAll(() => t.close());

  const runJobs = async () => {
    for (let i = 0; i < 5; i++) await t.app.jobs.runDueJobs();
  };
  const makeLabel = async (name: string, colour = '#336699'): Promise<Label> => {
    const answer = await as(t, desk.admin).post('/labels', { name, colour });
    expect(answer.statusCode, answer.body).toBe(201);
    return answer.json<Label>();
  };
  const label = async (ticket: Ticket, labelIds: string[], who = desk.sam) => {
    const answer = await as(t, who).put(`/tickets/${ticket.id}/labels`, { labelIds });
    expect(answer.statusCode, answer.body).toBe(200);
    return answer.json<ItemLabels>().labels;
  };
  const ticketOf = async (id: string, who = desk.admin) =>
    (await as(t, who).get(`/tickets/${id}`)).json<TicketListItem>();
  const messagesOf = async (conversationId: string, who = desk.admin) =>
    (await as(t, who).get(`/conversations/${conversationId}/messages?limit=100`)).json<{ items: Message[] }>().items;

  it('an admin adds, renames, recolours and deletes labels; names are unique ignoring case; all audited', async () => {
    const created = await as(t, desk.admin).post('/labels', {
      name: 'Refund',
      colour: '#AA0000',
      description: 'Money back',
    });
    expect(created.statusCode, created.body).toBe(201);
    const refund = created.json<Label>();
    expect(refund).toMatchObject({ name: 'Refund', colour: '#aa0000', description: 'Money back' });

    const twin = await as(t, desk.admin).post('/labels', { name: 'refund', colour: '#00aa00' });
    expect(twin.statusCode).toBe(409);
    expect(twin.json()).toMatchObject({
      error: { code: 'conflict', details: { fields: [{ path: 'name', reason: 'taken' }] } },
    });
    const badColour = await as(t, desk.admin).post('/labels', { name: 'Red', colour: 'red' });
    expect(badColour.statusCode).toBe(400);

    const renamed = await as(t, desk.admin).patch(`/labels/${refund.id}`, { name: 'Refunds', colour: '#bb0000' });
    expect(renamed.json<Label>()).toMatchObject({ name: 'Refunds', colour: '#bb0000', description: 'Money back' });
    const other = await makeLabel('Bug');
    expect((await as(t, desk.admin).patch(`/labels/${other.id}`, { name: 'REFUNDS' })).statusCode).toBe(409);

    // Staff read the list (by name); customers may not.
    const list = (await as(t, desk.sam).get('/labels')).json<LabelList>().items.map((l) => l.name);
    expect(list).toEqual(['Bug', 'Refunds']);
    expect((await as(t, desk.carla).get('/labels')).statusCode).toBe(403);

    expect((await as(t, desk.admin).delete(`/labels/${refund.id}`)).statusCode).toBe(204);
    expect((await as(t, desk.admin).delete(`/labels/${refund.id}`)).statusCode).toBe(404);
    const audit = (await as(t, desk.admin).get(`/audit?entityType=label`)).json<AuditPage>().items;
    expect(audit.filter((e) => e.entityId === refund.id).map((e) => e.action)).toEqual(
      expect.arrayContaining(['label.created', 'label.updated', 'label.deleted']),
    );
    await as(t, desk.admin).delete(`/labels/${other.id}`);
  });

  it('only settings.manage keeps labels: agents and customers get 403 and change nothing', async () => {
    const vip = await makeLabel('VIP');
    for (const who of [desk.sam, desk.carla]) {
      for (const answer of await Promise.all([
        as(t, who).post('/labels', { name: 'Mine', colour: '#000000' }),
        as(t, who).patch(`/labels/${vip.id}`, { name: 'Hijacked' }),
        as(t, who).delete(`/labels/${vip.id}`),
      ])) {
        expect(answer.statusCode, answer.body).toBe(403);
      }
    }
    expect((await as(t, desk.sam).get('/labels')).json<LabelList>().items).toEqual([vip]);
    await as(t, desk.admin).delete(`/labels/${vip.id}`);
  });

  it('staff label a ticket: an internal system line, an audit entry, labels on the ticket and its queue row', async () => {
    const [bug, vip] = [await makeLabel('Bug', '#cc0000'), await makeLabel('VIP', '#0000cc')];
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    expect(await label(ticket, [vip.id, bug.id])).toEqual([
      { id: bug.id, name: 'Bug', colour: '#cc0000' },
      { id: vip.id, name: 'VIP', colour: '#0000cc' },
    ]);
    expect(await label(ticket, [vip.id], desk.kim)).toEqual([{ id: vip.id, name: 'VIP', colour: '#0000cc' }]);
    // The same set again changes nothing.
    await label(ticket, [vip.id], desk.kim);

    expect((await ticketOf(ticket.id, desk.sam)).labels).toEqual([{ id: vip.id, name: 'VIP', colour: '#0000cc' }]);
    const queue = (await as(t, desk.sam).get('/tickets?view=my_teams')).json<TicketPage>().items;
    expect(queue.find((i) => i.id === ticket.id)?.labels).toEqual([{ id: vip.id, name: 'VIP', colour: '#0000cc' }]);

    const lines = (await messagesOf(ticket.conversationId, desk.sam)).filter(
      (m) => m.system?.event === 'labels_changed',
    );
    expect(lines.map((m) => [m.kind, m.body])).toEqual([
      ['note', 'Sam Agent added the labels Bug, VIP'],
      ['note', 'Kim Agent removed the label Bug'],
    ]);
    const audit = (await as(t, desk.admin).get(`/audit?entityId=${ticket.id}&limit=100`)).json<AuditPage>().items;
    expect(audit.filter((e) => e.action === 'ticket.labels_changed')).toHaveLength(2);

    // Unknown labels are refused by name of the field; a ticket Otto may not see does not exist for him.
    const unknown = await as(t, desk.sam).put(`/tickets/${ticket.id}/labels`, {
      labelIds: ['01ARZ3NDEKTSV4RRFFQ69G5FAV'],
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ error: { details: { fields: [{ path: 'labelIds.0' }] } } });
    expect((await as(t, desk.otto).put(`/tickets/${ticket.id}/labels`, { labelIds: [] })).statusCode).toBe(404);
  });

  it('customers never see labels: not on their ticket, their list, the thread, the filter, or by frame', async () => {
    const secret = await makeLabel('Difficult customer');
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const carla = await readySocket(baseUrl, desk.carla);
    try {
      await label(ticket, [secret.id]);
      const own = await ticketOf(ticket.id, desk.carla);
      expect(own).not.toHaveProperty('labels');
      const list = (await as(t, desk.carla).get('/tickets')).json<TicketPage>().items;
      expect(list.every((i) => !('labels' in i))).toBe(true);
      expect((await as(t, desk.carla).get(`/tickets?labelIds=${secret.id}`)).statusCode).toBe(403);
      expect((await as(t, desk.carla).get(`/tickets/counts?labelIds=${secret.id}`)).statusCode).toBe(403);
      expect((await as(t, desk.carla).get(`/tickets/counts`)).json<TicketCounts>().label).toBeNull();
      expect((await as(t, desk.carla).put(`/tickets/${ticket.id}/labels`, { labelIds: [] })).statusCode).toBe(403);
      const thread = await messagesOf(ticket.conversationId, desk.carla);
      expect(thread.some((m) => m.body.includes('Difficult'))).toBe(false);
      const conversations = (await as(t, desk.carla).get('/conversations')).json<{ items: Conversation[] }>().items;
      expect(conversations.every((c) => !('labels' in c))).toBe(true);
      expect(JSON.stringify(carla.frames)).not.toContain('Difficult');
      expect(carla.all('ticket.labels')).toEqual([]);
    } finally {
      await carla.close();
    }
  });

  it('filters the queue by labels (all of them) and counts per label with the other filters', async () => {
    const [a, b] = [await makeLabel('Alpha'), await makeLabel('Beta')];
    const both = await openTicket(t, desk.dan, { teamId: desk.support, subject: 'Both' });
    const onlyA = await openTicket(t, desk.dan, { teamId: desk.support, subject: 'Only A' });
    await openTicket(t, desk.dan, { teamId: desk.support, subject: 'None' });
    await label(both, [a.id, b.id]);
    await label(onlyA, [a.id]);

    const ids = async (query: string) =>
      (await as(t, desk.sam).get(`/tickets?view=my_teams&${query}`)).json<TicketPage>().items.map((i) => i.id);
    expect(await ids(`labelIds=${a.id}`)).toEqual([onlyA.id, both.id]);
    expect(await ids(`labelIds=${a.id},${b.id}`)).toEqual([both.id]);
    expect((await as(t, desk.sam).get('/tickets?labelIds=nonsense')).statusCode).toBe(400);

    const counts = (
      await as(t, desk.sam).get(`/tickets/counts?view=my_teams&requesterId=${desk.dan.user.id}`)
    ).json<TicketCounts>();
    expect(counts.label).toMatchObject({ [a.id]: 2, [b.id]: 1 });
    const withA = (
      await as(t, desk.sam).get(`/tickets/counts?view=my_teams&labelIds=${a.id}&requesterId=${desk.dan.user.id}`)
    ).json<TicketCounts>();
    expect(withA.label).toMatchObject({ [a.id]: 2, [b.id]: 1 });
    expect(withA.status.all).toBe(2);
  });

  it('other agents who see the ticket hear the new labels live; one who does not, does not', async () => {
    const urgent = await makeLabel('Escalated');
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    const [kim, otto] = [await readySocket(baseUrl, desk.kim), await readySocket(baseUrl, desk.otto)];
    try {
      await label(ticket, [urgent.id]);
      const frame = await kim.next('ticket.labels', (f) => f.ticketId === ticket.id);
      expect(frame.labels).toEqual([{ id: urgent.id, name: 'Escalated', colour: '#336699' }]);
      // The system line reaches staff subscribed to the thread as any note does; Otto hears nothing.
      await kim.next('pong', undefined, 100).catch(() => undefined);
      expect(otto.all('ticket.labels').filter((f) => f.ticketId === ticket.id)).toEqual([]);
    } finally {
      await kim.close();
      await otto.close();
    }
  });

  it('staff apps hear a label created, renamed and deleted live; customers hear nothing of it', async () => {
    const [kim, carla] = [await readySocket(baseUrl, desk.kim), await readySocket(baseUrl, desk.carla)];
    try {
      const late = await makeLabel('Late delivery', '#884400');
      expect((await kim.next('label.updated', (f) => f.label.id === late.id)).label).toEqual(late);

      await as(t, desk.admin).patch(`/labels/${late.id}`, { name: 'Delayed', colour: '#aa5500' });
      const renamed = await kim.next('label.updated', (f) => f.label.name === 'Delayed');
      expect(renamed.label).toMatchObject({ id: late.id, colour: '#aa5500' });

      await as(t, desk.admin).delete(`/labels/${late.id}`);
      expect(await kim.next('label.deleted')).toEqual({ type: 'label.deleted', labelId: late.id });
      await carla.next('pong', undefined, 100).catch(() => undefined);
      expect([...carla.all('label.updated'), ...carla.all('label.deleted')]).toEqual([]);
    } finally {
      await kim.close();
      await carla.close();
    }
  });

  it('rules: a label condition and add/remove actions; a label a rule names cannot be deleted (409)', async () => {
    const [refund, vip] = [await makeLabel('Refund request'), await makeLabel('Priority customer')];
    const rule = (
      await as(t, desk.admin).post('/automation-rules', {
        name: 'Refund subject',
        event: { type: 'ticket.created' },
        conditions: [{ type: 'text', in: 'subject', contains: 'refund' }],
        actions: [{ type: 'add_label', labelId: refund.id }],
      })
    ).json<AutomationRule>();
    const onLabel = (
      await as(t, desk.admin).post('/automation-rules', {
        name: 'Refunds of VIPs are urgent',
        event: { type: 'ticket.labels_changed' },
        conditions: [
          { type: 'label', operator: 'is', values: [refund.id] },
          { type: 'label', operator: 'is', values: [vip.id] },
        ],
        actions: [
          { type: 'set_priority', priority: 'urgent' },
          { type: 'remove_label', labelId: refund.id },
        ],
      })
    ).json<AutomationRule>();
    expect(onLabel.id).toBeDefined();
    const missing = await as(t, desk.admin).post('/automation-rules', {
      name: 'Broken',
      event: { type: 'ticket.created' },
      actions: [{ type: 'add_label', labelId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }],
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ error: { details: { fields: [{ path: 'actions.0.labelId' }] } } });

    const ticket = await openTicket(t, desk.carla, { subject: 'Refund please', teamId: desk.support });
    await runJobs();
    expect((await ticketOf(ticket.id)).labels?.map((l) => l.name)).toEqual(['Refund request']);
    expect((await ticketOf(ticket.id)).priority).toBe('medium');
    await label(ticket, [refund.id, vip.id]);
    await runJobs();
    const after = await ticketOf(ticket.id);
    expect(after.priority).toBe('urgent');
    expect(after.labels?.map((l) => l.name)).toEqual(['Priority customer']);
    const parleyLines = (await messagesOf(ticket.conversationId)).filter(
      (m) => m.system?.event === 'labels_changed' && m.system.actor.id === null,
    );
    expect(parleyLines.map((m) => m.body)).toEqual([
      'Parley added the label Refund request',
      'Parley removed the label Refund request',
    ]);

    const refused = await as(t, desk.admin).delete(`/labels/${refund.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { code: 'conflict', details: { rules: expect.any(Array) } } });
    await as(t, desk.admin).delete(`/automation-rules/${rule.id}`);
    await as(t, desk.admin).delete(`/automation-rules/${onLabel.id}`);
    expect((await as(t, desk.admin).delete(`/labels/${refund.id}`)).statusCode).toBe(204);
    // Deleting it took it off tickets too.
    expect((await as(t, desk.sam).get(`/tickets?labelIds=${vip.id}`)).json<TicketPage>().items.length).toBeGreaterThan(
      0,
    );
  });

  it('a ticket carries at most 20 labels: a bulk add past that fails for that ticket alone, and changes nothing on it', async () => {
    const many = [];
    for (let i = 0; i < 21; i++) many.push(await makeLabel(`Many ${i}`));
    const [full, roomy] = [await openTicket(t, desk.carla), await openTicket(t, desk.carla)];
    await label(
      full,
      many.slice(0, 20).map((l) => l.id),
    );
    const bulk = await as(t, desk.sam).post('/tickets/bulk', {
      ticketIds: [full.id, roomy.id],
      change: { addLabelIds: [many[20]!.id] },
    });
    expect(bulk.statusCode, bulk.body).toBe(200);
    expect(bulk.json()).toEqual({
      results: [
        {
          id: full.id,
          ok: false,
          error: { code: 'validation_failed', message: expect.stringContaining('at most 20') },
        },
        { id: roomy.id, ok: true },
      ],
    });
    expect((await ticketOf(full.id)).labels).toHaveLength(20);
    expect((await ticketOf(roomy.id)).labels?.map((l) => l.name)).toEqual(['Many 20']);
    for (const l of many) expect((await as(t, desk.admin).delete(`/labels/${l.id}`)).statusCode).toBe(204);
  });

  it('an SLA escalation step adds a label when a target is breached', async () => {
    const late = await makeLabel('Late');
    const targets = { firstResponseMinutes: 10, resolutionMinutes: 600 };
    const put = await as(t, desk.admin).put('/sla-policy', {
      targets: { low: targets, medium: targets, high: targets, urgent: targets },
      atRiskPercent: 75,
      businessHours: null,
      escalation: [{ target: 'first_response', when: 'breached', action: { type: 'add_label', labelId: late.id } }],
    });
    expect(put.statusCode, put.body).toBe(200);
    const ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    await runJobs();
    clock.advance(11 * MINUTE);
    await runJobs();
    await runJobs();
    expect((await ticketOf(ticket.id)).labels?.map((l) => l.name)).toEqual(['Late']);
    expect((await as(t, desk.admin).delete(`/labels/${late.id}`)).statusCode).toBe(409);
    await as(t, desk.admin).delete('/sla-policy');
  });

  it('a staff member labels a chat they are in; only staff members see it; GET /conversations?labelId= filters', async () => {
    const partner = await makeLabel('Partner');
    const chat = (await as(t, desk.sam).post('/conversations/direct', { userId: desk.kim.user.id })).json<{
      id: string;
    }>();
    const withCarla = (await as(t, desk.sam).post('/conversations/direct', { userId: desk.carla.user.id })).json<{
      id: string;
    }>();
    const answer = await as(t, desk.sam).put(`/conversations/${chat.id}/labels`, { labelIds: [partner.id] });
    expect(answer.statusCode, answer.body).toBe(200);
    expect((await as(t, desk.otto).put(`/conversations/${chat.id}/labels`, { labelIds: [] })).statusCode).toBe(404);
    await as(t, desk.sam).put(`/conversations/${withCarla.id}/labels`, { labelIds: [partner.id] });

    const kims = (await as(t, desk.kim).get(`/conversations?labelId=${partner.id}`)).json<{ items: Conversation[] }>();
    expect(kims.items.map((c) => [c.id, c.labels?.map((l) => l.name)])).toEqual([[chat.id, ['Partner']]]);
    const carlas = (await as(t, desk.carla).get('/conversations')).json<{ items: Conversation[] }>().items;
    expect(carlas.find((c) => c.id === withCarla.id)).not.toHaveProperty('labels');
    expect((await as(t, desk.carla).get(`/conversations?labelId=${partner.id}`)).statusCode).toBe(403);
    expect((await messagesOf(withCarla.id, desk.carla)).some((m) => m.body.includes('Partner'))).toBe(false);
  });
});
