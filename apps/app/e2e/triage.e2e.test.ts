import type { Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type manualClock, signUp } from '../../server/src/testing/test-app';
import { as, createTeam } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startSteppedE2E, thread, visible } from './support';

const MINUTE = 60_000;

/**
 * Issue 15 from end to end: a customer writes in the app; the ticket lands in the desk's default
 * queue, is assigned by itself to the agent who is online, counts down its first-response
 * target in his queue, turns at risk and then breached, and the escalation hands it to the team
 * lead at Urgent; the customer's thread tells her each step, live.
 */
describe('triage, from a customer writing to an escalation', () => {
  let e2e: E2E;
  let clock: ReturnType<typeof manualClock>;
  let settle: () => Promise<void>;

  beforeAll(async () => {
    ({ e2e, clock, settle } = await startSteppedE2E());
  });
  afterAll(() => e2e?.close());

  it('customer writes → auto-assigned → SLA at risk → escalated', { timeout: 60_000 }, async () => {
    const { t } = e2e;
    const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
    const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
    const kim = await signUp(t, 'agent', { username: 'kim', displayName: 'Kim Lead', password: PASSWORD });
    await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });
    const support = await createTeam(t, 'Support', [sam, kim]);

    // Ada's desk: tickets without a team go to Support, which hands them out round-robin; a
    // first answer is due within 10 minutes, and a missed one goes to Kim at Urgent.
    const admin = as(t, ada);
    expect((await admin.patch('/settings', { defaultTeamId: support })).statusCode).toBe(200);
    expect(
      (await admin.patch(`/teams/${support}`, { assignment: { mode: 'round_robin', capacity: 5 } })).statusCode,
    ).toBe(200);
    const target = { firstResponseMinutes: 10, resolutionMinutes: 120 };
    const policy = await admin.put('/sla-policy', {
      targets: { low: target, medium: target, high: target, urgent: target },
      atRiskPercent: 75,
      businessHours: null,
      escalation: [
        {
          target: 'first_response',
          when: 'breached',
          action: { type: 'reassign', teamId: null, assigneeId: kim.user.id },
        },
        { target: 'first_response', when: 'breached', action: { type: 'raise_priority', to: 'urgent' } },
      ],
    });
    expect(policy.statusCode, policy.body).toBe(200);

    // Sam is online (his app is open, on his teams' queue); Kim is not.
    const agent = (await e2e.person()).page;
    await signInInApp(agent, 'sam');
    await visible(agent.getByRole('radiogroup', { name: 'Queue' }).getByRole('radio', { name: /^My teams/ })).click();

    // Cora writes.
    const customer = (await e2e.person()).page;
    await signInInApp(customer, 'cora');
    await visible(customer.getByRole('button', { name: '+ New ticket' })).click();
    await customer.getByLabel('Subject', { exact: true }).fill('Invoice download fails');
    await customer.getByLabel('What happened?', { exact: true }).fill('The PDF link gives an error.');
    await visible(customer.getByRole('button', { name: 'Open ticket' })).click();
    await expect.poll(() => customer.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
    const ticketId = customer.url().split('/').pop()!;
    await settle();

    // Auto-assigned to Sam, live in his queue, with the first-response countdown.
    const row = visible(agent.getByRole('link', { name: /^Invoice download fails, / }));
    await expect.poll(count(row)).toBe(1);
    await expect.poll(() => row.getAttribute('aria-label')).toMatch(/assigned to Sam Agent$/);
    const badge = visible(agent.getByTestId('sla-firstResponse')).first();
    await expect.poll(() => badge.textContent()).toMatch(/^First response · on time · \d+m \d+s left/);
    await expect
      .poll(() => visible(thread(customer)).textContent())
      .toContain('Parley assigned the ticket to Sam Agent');

    // Eight minutes without an answer: at risk, live.
    clock.advance(8 * MINUTE);
    await settle();
    await expect.poll(() => badge.textContent()).toMatch(/First response · at risk/);
    await screenshot(agent, 'triage-at-risk');

    // Past ten: breached; escalated to Kim at Urgent. Sam's queue (My teams) shows it moved on.
    clock.advance(3 * MINUTE);
    await settle();
    await expect
      .poll(async () => (await admin.get(`/tickets/${ticketId}`)).json<Ticket>())
      .toMatchObject({ assigneeId: kim.user.id, priority: 'urgent', sla: { firstResponse: { state: 'breached' } } });
    await expect.poll(() => row.getAttribute('aria-label')).toMatch(/Urgent.*assigned to Kim Lead$/);
    const lines = () => visible(thread(customer)).textContent();
    await expect.poll(lines).toContain('Parley assigned the ticket to Kim Lead');
    await expect.poll(lines).toContain('Parley changed the priority from Medium to Urgent');
    expect(await count(customer.getByText(/breached/))()).toBe(0); // SLA states are for staff
    await screenshot(agent, 'triage-escalated');
  });
});
