import type { EmailChannel } from '@parley/protocol';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** An admin keeps the support addresses; mail to one opens a ticket that says it came by email. */
describe('email channels', () => {
  let e2e: E2E;
  beforeAll(async () => {
    // The server's own inbound SMTP listener, on a port of its choosing.
    e2e = await startE2E({ INBOUND_SMTP_PORT: '0' });
  });
  afterAll(() => e2e?.close());

  it(
    'an admin adds a support address for a team, is told when it is taken, edits and removes it',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      const alex = await signUp(t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
      await createTeam(t, 'Support', [alex]);

      const admin = (await e2e.person()).page;
      await signInInApp(admin, 'ada');
      await admin.goto('/admin');
      await visible(admin.getByRole('radio', { name: 'Email', exact: true })).click();
      await expect.poll(count(admin.getByText('No support addresses yet.'))).toBe(1);
      await expect.poll(count(admin.getByText(/^Mail to these addresses \(and to address\+anything\)/))).toBe(1);

      // help@acme.test, sent as "Acme Help", into Support.
      const add = async (address: string) => {
        await admin.getByLabel('Address', { exact: true }).fill(address);
        await visible(admin.getByRole('button', { name: 'Add address', exact: true })).click();
      };
      await admin.getByLabel('Sender name (optional)', { exact: true }).fill('Acme Help');
      await admin
        .getByRole('radiogroup', { name: 'Team' })
        .getByRole('radio', { name: 'Support', exact: true })
        .click();
      await add('help@acme.test');
      const card = admin.getByLabel('help@acme.test', { exact: true });
      await expect.poll(() => card.textContent()).toContain('Sender: Acme Help · Team: Support');
      expect(await seriousViolations(admin)).toBe('');
      await screenshot(admin, 'admin-email');

      // The same address again (in other letters) is taken.
      await add('Help@Acme.test');
      await expect
        .poll(
          count(admin.getByRole('alert').filter({ hasText: 'This address already receives mail for a workspace.' })),
        )
        .toBe(1);
      expect(await visible(admin.getByRole('button', { name: /^Remove / })).count()).toBe(1);

      // Back to the workspace's name and the default queue.
      await card.getByRole('button', { name: 'Edit help@acme.test', exact: true }).click();
      await card.getByLabel('Sender name (optional)', { exact: true }).fill('');
      await card.getByRole('radio', { name: 'Default queue', exact: true }).click();
      await card.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(() => card.textContent()).toContain('Sender: workspace name · Team: Default queue');

      // Removing asks first.
      await card.getByRole('button', { name: 'Remove help@acme.test', exact: true }).click();
      await card.getByRole('button', { name: 'Remove for good', exact: true }).click();
      await expect.poll(count(admin.getByText('No support addresses yet.'))).toBe(1);
      await expect.poll(count(admin.getByLabel('help@acme.test', { exact: true }))).toBe(0);
    },
  );

  it(
    'a ticket that came by mail says so on the queue row and the ticket, and the composer warns the agent',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const bea = await signUp(t, 'admin', { username: 'bea', displayName: 'Bea Boss', password: PASSWORD });
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
      const carl = await signUp(t, 'customer', { username: 'carl', displayName: 'Carl Customer', password: PASSWORD });
      const billing = await createTeam(t, 'Billing', [sam], { category: 'Invoices' });
      const channel = await as(t, bea).post('/email-channels', { address: 'billing@acme.test', teamId: billing });
      expect(channel.statusCode, channel.body).toBe(201);
      expect(channel.json<EmailChannel>().teamId).toBe(billing);
      await openTicket(t, carl, { subject: 'Printer jams', description: 'Paper everywhere.', teamId: billing });

      // A real mail into the server's SMTP listener opens the ticket.
      const port = t.app.inboundSmtpPort();
      expect(port).not.toBeNull();
      await nodemailer
        .createTransport({ host: '127.0.0.1', port: port!, secure: false, ignoreTLS: true, connectionTimeout: 5_000 })
        .sendMail({
          from: 'Nina Novak <nina@customer.test>',
          to: 'billing@acme.test',
          subject: 'Invoice 42 is wrong',
          text: 'The total is twice what we agreed.',
        });

      const agent = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
      await signInInApp(agent, 'sam');
      const mailed = visible(agent.getByRole('link', { name: /^Invoice 42 is wrong, / }));
      const app = visible(agent.getByRole('link', { name: /^Printer jams, / }));
      await expect.poll(() => mailed.getAttribute('aria-label')).toContain(', Email');
      expect(await mailed.getByTestId('ticket-channel').textContent()).toContain('✉ Email');
      expect(await app.getAttribute('aria-label')).not.toContain('Email');
      expect(await app.getByTestId('ticket-channel').count()).toBe(0);

      // Open, the ticket's header says so, and so does the line under the composer.
      await mailed.click();
      await expect.poll(() => visible(agent.getByTestId('ticket-channel')).count()).toBe(2);
      await expect.poll(count(agent.getByText('Public replies are also emailed to the customer'))).toBe(1);
      await screenshot(agent, 'wide-email-ticket-light');

      // A ticket opened in the app has neither.
      await app.click();
      await expect.poll(() => visible(agent.getByRole('log')).textContent()).toContain('Paper everywhere.');
      await expect.poll(count(agent.getByText('Public replies are also emailed to the customer'))).toBe(0);
      await expect.poll(() => visible(agent.getByTestId('ticket-channel')).count()).toBe(1);
    },
  );
});
