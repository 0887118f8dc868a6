import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

/** An agent types `/ref` in a ticket, picks "Refund", sees it filled in, edits, sends; the customer reads it. */
describe('canned responses', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('inserts a canned response with /ref, filled in for the ticket, and sends it', { timeout: 90_000 }, async () => {
    const admin = await signUp(e2e.t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
    await signUp(e2e.t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
    const carla = await signUp(e2e.t, 'customer', {
      username: 'carla',
      displayName: 'Carla Gómez',
      password: PASSWORD,
    });
    for (const body of [
      { scope: 'workspace', shortcut: 'thanks', title: 'Thanks', body: 'Thank you for writing to us!' },
      { scope: 'workspace', shortcut: 'reset', title: 'Password reset', body: 'Use the reset link.' },
    ]) {
      const answer = await as(e2e.t, admin).post('/canned-responses', body);
      expect(answer.statusCode, answer.body).toBe(201);
    }
    const ticket = await openTicket(e2e.t, carla, { subject: 'Charged twice', description: 'Order 1234.' });
    const url = `/tickets/${ticket.id}`;

    // The admin adds one for all staff in Admin → Canned responses.
    const ada = (await e2e.person()).page;
    await signInInApp(ada, 'ada');
    await ada.goto('/admin');
    await visible(ada.getByRole('radio', { name: 'Canned responses', exact: true })).click();
    await ada.getByLabel('Shortcut (after /)', { exact: true }).fill('refund');
    await ada.getByLabel('Title', { exact: true }).fill('Refund');
    await ada
      .getByLabel('Text', { exact: true })
      .fill('Hi {{customer.firstName}}, the refund for "{{ticket.subject}}" is on its way. {{agent.name}}');
    await ada.getByRole('button', { name: 'Add canned response', exact: true }).click();
    await expect.poll(() => visible(ada.getByLabel('Refund', { exact: true })).count()).toBe(1);

    // Sam keeps one of his own in Profile.
    const agent = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
    await signInInApp(agent, 'sam');
    await agent.goto('/profile');
    await visible(agent.getByLabel('Shortcut (after /)', { exact: true })).fill('bye');
    await visible(agent.getByLabel('Title', { exact: true })).fill('Sign-off');
    await visible(agent.getByLabel('Text', { exact: true })).fill('Best wishes, {{agent.firstName}}');
    await visible(agent.getByRole('button', { name: 'Add canned response', exact: true })).click();
    await expect.poll(() => visible(agent.getByLabel('Sign-off', { exact: true })).count()).toBe(1);

    await agent.goto(url);
    const composer = visible(agent.getByLabel('Write a message', { exact: true }));
    await composer.click();
    await agent.keyboard.type('/ref');
    const picker = visible(agent.getByRole('listbox', { name: 'Canned responses' }));
    const refund = picker.getByRole('option', { name: 'Refund /refund' });
    await expect.poll(() => refund.count()).toBe(1);
    // Filtered by what follows the slash.
    await expect.poll(() => picker.getByRole('option', { name: /Thanks/ }).count()).toBe(0);
    await screenshot(agent, 'wide-canned-picker-light', { forDocs: true });

    await refund.click();
    const filled = 'Hi Carla, the refund for "Charged twice" is on its way. Sam Agent';
    await expect.poll(() => composer.inputValue()).toBe(filled);
    await expect.poll(() => picker.count()).toBe(0);
    // The agent edits it before sending.
    await composer.press('End');
    await agent.keyboard.type(' Have a nice day.');
    await agent.keyboard.press('Enter');
    await expect.poll(() => visible(thread(agent)).textContent()).toContain(`${filled} Have a nice day.`);
    await expect.poll(() => composer.inputValue()).toBe('');

    // The keyboard: "/", arrows and Enter insert the highlighted one in place of the token.
    await agent.keyboard.type('/');
    await expect.poll(() => picker.getByRole('option').count()).toBe(4);
    await agent.keyboard.type('th');
    await agent.keyboard.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Thank you for writing to us!');
    // His own one too.
    await composer.fill('');
    await agent.keyboard.type('/bye');
    await agent.keyboard.press('Enter');
    await expect.poll(() => composer.inputValue()).toBe('Best wishes, Sam');
    // Esc closes it and leaves the text as typed.
    await composer.fill('');
    await agent.keyboard.type('See /re');
    await expect.poll(() => picker.count()).toBe(1);
    await agent.keyboard.press('Escape');
    await expect.poll(() => picker.count()).toBe(0);
    expect(await composer.inputValue()).toBe('See /re');

    const customer = (await e2e.person()).page;
    await signInInApp(customer, 'carla');
    await customer.goto(url);
    await expect.poll(() => visible(thread(customer)).textContent()).toContain(`${filled} Have a nice day.`);
  });
});
