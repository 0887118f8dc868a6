import { verifyWebhookSignature } from '@parley/client/webhooks';
import type { Webhook, WebhookDeliveryPage } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { startWebhookReceiver, type WebhookReceiver } from '../../server/src/testing/webhook-receiver';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/**
 * An admin points Parley at their own service from the app: a real HTTP receiver on loopback
 * (allowed by WEBHOOK_ALLOW_NETWORKS, as a self-hoster would), real deliveries by the job runner.
 */
describe('webhooks in the app', () => {
  let e2e: E2E;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    // Loopback only: 10.0.0.1 (a private network) is still refused. Deliveries go out quickly.
    e2e = await startE2E({ WEBHOOK_ALLOW_NETWORKS: '127.0.0.1', JOB_POLL_INTERVAL_MS: '200' });
  });
  afterAll(async () => {
    await e2e?.close();
    await receiver?.close();
  });

  it(
    'an admin adds a webhook, is told a private address is refused, reads its secret, tries it, sees its deliveries and turns it off',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      const carl = await signUp(t, 'customer', { username: 'carl', displayName: 'Carl Customer', password: PASSWORD });

      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await admin.goto('/admin');
      await visible(admin.getByRole('radio', { name: 'Webhooks', exact: true })).click();
      await expect.poll(count(admin.getByText('No webhooks yet.'))).toBe(1);

      // Adding waits for a URL and at least one event.
      const add = visible(admin.getByRole('button', { name: 'Add webhook', exact: true }));
      const url = admin.getByLabel('URL', { exact: true });
      await url.fill('http://10.0.0.1/x');
      expect(await add.getAttribute('aria-disabled')).toBe('true');
      const events = admin.getByRole('group', { name: 'Events', exact: true });
      const ticketCreated = events.getByRole('checkbox', { name: 'Ticket created', exact: true });
      await ticketCreated.click();
      await expect.poll(() => ticketCreated.getAttribute('aria-checked')).toBe('true');
      expect(await add.getAttribute('aria-disabled')).toBeNull();

      // A private address is refused, in words, under the field.
      await add.click();
      await expect
        .poll(count(admin.getByRole('alert').filter({ hasText: /^Parley may not send to this address: / })))
        .toBe(1);
      expect(await url.getAttribute('aria-invalid')).toBe('true');
      expect(await admin.getByText('No webhooks yet.').count()).toBe(1);

      // The receiver's address is taken.
      await url.fill(receiver.url);
      await admin.getByLabel('Description (optional)', { exact: true }).fill('Our CRM');
      await add.click();
      const card = admin.getByLabel(receiver.url, { exact: true });
      await expect.poll(count(card)).toBe(1);
      expect(await card.textContent()).toContain('Our CRM');
      expect(await card.textContent()).toContain('Events: Ticket created');
      expect(await card.getByTestId('webhook-state').textContent()).toBe('On');
      expect(await admin.getByText('No webhooks yet.').count()).toBe(0);
      // The form is empty again, for the next one.
      expect(await url.inputValue()).toBe('');
      const [hook] = (await as(t, ada).get('/webhooks')).json<{ items: Webhook[] }>().items;
      expect(hook).toMatchObject({ url: receiver.url, description: 'Our CRM', events: ['ticket.created'] });

      // The secret shows on request.
      expect(await card.getByTestId('webhook-secret').count()).toBe(0);
      await card.getByRole('button', { name: `Show secret of ${receiver.url}`, exact: true }).click();
      const secretText = card.getByTestId('webhook-secret');
      await expect.poll(() => secretText.textContent()).toMatch(/^whsec_/);
      const secret = (await secretText.textContent())!;
      expect(secret).toBe(hook!.secret);

      // A test event reaches the receiver, signed with that secret.
      await card.getByRole('button', { name: `Send test event to ${receiver.url}`, exact: true }).click();
      await expect.poll(() => receiver.types(), { timeout: 15_000 }).toContain('ping');
      await expect.poll(count(card.getByText('Test event sent: see Deliveries.'))).toBe(1);
      const ping = receiver.received.find((r) => r.json.type === 'ping')!;
      expect(ping.json.data).toEqual({ webhookId: hook!.id });
      expect(
        await verifyWebhookSignature({ secret, header: ping.headers['parley-signature'] as string, body: ping.body }),
      ).toBe(true);

      // The deliveries list opens with the test event in it.
      await card.getByRole('button', { name: `Deliveries to ${receiver.url}`, exact: true }).click();
      const rows = card.getByTestId('webhook-delivery');
      await expect.poll(count(rows)).toBe(1);
      expect(await rows.first().textContent()).toContain('Test event · ');

      // A customer opens a ticket: the receiver is told.
      const ticket = await openTicket(t, carl, { subject: 'Printer jams', description: 'Paper everywhere.' });
      await expect.poll(() => receiver.types(), { timeout: 15_000 }).toContain('ticket.created');
      const created = receiver.received.find((r) => r.json.type === 'ticket.created')!;
      expect(created.json.data).toMatchObject({ ticket: { id: ticket.id, subject: 'Printer jams' } });
      // Once the server has recorded both as delivered, Refresh shows them so, newest first.
      const deliveries = async () =>
        (await as(t, ada).get(`/webhooks/${hook!.id}/deliveries`)).json<WebhookDeliveryPage>().items;
      await expect
        .poll(async () => (await deliveries()).map((d) => d.status), { timeout: 15_000 })
        .toEqual(['delivered', 'delivered']);
      await card.getByRole('button', { name: `Refresh deliveries to ${receiver.url}`, exact: true }).click();
      await expect.poll(count(rows)).toBe(2);
      await expect.poll(() => rows.first().textContent()).toMatch(/^Ticket created · Delivered1 attempt · HTTP 200 · /);
      expect(await rows.nth(1).textContent()).toMatch(/^Test event · Delivered1 attempt · HTTP 200 · /);
      expect(await seriousViolations(admin)).toBe('');
      await screenshot(admin, 'admin-webhooks');

      // Redelivering sends the same event again (the same event id), and the list shows it.
      await rows
        .first()
        .getByRole('button', { name: /^Redeliver Ticket created of / })
        .click();
      await expect.poll(() => receiver.types().filter((type) => type === 'ticket.created').length).toBe(2);
      const again = receiver.received.filter((r) => r.json.type === 'ticket.created')[1]!;
      expect(again.headers['parley-event-id']).toBe(created.headers['parley-event-id']);
      await expect.poll(count(rows)).toBe(3);
      await expect.poll(() => rows.first().textContent()).toContain('sent again');

      // Turned off, the card says so, and a test event asks to turn it on first.
      await card.getByRole('button', { name: `Turn off ${receiver.url}`, exact: true }).click();
      await expect.poll(() => card.getByTestId('webhook-state').textContent()).toBe('Off');
      expect(await card.getByRole('button', { name: `Turn on ${receiver.url}`, exact: true }).count()).toBe(1);
      expect((await as(t, ada).get('/webhooks')).json<{ items: Webhook[] }>().items[0]).toMatchObject({
        disabledReason: 'admin',
      });
      await card.getByRole('button', { name: `Send test event to ${receiver.url}`, exact: true }).click();
      await expect
        .poll(count(card.getByRole('alert').filter({ hasText: 'The webhook is off: turn it on first.' })))
        .toBe(1);
      expect(receiver.types().filter((type) => type === 'ping').length).toBe(1);
    },
  );

  it("an admin changes a webhook's events, gives it a new secret and removes it", { timeout: 120_000 }, async () => {
    const { t } = e2e;
    const bea = await signUp(t, 'admin', { username: 'bea', displayName: 'Bea Boss', password: PASSWORD });
    const url = `${receiver.url}/crm`;
    const created = await as(t, bea).post('/webhooks', { url, events: ['ticket.created'] });
    expect(created.statusCode, created.body).toBe(201);
    const { secret: old } = created.json<Webhook>();

    const admin = (await e2e.person()).page;
    await signInInApp(admin, 'bea');
    await admin.goto('/admin');
    await visible(admin.getByRole('radio', { name: 'Webhooks', exact: true })).click();
    const card = admin.getByLabel(url, { exact: true });
    await expect.poll(count(card)).toBe(1);

    // Ticket closed too, and a description.
    await card.getByRole('button', { name: `Edit ${url}`, exact: true }).click();
    await card.getByRole('checkbox', { name: 'Ticket closed', exact: true }).click();
    await card.getByLabel('Description (optional)', { exact: true }).fill('Closed tickets to the CRM');
    await card.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => card.textContent()).toContain('Events: Ticket created, Ticket closed');
    expect(await card.textContent()).toContain('Closed tickets to the CRM');

    // A new secret asks first, saying the old one still signs for a day.
    await card.getByRole('button', { name: `New secret for ${url}`, exact: true }).click();
    await expect.poll(count(card.getByText(/The old secret keeps signing them too for 24 hours/))).toBe(1);
    await card.getByRole('button', { name: 'Make a new secret', exact: true }).click();
    await expect.poll(count(card.getByText(/The old secret keeps signing/))).toBe(0);
    await card.getByRole('button', { name: `Show secret of ${url}`, exact: true }).click();
    const secret = card.getByTestId('webhook-secret');
    await expect.poll(() => secret.textContent()).toMatch(/^whsec_/);
    expect(await secret.textContent()).not.toBe(old);

    // Removing asks first.
    await card.getByRole('button', { name: `Remove ${url}`, exact: true }).click();
    await card.getByRole('button', { name: 'Remove for good', exact: true }).click();
    await expect.poll(count(card)).toBe(0);
    expect((await as(t, bea).get('/webhooks')).json<{ items: Webhook[] }>().items.map((w) => w.url)).not.toContain(url);
  });
});
