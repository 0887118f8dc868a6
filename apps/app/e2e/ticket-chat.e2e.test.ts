import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { createTeam } from '../../server/src/testing/test-desk';
import {
  count,
  type E2E,
  PASSWORD,
  registerInApp,
  screenshot,
  signInInApp,
  startE2E,
  thread,
  visible,
} from './support';

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */

const composer = (page: Page) => visible(page.getByRole('textbox', { name: /^Write (a message|an internal note)/ }));

/** Types like a person (so `typing` frames go out), then sends with Enter. */
async function say(page: Page, text: string) {
  await composer(page).click();
  await composer(page).pressSequentially(text, { delay: 10 });
  await composer(page).press('Enter');
}

describe('a ticket conversation between a customer and an agent', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('chats live: status, typing, seen, offline sends, internal notes and images', { timeout: 180_000 }, async () => {
    const agentSession = await signUp(e2e.t, 'agent', { username: 'alex', displayName: 'Alex Agent' });
    // Customers pick the team by its category label; its name is internal.
    await createTeam(e2e.t, 'Support', [agentSession], { category: 'Sign-in and app problems' });

    // The customer registers and opens a ticket for Support.
    const customer = await e2e.person();
    const cp = customer.page;
    await registerInApp(cp, {
      email: 'cora@example.com',
      username: 'cora',
      displayName: 'Cora Customer',
      password: PASSWORD,
    });
    await visible(cp.getByRole('button', { name: '+ New ticket' })).click();
    await cp.getByLabel('Subject', { exact: true }).fill('Cannot sign in on my phone');
    await cp.getByLabel('What happened?', { exact: true }).fill('The app says my password is wrong.');
    await visible(cp.getByRole('radio', { name: 'High', exact: true })).click();
    await visible(cp.getByRole('radio', { name: 'Sign-in and app problems', exact: true })).click();
    await visible(cp.getByRole('button', { name: 'Open ticket' })).click();
    await expect.poll(() => cp.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
    const status = cp.getByTestId('ticket-status');
    await expect.poll(() => visible(status).textContent()).toContain('Open');
    // The description opens the thread, so the thread is not "empty".
    await expect
      .poll(() => visible(cp.getByTestId('ticket-description')).textContent())
      .toContain('The app says my password is wrong.');
    expect(await cp.getByText('No messages yet. Say hello!').count()).toBe(0);

    // The agent signs in, finds it in the queue, takes it and starts work on it.
    const agent = await e2e.person();
    const ap = agent.page;
    await signInInApp(ap, 'alex');
    const row = ap.getByRole('link', { name: /Cannot sign in on my phone, Open, High/ });
    await expect.poll(count(row)).toBe(1);
    await visible(row).click();
    await expect.poll(() => ap.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
    await visible(ap.getByRole('button', { name: 'Take it', exact: true })).click();
    await expect.poll(count(ap.getByRole('button', { name: 'Take it', exact: true }))).toBe(0);
    await visible(
      ap.getByRole('complementary', { name: 'Details' }).getByRole('radio', { name: 'In progress', exact: true }),
    ).click();
    // The customer sees it live.
    await expect.poll(() => visible(status).textContent()).toContain('In progress');

    // Typing shows on the other side, then the message; once the customer has it, it is "Seen".
    await composer(ap).click();
    await composer(ap).pressSequentially('Hi Cora, I am looking into it', { delay: 20 });
    await expect.poll(count(cp.getByText('Alex Agent is typing…', { exact: true }))).toBe(1);
    await screenshot(cp, 'ticket-chat-typing');
    await composer(ap).press('Enter');
    await expect.poll(count(thread(cp).getByText('Hi Cora, I am looking into it', { exact: true }))).toBe(1);
    await expect.poll(count(cp.getByText('Alex Agent is typing…', { exact: true }))).toBe(0);
    await expect.poll(count(ap.getByText(/· Seen$/))).toBe(1);
    await say(cp, 'Thank you! It started this morning.');
    await expect.poll(count(thread(ap).getByText('Thank you! It started this morning.', { exact: true }))).toBe(1);
    await screenshot(ap, 'ticket-chat-agent');

    // Shift+Enter makes a new line instead of sending.
    await composer(cp).click();
    await composer(cp).pressSequentially('Line one');
    await composer(cp).press('Shift+Enter');
    await composer(cp).pressSequentially('Line two');
    await expect.poll(() => composer(cp).inputValue()).toBe('Line one\nLine two');
    await composer(cp).press('Enter');
    await expect.poll(count(thread(ap).getByText('Line one\nLine two', { exact: true }))).toBe(1);

    // Offline: the message waits in the outbox ("Sending…"), then arrives exactly once.
    await customer.context.setOffline(true);
    await expect.poll(count(cp.getByTestId('connection-banner'))).toBe(1);
    await say(cp, 'Sent while I was offline');
    await expect.poll(count(cp.getByText(/· Sending…$/))).toBe(1);
    await screenshot(cp, 'ticket-chat-offline');
    await customer.context.setOffline(false);
    await expect.poll(count(cp.getByTestId('connection-banner')), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(count(thread(ap).getByText('Sent while I was offline', { exact: true })), { timeout: 20_000 })
      .toBe(1);
    await expect.poll(count(cp.getByText(/· Sending…$/))).toBe(0);
    await ap.waitForTimeout(500);
    expect(await visible(thread(ap).getByText('Sent while I was offline', { exact: true })).count()).toBe(1);

    // An internal note: marked for the agent, never shown to the customer.
    await visible(ap.getByRole('switch', { name: 'Internal note' })).click();
    await say(ap, 'Customer is on the old app version');
    await expect.poll(count(ap.getByTestId('note-message'))).toBe(1);
    await expect.poll(() => visible(ap.getByTestId('note-message')).textContent()).toContain('Internal note');
    await visible(ap.getByRole('switch', { name: 'Internal note' })).click();
    await say(ap, 'Could you update the app and try again?');
    await expect.poll(count(thread(cp).getByText('Could you update the app and try again?', { exact: true }))).toBe(1);
    expect(await cp.getByText('Customer is on the old app version').count()).toBe(0);
    expect(await cp.getByTestId('note-message').count()).toBe(0);
    await screenshot(ap, 'ticket-chat-note');

    // An image: uploaded with a preview, sent, and shown to the agent.
    // A little "error screen": a dialog with a red header on grey.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="360" height="240">
      <rect width="360" height="240" fill="#e5e7eb"/>
      <rect x="40" y="40" width="280" height="160" rx="12" fill="#ffffff" stroke="#9ca3af"/>
      <rect x="40" y="40" width="280" height="44" rx="12" fill="#dc2626"/>
      <rect x="40" y="70" width="280" height="14" fill="#dc2626"/>
      <rect x="64" y="110" width="200" height="12" rx="6" fill="#9ca3af"/>
      <rect x="64" y="134" width="150" height="12" rx="6" fill="#d1d5db"/>
      <rect x="216" y="160" width="88" height="28" rx="8" fill="#2563eb"/>
    </svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    await cp.getByTestId('composer-file-input').setInputFiles({
      name: 'error-screen.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await expect.poll(count(cp.getByText('error-screen.png', { exact: true }))).toBe(1);
    await expect.poll(count(cp.getByRole('img', { name: 'error-screen.png', exact: true }))).toBe(1);
    const send = visible(cp.getByRole('button', { name: 'Send', exact: true }));
    await expect.poll(() => send.getAttribute('aria-disabled')).not.toBe('true');
    await screenshot(cp, 'ticket-chat-upload');
    await composer(cp).fill('Here is what I see');
    await send.click();
    const image = ap.getByRole('img', { name: 'error-screen.png', exact: true });
    await expect.poll(count(image), { timeout: 15_000 }).toBe(1);
    // The thumbnail arrived (fetched with the token, shown from an object URL).
    await expect.poll(() => visible(image).evaluate((el) => el.outerHTML), { timeout: 15_000 }).toMatch(/blob:/);
    const own = cp.getByRole('img', { name: 'error-screen.png', exact: true });
    await expect.poll(() => visible(own).evaluate((el) => el.outerHTML), { timeout: 15_000 }).toMatch(/blob:/);
    await screenshot(ap, 'ticket-chat-image');
    await screenshot(cp, 'ticket-chat-customer');

    // Narrow (a phone): the staff panel folds away above the chat.
    await ap.setViewportSize({ width: 420, height: 800 });
    await expect.poll(count(ap.getByRole('radio', { name: 'In progress', exact: true }))).toBe(0);
    await visible(ap.getByRole('button', { name: 'Details', exact: true })).click();
    await expect.poll(count(ap.getByRole('radio', { name: 'In progress', exact: true }))).toBe(1);
    await screenshot(ap, 'ticket-chat-agent-narrow');
  });
});
