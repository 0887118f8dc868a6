import fs from 'node:fs';
import type { CsatSurveyList } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/**
 * A customer's ticket is closed; she answers "How did we do?" with 4 stars and a comment and is
 * thanked; the agent sees her rating on the ticket; the admin opens Reports (next to Admin) and
 * sees the charts with data, the CSAT average 4.0 in its table, and Agents without
 * `reports.view` have no Reports at all.
 */
describe('CSAT and the Reports screen', () => {
  let e2e: E2E;

  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('asks the customer on closing, and reports her rating to the admin', { timeout: 90_000 }, async () => {
    const { t } = e2e;
    const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
    const alex = await signUp(t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
    const cora = await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });
    const support = await createTeam(t, 'Support', [alex], { category: 'Accounts' });
    const ticket = await openTicket(t, cora, { subject: 'Cannot sign in', teamId: support });
    const login = (await as(t, ada).post('/labels', { name: 'Login', colour: '#2255aa' })).json<{ id: string }>();
    await as(t, alex).put(`/tickets/${ticket.id}/labels`, { labelIds: [login.id] });
    await as(t, alex).post(`/conversations/${ticket.conversationId}/messages`, { clientMsgId: 'a1', body: 'Fixed it' });
    expect((await as(t, alex).patch(`/tickets/${ticket.id}`, { assigneeId: alex.user.id })).statusCode).toBe(200);
    expect((await as(t, alex).patch(`/tickets/${ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    await expect
      .poll(async () => (await as(t, cora).get(`/tickets/${ticket.id}/csat`)).json<CsatSurveyList>().items.length)
      .toBe(1);

    // Alex has the closed ticket open: no rating yet.
    const agent = (await e2e.person()).page;
    await signInInApp(agent, 'alex');
    await agent.goto(`/tickets/${ticket.id}`);
    const rating = visible(agent.getByTestId('csat-staff'));
    await expect.poll(() => rating.first().textContent()).toMatch(/not answered yet/);

    // Cora's ticket asks her; she gives 4 stars and a comment, and is thanked.
    const customer = (await e2e.person()).page;
    await signInInApp(customer, 'cora');
    await customer.goto(`/tickets/${ticket.id}`);
    const question = visible(customer.getByRole('group', { name: 'How did we do?' }));
    await expect.poll(count(question)).toBe(1);
    await question.getByRole('radio', { name: '4 of 5 stars', exact: true }).click();
    await question.getByLabel('Comment (optional)', { exact: true }).fill('Quick and friendly');
    await question.getByRole('button', { name: 'Send rating', exact: true }).click();
    await expect.poll(count(customer.getByText('Thank you for your rating!'))).toBe(1);
    await expect.poll(count(customer.getByRole('group', { name: 'How did we do?' }))).toBe(0);
    // Reloaded, the question stays answered.
    await customer.reload();
    await expect.poll(count(customer.getByText('Thank you for your rating!'))).toBe(1);
    // Customers have no Reports.
    expect(await customer.getByRole('link', { name: 'Reports', exact: true }).count()).toBe(0);

    // Alex sees the rating on the ticket without a reload, but has no Reports (no reports.view).
    await expect.poll(() => rating.first().textContent()).toMatch(/4 of 5 ·.*Quick and friendly/);
    expect(await agent.getByRole('link', { name: 'Reports', exact: true }).count()).toBe(0);

    // Ada opens Reports from the navigation: charts with data, CSAT 4.0.
    const admin = (await e2e.person({ viewport: { width: 1440, height: 1000 } })).page;
    await signInInApp(admin, 'ada');
    await visible(admin.getByRole('link', { name: 'Reports', exact: true })).click();
    const csatChart = visible(admin.getByRole('img', { name: 'Chart: Customer satisfaction (CSAT)' }));
    await expect.poll(count(csatChart)).toBe(1);
    await expect.poll(() => csatChart.locator('rect').count()).toBeGreaterThan(0);
    const csatTable = visible(admin.getByRole('table', { name: 'Table: Customer satisfaction (CSAT)' }));
    const total = csatTable.getByRole('row').last();
    await expect.poll(() => total.textContent()).toMatch(/^Total1\s*4\.0100 %$/);
    const volume = visible(admin.getByRole('table', { name: 'Table: Tickets opened and closed' }));
    await expect.poll(() => volume.getByRole('row').last().textContent()).toBe('Total11');
    // By agent: Alex's row.
    await admin
      .getByRole('radiogroup', { name: 'Group by' })
      .getByRole('radio', { name: 'Agent', exact: true })
      .click();
    await expect.poll(() => csatTable.getByRole('row').nth(1).textContent()).toMatch(/^Alex Agent1\s*4\.0/);
    // By label: the ticket's label.
    await admin
      .getByRole('radiogroup', { name: 'Group by' })
      .getByRole('radio', { name: 'Label', exact: true })
      .click();
    await expect.poll(() => csatTable.getByRole('row').nth(1).textContent()).toMatch(/^Login1\s*4\.0/);
    await admin.getByRole('radiogroup', { name: 'Group by' }).getByRole('radio', { name: 'Day', exact: true }).click();
    await expect.poll(() => total.textContent()).toMatch(/^Total1\s*4\.0/);
    // The CSV download carries a header row.
    const download = admin.waitForEvent('download');
    await admin.getByRole('button', { name: 'Download CSV: Customer satisfaction (CSAT)', exact: true }).click();
    const file = await (await download).path();
    expect(fs.readFileSync(file!, 'utf8').split('\r\n')[0]).toBe('key,label,count,average,satisfiedShare');

    await admin
      .getByRole('radiogroup', { name: 'Range' })
      .first()
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(admin, 'wide-reports-light', { forDocs: true });
  });
});
