import type {
  AuditPage,
  CustomField,
  CustomFieldList,
  EntityFieldValues,
  ErrorBody,
  MessagePage,
  Ticket,
  TicketListItem,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { readySocket, settle } from '../testing/ws-client';
import { fieldValuesFor } from './field-service';

/** Definitions, values per type, required to close, what customers see, archived and orphaned values. */
describe(`custom fields on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;
  const fields: Record<string, CustomField> = {};

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    const define = async (body: object) => {
      const response = await as(t, desk.admin).post('/custom-fields', body);
      expect(response.statusCode, response.body).toBe(201);
      const field = response.json<CustomField>();
      fields[field.key] = field;
    };
    await define({
      entity: 'ticket',
      key: 'root_cause',
      name: 'Root cause',
      type: 'select',
      options: ['Billing', 'Bug', 'Howto'],
      requiredFor: ['closed'],
    });
    await define({ entity: 'ticket', key: 'order_no', name: 'Order number', type: 'text', visibleToCustomers: true });
    await define({ entity: 'ticket', key: 'refund', name: 'Refund', type: 'number' });
    await define({
      entity: 'ticket',
      key: 'areas',
      name: 'Areas',
      type: 'multi_select',
      options: ['App', 'Web', 'Api'],
    });
    await define({ entity: 'ticket', key: 'due', name: 'Due', type: 'date' });
    await define({ entity: 'ticket', key: 'vip', name: 'VIP', type: 'checkbox' });
    await define({ entity: 'customer', key: 'plan', name: 'Plan', type: 'select', options: ['Free', 'Pro'] });
  });
  afterAll(() => t.close());

  const ws = () => ({ workspaceId: desk.sam.user.workspace.id });
  const patch = (id: string, body: object, who = desk.sam) => as(t, who).patch(`/tickets/${id}`, body);
  const issuesOf = (body: string) => (JSON.parse(body) as ErrorBody).error.details?.fields ?? [];

  it('admins define fields in order with unique keys; agents and customers may not define them', async () => {
    const list = (await as(t, desk.admin).get('/custom-fields?entity=ticket')).json<CustomFieldList>().items;
    expect(list.map((f) => [f.key, f.position])).toEqual([
      ['root_cause', 0],
      ['order_no', 1],
      ['refund', 2],
      ['areas', 3],
      ['due', 4],
      ['vip', 5],
    ]);
    const taken = await as(t, desk.admin).post('/custom-fields', {
      entity: 'ticket',
      key: 'root_cause',
      name: 'Again',
      type: 'text',
    });
    expect(taken.statusCode).toBe(409);
    expect(issuesOf(taken.body)).toMatchObject([{ path: 'key', reason: 'taken' }]);
    // The same key on the other entity is another field.
    const customerKey = await as(t, desk.admin).post('/custom-fields', {
      entity: 'customer',
      key: 'root_cause',
      name: 'Customer root',
      type: 'text',
    });
    expect(customerKey.statusCode).toBe(201);
    expect(
      (await as(t, desk.sam).post('/custom-fields', { entity: 'ticket', key: 'x', name: 'X', type: 'text' }))
        .statusCode,
    ).toBe(403);
    const noOptions = await as(t, desk.admin).post('/custom-fields', {
      entity: 'ticket',
      key: 'y',
      name: 'Y',
      type: 'select',
    });
    expect(noOptions.statusCode).toBe(400);
    // Customers list only the fields they see.
    const seen = (await as(t, desk.carla).get('/custom-fields')).json<CustomFieldList>().items;
    expect(seen.map((f) => f.key)).toEqual(['order_no']);
  });

  it('each type takes only values that fit it, and the error names the field', async () => {
    const ticket = await openTicket(t, desk.carla);
    const bad = await patch(ticket.id, {
      fields: {
        root_cause: 'Weather',
        refund: 'ten',
        areas: ['App', 'Mobile'],
        due: '2026-02-30',
        vip: 'yes',
        order_no: 'x'.repeat(501),
        nope: 'x',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      issuesOf(bad.body)
        .map((i) => [i.path, i.reason])
        .sort(),
    ).toEqual(
      [
        ['fields.areas', 'invalid'],
        ['fields.due', 'invalid'],
        ['fields.nope', 'invalid'],
        ['fields.order_no', 'invalid'],
        ['fields.refund', 'invalid'],
        ['fields.root_cause', 'invalid'],
        ['fields.vip', 'invalid'],
      ].sort(),
    );
    const good = await patch(ticket.id, {
      fields: {
        root_cause: 'Bug',
        refund: 12.5,
        areas: ['Web', 'App'],
        due: '2026-12-24',
        vip: false,
        order_no: ' A-1 ',
      },
    });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json<Ticket>().fields).toEqual({
      root_cause: 'Bug',
      refund: 12.5,
      areas: ['Web', 'App'],
      due: '2026-12-24',
      vip: false,
      order_no: 'A-1',
    });
    const cleared = await patch(ticket.id, { fields: { refund: null, areas: [] } });
    expect(cleared.json<Ticket>().fields).not.toHaveProperty('refund');
    expect(cleared.json<Ticket>().fields).not.toHaveProperty('areas');
    const got = (await as(t, desk.sam).get(`/tickets/${ticket.id}`)).json<TicketListItem>();
    expect(got.fields).toMatchObject({ root_cause: 'Bug', order_no: 'A-1' });
  });

  it('closing needs the root cause; close and fill it in one request; the change is a note, audited', async () => {
    const ticket = await openTicket(t, desk.carla);
    const refused = await patch(ticket.id, { status: 'closed' });
    expect(refused.statusCode).toBe(400);
    expect(issuesOf(refused.body)).toEqual([
      expect.objectContaining({ path: 'fields.root_cause', reason: 'required' }),
    ]);
    expect((await as(t, desk.sam).get(`/tickets/${ticket.id}`)).json<Ticket>().status).toBe('open');

    const closed = await patch(ticket.id, { status: 'closed', fields: { root_cause: 'Billing' } });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<Ticket>()).toMatchObject({ status: 'closed', fields: { root_cause: 'Billing' } });
    // Clearing it on the closed ticket would leave it closed without one: refused.
    expect((await patch(ticket.id, { fields: { root_cause: null } })).statusCode).toBe(400);

    // Staff read the line (an internal field: a note); the customer's thread does not have it.
    const lines = async (who = desk.sam) =>
      (await as(t, who).get(`/conversations/${ticket.conversationId}/messages`)).json<MessagePage>().items;
    expect((await lines()).map((m) => m.body)).toContain('Sam Agent set Root cause to Billing');
    expect((await lines(desk.carla)).map((m) => m.body)).not.toContain('Sam Agent set Root cause to Billing');
    const audit = (
      await as(t, desk.admin).get(`/audit?entityId=${ticket.id}&action=ticket.field_changed`)
    ).json<AuditPage>();
    expect(audit.items[0]?.data).toMatchObject({ key: 'root_cause', from: null, to: 'Billing' });

    // A customer closing their own ticket is not held up by a field they cannot fill.
    const theirs = await openTicket(t, desk.carla);
    expect((await patch(theirs.id, { status: 'closed' }, desk.carla)).statusCode).toBe(200);
  });

  it('customers see and fill only visible fields, when they open a ticket', async () => {
    const internal = await as(t, desk.carla).post('/tickets', {
      subject: 'Help',
      description: 'Please',
      fields: { root_cause: 'Bug' },
    });
    expect(internal.statusCode).toBe(400);
    expect(issuesOf(internal.body)).toMatchObject([{ path: 'fields.root_cause' }]);
    const ticket = (
      await as(t, desk.carla).post('/tickets', { subject: 'Help', description: 'Please', fields: { order_no: 'B-7' } })
    ).json<Ticket>();
    expect(ticket.fields).toEqual({ order_no: 'B-7' });
    await patch(ticket.id, { fields: { refund: 5 } });
    const theirs = (await as(t, desk.carla).get(`/tickets/${ticket.id}`)).json<TicketListItem>();
    expect(theirs.fields).toEqual({ order_no: 'B-7' });
    const list = (await as(t, desk.carla).get('/tickets')).json<{ items: TicketListItem[] }>().items;
    expect(list.find((i) => i.id === ticket.id)?.fields).toEqual({ order_no: 'B-7' });
    expect((await patch(ticket.id, { fields: { order_no: 'C' } }, desk.carla)).statusCode).toBe(403);
    // Filtering by an internal field would tell its values: refused like an unknown one.
    expect((await as(t, desk.carla).get('/tickets?fields=refund:5')).statusCode).toBe(400);
    expect((await as(t, desk.carla).get('/tickets?fields=order_no:B-7')).statusCode).toBe(200);
  });

  it('a removed option is kept as orphaned, not valid for new writes; a type change with values is refused; archived fields hide', async () => {
    const ticket = await openTicket(t, desk.carla);
    await patch(ticket.id, { fields: { root_cause: 'Howto', refund: 3 } });
    const removed = await as(t, desk.admin).patch(`/custom-fields/${fields.root_cause!.id}`, {
      options: ['Billing', 'Bug'],
      name: 'Cause',
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect((await as(t, desk.sam).get(`/tickets/${ticket.id}`)).json<Ticket>().fields).toMatchObject({
      root_cause: 'Howto',
    });
    expect((await patch(ticket.id, { fields: { root_cause: 'Howto' } })).statusCode).toBe(200); // unchanged: kept
    const other = await openTicket(t, desk.carla);
    expect((await patch(other.id, { fields: { root_cause: 'Howto' } })).statusCode).toBe(400);

    const retype = await as(t, desk.admin).patch(`/custom-fields/${fields.refund!.id}`, { type: 'text' });
    expect(retype.statusCode).toBe(409);
    const emptyField = (
      await as(t, desk.admin).post('/custom-fields', { entity: 'ticket', key: 'unused', name: 'Unused', type: 'date' })
    ).json<CustomField>();
    const dueRetype = await as(t, desk.admin).patch(`/custom-fields/${emptyField.id}`, { type: 'text' });
    expect(dueRetype.statusCode, dueRetype.body).toBe(200);

    const archived = await as(t, desk.admin).patch(`/custom-fields/${fields.refund!.id}`, { archived: true });
    expect(archived.json<CustomField>().archived).toBe(true);
    expect((await as(t, desk.sam).get(`/tickets/${ticket.id}`)).json<Ticket>().fields).not.toHaveProperty('refund');
    expect(
      (await as(t, desk.sam).get('/custom-fields?entity=ticket')).json<CustomFieldList>().items.map((f) => f.key),
    ).not.toContain('refund');
    const restored = await as(t, desk.admin).patch(`/custom-fields/${fields.refund!.id}`, { archived: false });
    expect(restored.json<CustomField>().archived).toBe(false);
    expect((await as(t, desk.sam).get(`/tickets/${ticket.id}`)).json<Ticket>().fields).toMatchObject({ refund: 3 });
  });

  it('staff set customer fields; fieldValuesFor gives display strings', async () => {
    const set = await as(t, desk.sam).put(`/users/${desk.carla.user.id}/fields`, { fields: { plan: 'Pro' } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json<EntityFieldValues>()).toEqual({ fields: { plan: 'Pro' }, orphaned: [] });
    expect(
      (await as(t, desk.sam).put(`/users/${desk.carla.user.id}/fields`, { fields: { plan: 'Gold' } })).statusCode,
    ).toBe(400);
    expect((await as(t, desk.carla).get(`/users/${desk.carla.user.id}/fields`)).statusCode).toBe(403);
    expect((await as(t, desk.sam).get(`/users/${desk.kim.user.id}/fields`)).statusCode).toBe(404);

    const ticket = await openTicket(t, desk.carla);
    await patch(ticket.id, { fields: { vip: true, areas: ['App', 'Api'], order_no: 'Z-9' } });
    const shown = await fieldValuesFor(t.database.db, ws(), 'ticket', [ticket.id]);
    expect(shown.get(ticket.id)).toEqual({ vip: 'Yes', areas: 'App, Api', order_no: 'Z-9' });
    const forCustomer = await fieldValuesFor(t.database.db, ws(), 'ticket', [ticket.id], {
      customerVisibleOnly: true,
    });
    expect(forCustomer.get(ticket.id)).toEqual({ order_no: 'Z-9' });
    const customers = await fieldValuesFor(t.database.db, ws(), 'customer', [desk.carla.user.id]);
    expect(customers.get(desk.carla.user.id)).toEqual({ plan: 'Pro' });
  });

  it("other staff see a customer's fields change at once; the customer hears nothing of it", async () => {
    const base = await listen(t);
    const [otto, carla] = [await readySocket(base, desk.otto), await readySocket(base, desk.carla)];
    try {
      const set = await as(t, desk.sam).put(`/users/${desk.carla.user.id}/fields`, { fields: { plan: 'Free' } });
      expect(set.statusCode, set.body).toBe(200);
      const frame = await otto.next('customer.fields', (f) => f.userId === desk.carla.user.id);
      expect(frame).toEqual({ type: 'customer.fields', userId: desk.carla.user.id, ...set.json<EntityFieldValues>() });
      // The same values again change nothing: no frame.
      await as(t, desk.sam).put(`/users/${desk.carla.user.id}/fields`, { fields: { plan: 'Free' } });
      await settle(otto);
      await settle(carla);
      expect(otto.all('customer.fields')).toHaveLength(1);
      expect(carla.all('customer.fields')).toEqual([]);
    } finally {
      await otto.close();
      await carla.close();
    }
  });

  it('an automation rule acts on a field value: root cause Bug → Urgent', async () => {
    const rule = await as(t, desk.admin).post('/automation-rules', {
      name: 'Bugs are urgent',
      event: { type: 'ticket.updated' },
      conditions: [{ type: 'field', key: 'root_cause', operator: 'is', values: ['Bug'] }],
      actions: [{ type: 'set_priority', priority: 'urgent' }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    const bug = await openTicket(t, desk.carla);
    const billing = await openTicket(t, desk.carla);
    await patch(bug.id, { fields: { root_cause: 'Bug' } });
    await patch(billing.id, { fields: { root_cause: 'Billing' } });
    await t.app.jobs.runDueJobs();
    expect((await as(t, desk.sam).get(`/tickets/${bug.id}`)).json<Ticket>().priority).toBe('urgent');
    expect((await as(t, desk.sam).get(`/tickets/${billing.id}`)).json<Ticket>().priority).toBe('medium');
    await as(t, desk.admin).delete(`/automation-rules/${rule.json<{ id: string }>().id}`);
  });
});
