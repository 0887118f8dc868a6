import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInApp, screenshot, startE2E, type E2E } from './support';

describe('the web app in Chromium', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it('shows field errors from the server, then registers and opens a ticket', async () => {
    const { page } = await e2e.person();
    await page.goto('/');
    await expect.poll(() => page.getByRole('heading', { name: 'Sign in' }).count()).toBe(1);
    await screenshot(page, 'sign-in');

    await registerInApp(page, { email: 'not-an-email', username: 'x', displayName: '', password: 'short' });
    await expect
      .poll(() => page.getByRole('alert').allTextContents())
      .toEqual([
        'Enter an email address like name@example.com',
        'Username must be at least 3 characters',
        'Password must be at least 8 characters',
      ]);
    await screenshot(page, 'register-errors');

    await page.getByLabel('Email', { exact: true }).fill('ann@example.com');
    await page.getByLabel('Username', { exact: true }).fill('ann');
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: '+ New ticket' }).click();
    await page.getByLabel('Subject', { exact: true }).fill('Printer on fire');
    await page.getByLabel('What happened?', { exact: true }).fill('Smoke everywhere');
    await page.getByRole('radio', { name: 'Urgent' }).click();
    await page.getByRole('button', { name: 'Open ticket' }).click();
    await expect.poll(() => page.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
    await page.goto('/');
    await expect.poll(() => page.getByRole('link', { name: /Printer on fire, Open, Urgent/ }).count()).toBe(1);
    await screenshot(page, 'tickets');
  });
});
