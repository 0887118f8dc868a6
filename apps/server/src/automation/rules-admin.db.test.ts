import type { AuditPage, AutomationRule, AutomationRuleList } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, setUpDesk, type Desk } from '../testing/test-desk';

const refundRule = (desk: Desk) => ({
  name: 'Refunds go to Billing',
  event: { type: 'ticket.created' },
  conditions: [{ type: 'text', in: 'subject', contains: 'refund' }],
  actions: [
    { type: 'set_team', teamId: desk.billing },
    { type: 'set_priority', priority: 'high' },
    { type: 'add_note', body: 'Refund request: check the invoice first.' },
  ],
});

/** Admins keep the rules: list, create, change, turn off, reorder, delete; nobody else may. */
describe(`automation rules, kept by admins, on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  const list = async () => (await as(t, desk.admin).get('/automation-rules')).json<AutomationRuleList>().items;

  it('an admin adds rules at the end, changes, turns off, reorders and deletes them, each in the audit log', async () => {
    const first = await as(t, desk.admin).post('/automation-rules', refundRule(desk));
    expect(first.statusCode, first.body).toBe(201);
    const refund = first.json<AutomationRule>();
    expect(refund).toMatchObject({ name: 'Refunds go to Billing', enabled: true, position: 0 });
    const second = (
      await as(t, desk.admin).post('/automation-rules', {
        name: 'Waiting on the customer',
        event: { type: 'message.agent' },
        actions: [{ type: 'set_status', status: 'pending' }],
      })
    ).json<AutomationRule>();
    expect(second).toMatchObject({ position: 1, conditions: [] });
    expect((await list()).map((r) => r.id)).toEqual([refund.id, second.id]);

    const off = await as(t, desk.admin).patch(`/automation-rules/${refund.id}`, { enabled: false, name: 'Refunds' });
    expect(off.json<AutomationRule>()).toMatchObject({ enabled: false, name: 'Refunds', actions: refund.actions });

    const reordered = await as(t, desk.admin).put('/automation-rules/order', { ids: [second.id, refund.id] });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json<AutomationRuleList>().items.map((r) => [r.id, r.position])).toEqual([
      [second.id, 0],
      [refund.id, 1],
    ]);
    const partial = await as(t, desk.admin).put('/automation-rules/order', { ids: [second.id] });
    expect(partial.statusCode).toBe(400);
    expect(partial.json()).toMatchObject({ error: { code: 'validation_failed' } });

    expect((await as(t, desk.admin).delete(`/automation-rules/${second.id}`)).statusCode).toBe(204);
    expect((await list()).map((r) => r.id)).toEqual([refund.id]);
    expect((await as(t, desk.admin).delete(`/automation-rules/${second.id}`)).statusCode).toBe(404);
    expect((await as(t, desk.admin).patch(`/automation-rules/${second.id}`, { enabled: true })).statusCode).toBe(404);

    const audit = (await as(t, desk.admin).get('/audit?entityType=automation_rule')).json<AuditPage>();
    expect(audit.items.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'automation_rule.created',
        'automation_rule.updated',
        'automation_rule.reordered',
        'automation_rule.deleted',
      ]),
    );
    expect(audit.items.find((e) => e.action === 'automation_rule.deleted')).toMatchObject({
      entityId: second.id,
      actorId: desk.admin.user.id,
    });
    await as(t, desk.admin).delete(`/automation-rules/${refund.id}`);
  });

  it('is for settings.manage only: agents and customers get 403 and change nothing', async () => {
    const rule = (await as(t, desk.admin).post('/automation-rules', refundRule(desk))).json<AutomationRule>();
    for (const who of [desk.sam, desk.carla]) {
      const calls = [
        as(t, who).get('/automation-rules'),
        as(t, who).post('/automation-rules', refundRule(desk)),
        as(t, who).patch(`/automation-rules/${rule.id}`, { enabled: false }),
        as(t, who).put('/automation-rules/order', { ids: [rule.id] }),
        as(t, who).delete(`/automation-rules/${rule.id}`),
      ];
      for (const answer of await Promise.all(calls)) {
        expect(answer.statusCode, answer.body).toBe(403);
        expect(answer.json()).toMatchObject({ error: { code: 'forbidden' } });
      }
    }
    expect(await list()).toEqual([rule]);
    await as(t, desk.admin).delete(`/automation-rules/${rule.id}`);
  });

  it('refuses a rule naming a team or person the workspace does not have, with the field', async () => {
    const nobody = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
    const cases: Array<[object, string]> = [
      [{ actions: [{ type: 'set_team', teamId: nobody }] }, 'actions.0.teamId'],
      [
        {
          actions: [
            { type: 'add_note', body: 'x' },
            { type: 'assign', userId: nobody },
          ],
        },
        'actions.1.userId',
      ],
      // Tickets go to staff only; customers are not notified of internal rules.
      [{ actions: [{ type: 'assign', userId: desk.carla.user.id }] }, 'actions.0.userId'],
      [{ actions: [{ type: 'notify', userIds: [desk.kim.user.id, desk.dan.user.id] }] }, 'actions.0.userIds.1'],
      [{ conditions: [{ type: 'team', operator: 'is', values: [null, nobody] }] }, 'conditions.0.values.1'],
      [{ conditions: [{ type: 'assignee', operator: 'is', values: [nobody] }] }, 'conditions.0.values.0'],
      [{ conditions: [{ type: 'requester', operator: 'is_not', values: [nobody] }] }, 'conditions.0.values.0'],
      [{ actions: [{ type: 'set_status', status: 'snoozed' }] }, 'actions.0.snoozeMinutes'],
      [{ actions: [{ type: 'set_status', status: 'pending', snoozeMinutes: 5 }] }, 'actions.0.snoozeMinutes'],
    ];
    for (const [change, path] of cases) {
      const answer = await as(t, desk.admin).post('/automation-rules', { ...refundRule(desk), ...change });
      expect(answer.statusCode, JSON.stringify(change)).toBe(400);
      expect(answer.json(), JSON.stringify(change)).toMatchObject({
        error: { code: 'validation_failed', details: { fields: [{ path }] } },
      });
    }
    // What the schemas refuse: an unknown priority, event, action; an empty action list.
    for (const body of [
      { ...refundRule(desk), actions: [{ type: 'set_priority', priority: 'extreme' }] },
      { ...refundRule(desk), event: { type: 'ticket.deleted' } },
      { ...refundRule(desk), event: { type: 'time.elapsed', since: 'created', minutes: 0 } },
      { ...refundRule(desk), actions: [{ type: 'call_webhook', url: 'https://example.com' }] },
      { ...refundRule(desk), actions: [] },
      { ...refundRule(desk), conditions: [{ type: 'status', operator: 'is', values: ['lost'] }] },
    ]) {
      const answer = await as(t, desk.admin).post('/automation-rules', body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
    }
    // The same checks on a change.
    const rule = (await as(t, desk.admin).post('/automation-rules', refundRule(desk))).json<AutomationRule>();
    const answer = await as(t, desk.admin).patch(`/automation-rules/${rule.id}`, {
      actions: [{ type: 'assign', userId: nobody }],
    });
    expect(answer.json()).toMatchObject({ error: { details: { fields: [{ path: 'actions.0.userId' }] } } });
    expect(await list()).toEqual([rule]);
    await as(t, desk.admin).delete(`/automation-rules/${rule.id}`);
  });
});
