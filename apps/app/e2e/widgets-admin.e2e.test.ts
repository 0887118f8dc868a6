import type { ChatWidget, GuestSession, Ticket, WidgetChallenge, WidgetChat } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp, type TestApp } from '../../server/src/testing/test-app';
import { as, createTeam } from '../../server/src/testing/test-desk';
import { zeroBits } from '../../server/src/widget/guest-service';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** A visitor, as the widget does it: the proof of work, a guest session, the first message. */
async function visitorChat(t: TestApp, key: string, name: string, body: string): Promise<Ticket> {
  const { challenge, difficulty } = (
    await t.app.inject({ method: 'GET', url: '/widget/challenge' })
  ).json<WidgetChallenge>();
  let nonce = 0;
  while (zeroBits(challenge, String(nonce)) < difficulty) nonce++;
  const session = await t.app.inject({
    method: 'POST',
    url: '/widget/sessions',
    payload: { key, proof: { challenge, nonce: String(nonce) }, name },
  });
  expect(session.statusCode, session.body).toBe(200);
  const chat = await t.app.inject({
    method: 'POST',
    url: '/widget/conversation',
    headers: bearer(session.json<GuestSession>()),
    payload: { clientMsgId: 'v1', body },
  });
  expect(chat.statusCode, chat.body).toBe(201);
  return chat.json<WidgetChat>().ticket!;
}

