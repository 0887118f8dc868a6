import type { AccountSessionList } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, registerUser, signIn } from '../../server/src/testing/test-app';
import { linkIn, startTestSmtp, type TestSmtp } from '../../server/src/testing/test-smtp';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, visible } from './support';

/** Links in mails point here; the test opens their path on the server it runs. */
const PUBLIC_URL = 'http://parley.example';
const NEW_PASSWORD = 'a fresh new password';
const SOON = { timeout: 15_000 };

describe('accounts in the app: forgot password, change password, devices', () => {
  let smtp: TestSmtp;
  let e2e: E2E;
  beforeAll(async () => {
    smtp = await startTestSmtp();
    e2e = await startE2E({ SMTP_URL: smtp.url, PUBLIC_URL });
  });
  afterAll(async () => {
    await e2e?.close();
    await smtp?.close();
  });
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [i, c] of e2e.browser.contexts().entries()) {
      for (const [j, page] of c.pages().entries()) await screenshot(page, `password-reset-failure-${i}-${j}`);
    }
  });

  it(
    'resets a forgotten password with the mailed link and signs in with the new one',
    { timeout: 90_000 },
    async () => {
      const elsewhere = await registerUser(e2e.t.app, { username: 'rosa', email: 'rosa@example.com' });
      const { page } = await e2e.person();
      await page.goto('/');
      await page.getByRole('button', { name: 'Forgot password?' }).click();
      // The sign-in screen stays mounted below, hidden: only what is on screen.
      await visible(page.getByLabel('Email or username', { exact: true })).fill('Rosa@Example.com');
      await page.getByRole('button', { name: 'Send the link' }).click();
      await expect
        .poll(count(page.getByText(/^If there is an account by that name, a link is on its way/)), SOON)
        .toBe(1);

      const mail = await smtp.waitFor((m) => m.envelopeTo.includes('rosa@example.com'), 15_000);
      expect(mail.subject).toMatch(/^Reset your .* password$/);
      const link = new URL(linkIn(mail, `${PUBLIC_URL}/reset-password?token=`));
      await page.goto(link.pathname + link.search);
      await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await expect.poll(count(page.getByText('Your password was changed. Sign in with the new one.')), SOON).toBe(1);

      await page.getByLabel('Email or username', { exact: true }).fill('rosa');
      await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect.poll(count(page.getByRole('navigation', { name: 'Main navigation' })), SOON).toBe(1);
      // The session that was signed in elsewhere ended with the reset.
      expect((await e2e.t.app.inject({ method: 'GET', url: '/me', headers: bearer(elsewhere) })).statusCode).toBe(401);

      // The link worked once.
      await page.evaluate(() => localStorage.clear());
      await page.goto(link.pathname + link.search);
      await page.getByLabel('New password', { exact: true }).fill('yet another password');
      await page.getByRole('button', { name: 'Set the new password' }).click();
      await expect.poll(count(page.getByText(/^This link does not work any more/)), SOON).toBe(1);
    },
  );

  it('changes the password in Profile and signs another device out', { timeout: 90_000 }, async () => {
    const { user } = await registerUser(e2e.t.app, { username: 'otto_p', email: 'otto_p@example.com' });
    const { page } = await e2e.person();
    await signInInApp(page, 'otto_p');
    const phone = await signIn(e2e.t, 'otto_p', user.workspace.slug);
    await page.goto('/profile');

    const devices = visible(page.getByRole('list', { name: 'Signed-in devices' })).getByRole('listitem');
    // Registering signed in too: three sessions.
    await expect.poll(() => devices.count(), SOON).toBe(3);
    await expect.poll(count(page.getByText(/· This device$/)), SOON).toBe(1);
    await visible(page.getByRole('button', { name: 'Sign out everywhere else' })).scrollIntoViewIfNeeded();
    await screenshot(page, 'profile-devices');

    await page.getByLabel('Current password', { exact: true }).fill('not my password');
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(count(page.getByText('Your current password is not right.')), SOON).toBe(1);

    await page.getByLabel('Current password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect.poll(count(page.getByText(/Password changed\. Your other devices were signed out\./)), SOON).toBe(1);
    await expect.poll(() => devices.count(), SOON).toBe(1);
    expect((await e2e.t.app.inject({ method: 'GET', url: '/me', headers: bearer(phone) })).statusCode).toBe(401);

    // This device goes on; another sign-in shows up and can be signed out from here.
    const tablet = await signIn(e2e.t, 'otto_p', user.workspace.slug, NEW_PASSWORD);
    await page.reload();
    await expect.poll(() => devices.count(), SOON).toBe(2);
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect.poll(count(page.getByText('Every other device was signed out.')), SOON).toBe(1);
    await expect.poll(() => devices.count(), SOON).toBe(1);
    const mine = await e2e.t.app.inject({ method: 'GET', url: '/me', headers: bearer(tablet) });
    expect(mine.statusCode).toBe(401);
    const left = (
      await e2e.t.app.inject({
        method: 'GET',
        url: '/me/sessions',
        headers: bearer({
          accessToken: await page.evaluate(
            () => JSON.parse(localStorage.getItem('parley.session')!).accessToken as string,
          ),
        }),
      })
    ).json<AccountSessionList>();
    expect(left.items.map((s) => s.current)).toEqual([true]);
  });
});
