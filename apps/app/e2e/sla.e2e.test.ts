import type { Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type manualClock, signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startSteppedE2E, visible } from './support';

const MINUTE = 60_000;

/**
 * An admin sets an SLA in the app; a new ticket shows its countdown in the queue and on the
 * ticket; as the server's clock moves, the badge turns at risk, then breached, live, and the
 * escalation step raises the ticket's priority.
 */
describe('SLA badges and the admin SLA panel', () => {
  let e2e: E2E;
  let clock: ReturnType<typeof manualClock>;
  let settle: () => Promise<void>;

  beforeAll(async () => {
    ({ e2e, clock, settle } = await startSteppedE2E());
  });
  afterAll(() => e2e?.close());

  it('counts down, turns at risk and breached live, and escalates', { timeout: 60_000 }, async () => {
    const { t } = e2e;
    const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
    const alex = await signUp(t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
    const cora = await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer' });
    const support = await createTeam(t, 'Support', [alex], { category: 'Accounts' });
    const late = (await as(t, ada).post('/labels', { name: 'Late', colour: '#aa3300' })).json<{ id: string }>();

    // Ada gives Medium and High tickets 10 minutes to a first answer, with one step on breach
    // (raised to High, the ticket is still past its target).
    const { page } = await e2e.person();
    await signInInApp(page, 'ada');
    await page.goto('/admin');
    await visible(page.getByRole('radio', { name: 'SLA', exact: true })).click();
    const panel = visible(page.getByTestId('sla-panel'));
    await panel.getByLabel('First response, Medium', { exact: true }).fill('10');
    await panel.getByLabel('Resolution, Medium', { exact: true }).fill('60');
    await panel.getByLabel('First response, High', { exact: true }).fill('10');
    // The new step's defaults: when breached, first response, raise the priority one step.
    await panel.getByRole('button', { name: 'Add step', exact: true }).click();
    await expect.poll(count(panel.getByTestId('sla-step-1'))).toBe(1);
    // A second one labels it Late.
    await panel.getByRole('radiogroup', { name: 'Add step' }).getByRole('radio', { name: 'Add a label' }).click();
    await visible(panel.getByRole('radiogroup', { name: 'Add a label' }).getByRole('radio', { name: 'Late' })).click();
    await panel.getByRole('button', { name: 'Add step', exact: true }).click();
    await expect.poll(() => visible(panel.getByTestId('sla-step-2')).textContent()).toContain('add the label Late');
    await panel.getByRole('button', { name: 'Save SLA policy', exact: true }).click();
    await expect.poll(count(panel.getByText('Saved.'))).toBe(1);
    await screenshot(page, 'sla-panel');
    const { policy } = (await as(t, ada).get('/sla-policy')).json();
    expect(policy.targets.medium).toEqual({ firstResponseMinutes: 10, resolutionMinutes: 60 });
    expect(policy.escalation).toEqual([
      { target: 'first_response', when: 'breached', action: { type: 'raise_priority', to: null } },
      { target: 'first_response', when: 'breached', action: { type: 'add_label', labelId: late.id } },
    ]);

    // Cora's new ticket gets its clocks; Alex's queue counts down.
    const ticket: Ticket = await openTicket(t, cora, { subject: 'Cannot sign in', teamId: support });
    await settle();
    const agent = (await e2e.person()).page;
    await signInInApp(agent, 'alex');
    const badge = visible(agent.getByTestId('sla-firstResponse'));
    await expect.poll(() => badge.first().textContent()).toMatch(/^First response · on time · \d+m \d+s left/);
    const before = await badge.first().textContent();
    await expect.poll(() => badge.first().textContent(), { timeout: 5_000 }).not.toBe(before);

    // 8 minutes on (past 75 %): at risk, live.
    clock.advance(8 * MINUTE);
    await settle();
    await expect.poll(() => badge.first().textContent()).toMatch(/First response · at risk/);

    // Past 10 minutes: breached, and the step raised the priority to High.
    clock.advance(3 * MINUTE);
    await settle();
    await expect.poll(() => badge.first().textContent()).toMatch(/First response · breached/);
    await expect.poll(async () => (await as(t, ada).get(`/tickets/${ticket.id}`)).json<Ticket>().priority).toBe('high');
    const labelsOf = async () =>
      (await as(t, ada).get(`/tickets/${ticket.id}`)).json<{ labels?: Array<{ name: string }> }>().labels;
    await expect.poll(async () => (await labelsOf())?.map((l) => l.name)).toEqual(['Late']);
    const row = visible(agent.getByRole('link', { name: /^Cannot sign in, Open, High, / }));
    await expect.poll(count(row)).toBe(1);
    expect(await row.getAttribute('aria-label')).toMatch(/First response · breached/);

    // The ticket shows both targets.
    await row.click();
    const sla = visible(agent.getByTestId('ticket-sla'));
    await expect.poll(() => sla.textContent()).toMatch(/First response · breached.*Resolution · on time/);
    await screenshot(agent, 'sla-ticket');
  });
});