/** An admin keeps the website chat widgets; a visitor's chat through one says so in the queue. */
describe('chat widgets in the app', () => {
  let e2e: E2E;
  beforeAll(async () => {
    // A proof of work of a few bits: the test's visitor solves it at once.
    e2e = await startE2E({ WIDGET_POW_BITS: '4' });
  });
  afterAll(() => e2e?.close());

  it(
    'an admin adds a widget for a site and a team, copies its tag, reveals and renews its secret, edits and removes it',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      const alex = await signUp(t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
      await createTeam(t, 'Support', [alex]);

      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await admin.goto('/admin');
      await visible(admin.getByRole('radio', { name: 'Chat widget', exact: true })).click();
      await expect.poll(count(admin.getByText('No chat widgets yet.'))).toBe(1);

      // "Shop" on https://shop.example, into Support; a site without its scheme is refused first.
      await admin.getByLabel('Name', { exact: true }).fill('Shop');
      const sites = admin.getByLabel('Allowed sites', { exact: true });
      await sites.fill('shop.example');
      await admin
        .getByRole('radiogroup', { name: 'Team' })
        .getByRole('radio', { name: 'Support', exact: true })
        .click();
      const add = visible(admin.getByRole('button', { name: 'Add chat widget', exact: true }));
      await add.click();
      await expect
        .poll(count(admin.getByRole('alert').filter({ hasText: '“shop.example” is not a site address' })))
        .toBe(1);
      await sites.fill('https://shop.example');
      await add.click();
      const card = admin.getByLabel('Shop', { exact: true });
      await expect.poll(() => card.textContent()).toContain('Sites: https://shop.example · Team: Support');
      expect(await admin.getByText('No chat widgets yet.').count()).toBe(0);

      // The tag loads the widget from the server the app came from.
      const origin = await admin.evaluate(() => window.location.origin);
      const snippet = await card.getByTestId('widget-snippet').textContent();
      expect(snippet).toContain(`<script src="${origin}/widget.js" data-parley-key="wk_`);
      expect(snippet).toMatch(/ async><\/script>$/);
      expect(await seriousViolations(admin)).toBe('');
      await screenshot(admin, 'admin-widgets');

      // The secret shows on request; a new one asks first, then replaces it.
      expect(await card.getByTestId('widget-secret').count()).toBe(0);
      const toggle = card.getByRole('button', { name: 'Show identity secret of Shop', exact: true });
      await toggle.click();
      const secret = card.getByTestId('widget-secret');
      await expect.poll(() => secret.textContent()).toMatch(/^[0-9a-f]{64}$/);
      const old = await secret.textContent();
      expect(await card.getByText(/^Sign your signed-in users' ids with it on your server/).count()).toBe(1);
      expect(
        await card.getByRole('button', { name: 'Hide identity secret of Shop' }).getAttribute('aria-expanded'),
      ).toBe('true');
      await card.getByRole('button', { name: 'New secret', exact: true }).click();
      await expect.poll(count(card.getByText('Pages that sign with the old secret stop being recognised.'))).toBe(1);
      await card.getByRole('button', { name: 'Make a new secret', exact: true }).click();
      await expect.poll(() => secret.textContent()).not.toBe(old);
      expect(await secret.textContent()).toMatch(/^[0-9a-f]{64}$/);
      await expect.poll(count(card.getByText('Pages that sign with the old secret stop being recognised.'))).toBe(0);

      // A greeting; the sites and team stay.
      await card.getByRole('button', { name: 'Edit Shop', exact: true }).click();
      await card.getByLabel('Greeting (optional)', { exact: true }).fill('Hi! Ask us anything.');
      await card.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => card.textContent()).toContain('Greeting: Hi! Ask us anything.');
      expect(await card.textContent()).toContain('Sites: https://shop.example · Team: Support');

      // Removing asks first.
      await card.getByRole('button', { name: 'Remove Shop', exact: true }).click();
      await card.getByRole('button', { name: 'Remove for good', exact: true }).click();
      await expect.poll(count(admin.getByText('No chat widgets yet.'))).toBe(1);
      await expect.poll(count(admin.getByLabel('Shop', { exact: true }))).toBe(0);
    },
  );

  it('a visitor’s chat through the widget says “Website” on the agent’s queue row', { timeout: 120_000 }, async () => {
    const { t } = e2e;
    const bea = await signUp(t, 'admin', { username: 'bea', displayName: 'Bea Boss', password: PASSWORD });
    const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
    const carl = await signUp(t, 'customer', { username: 'carl', displayName: 'Carl Customer', password: PASSWORD });
    const sales = await createTeam(t, 'Sales', [sam], { category: 'Orders' });
    const created = await as(t, bea).post('/widgets', {
      name: 'Store',
      allowedOrigins: ['https://store.example'],
      teamId: sales,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { key } = created.json<ChatWidget>();
    const opened = await as(t, carl).post('/tickets', {
      subject: 'Lost parcel',
      description: 'It never came.',
      teamId: sales,
    });
    expect(opened.statusCode, opened.body).toBe(201);

    await visitorChat(t, key, 'Vera', 'Do you ship to Norway?');

    const agent = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
    await signInInApp(agent, 'sam');
    const widgetRow = visible(agent.getByRole('link', { name: /^Do you ship to Norway\?, / }));
    const appRow = visible(agent.getByRole('link', { name: /^Lost parcel, / }));
    await expect.poll(() => widgetRow.getAttribute('aria-label')).toContain(', Website');
    const mark = widgetRow.getByTestId('ticket-channel');
    expect(await mark.textContent()).toContain('💬 Website');
    // The picture is for the eyes: screen readers hear "Website" in the row's name.
    expect(await mark.locator('[aria-hidden="true"]').textContent()).toContain('💬');
    expect(await appRow.getAttribute('aria-label')).not.toContain('Website');
    expect(await appRow.getByTestId('ticket-channel').count()).toBe(0);
    expect(await seriousViolations(agent)).toBe('');
  });

  it('an agent merges a website visitor into a customer from the side panel', { timeout: 120_000 }, async () => {
    const { t } = e2e;
    const wes = await signUp(t, 'admin', { username: 'wes', displayName: 'Wes Boss', password: PASSWORD });
    const max = await signUp(t, 'agent', { username: 'max', displayName: 'Max Agent', password: PASSWORD });
    await signUp(t, 'customer', { username: 'carla', displayName: 'Carla', password: PASSWORD });
    const help = await createTeam(t, 'Help', [max], { category: 'Questions' });
    const created = await as(t, wes).post('/widgets', {
      name: 'Blog',
      allowedOrigins: ['https://blog.example'],
      teamId: help,
    });
    expect(created.statusCode, created.body).toBe(201);
    const ticket = await visitorChat(t, created.json<ChatWidget>().key, 'Vic', 'Is the shop open on Sundays?');

    const agent = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
    await signInInApp(agent, 'max');
    await agent.goto(`/tickets/${ticket.id}`);
    const customer = visible(agent.getByRole('region', { name: 'Customer', exact: true }));
    await expect.poll(() => customer.textContent()).toContain('Website visitor');

    // Max finds Carla, is told what merging does, and merges.
    await customer.getByRole('button', { name: 'Merge into a customer…', exact: true }).click();
    await customer.getByLabel('Find a customer by name', { exact: true }).fill('carla');
    await visible(customer.getByRole('button', { name: 'Merge the visitor into Carla', exact: true })).click();
    await expect
      .poll(() => customer.textContent())
      .toContain("Their chats become Carla's; the visitor's widget starts a new chat next time.");
    expect(await seriousViolations(agent)).toBe('');
    await customer.getByRole('button', { name: 'Merge into Carla', exact: true }).click();

    // The ticket is Carla's now: the panel shows her, and what the merge did.
    await expect.poll(count(customer.getByRole('alert').filter({ hasText: '1 chat moved to Carla' }))).toBe(1);
    await expect.poll(() => customer.textContent()).not.toContain('Website visitor');
    expect(await customer.textContent()).toContain('Carla');
    await expect.poll(() => agent.getByTestId('ticket-status').textContent()).toContain('Requester: Carla');
  });
});
