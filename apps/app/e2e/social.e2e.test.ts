import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { count, type E2E, PASSWORD, registerInApp, screenshot, startE2E, visible } from './support';

const FIND = 'Name, or the exact username for customers';

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */

const composer = (page: Page) => visible(page.getByRole('textbox', { name: 'Write a message', exact: true }));

const nav = (page: Page, name: string) =>
  visible(page.getByRole('link', { name, exact: true }))
    .first()
    .click();

/** The access token the app stored (AsyncStorage is localStorage on the web). */
async function tokenOf(page: Page): Promise<string> {
  const raw = await page.evaluate(() => localStorage.getItem('parley.session'));
  return (JSON.parse(raw ?? '{}') as { accessToken: string }).accessToken;
}

describe('contacts, direct messages, notifications and the profile', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  /** On failure, what each person saw. */
  let pages: Page[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [i, page] of pages.entries()) await screenshot(page, `social-failure-${i}`);
  });

  it('befriends, messages, and changes picture, theme and language', { timeout: 180_000 }, async () => {
    // Ada registers first on the fresh server, so she is the admin (staff search by name).
    const { page: ap } = await e2e.person();
    await registerInApp(ap, {
      email: 'ada@example.com',
      username: 'ada',
      displayName: 'Ada Admin',
      password: PASSWORD,
    });
    await expect.poll(count(ap.getByRole('heading', { name: 'Queue', exact: true }))).toBe(1);

    const { page: bp } = await e2e.person();
    pages = [ap, bp];
    await registerInApp(bp, { email: 'bob@example.com', username: 'bob', displayName: 'Bo Brown', password: PASSWORD });
    await expect.poll(count(bp.getByRole('heading', { name: 'My tickets', exact: true }))).toBe(1);

    // Ada finds Bo by name and asks.
    await nav(ap, 'Contacts');
    await expect.poll(count(ap.getByText('No contacts yet.', { exact: true }))).toBe(1);
    await visible(ap.getByLabel(FIND, { exact: true })).fill('brown');
    await visible(ap.getByRole('button', { name: 'Search', exact: true })).click();
    await visible(ap.getByRole('button', { name: 'Add Bo Brown as a contact', exact: true })).click();
    await expect.poll(count(ap.getByText('Request sent to Bo Brown.', { exact: true }))).toBe(1);
    await expect.poll(count(ap.getByRole('button', { name: 'Cancel your request to Bo Brown' }))).toBe(1);

    // Bo sees the badge, the notification, and the request.
    await expect.poll(count(bp.getByLabel('1 Notifications', { exact: true }))).toBe(1);
    await nav(bp, 'Notifications');
    const request = visible(bp.getByRole('link', { name: /^New friend request, From Ada Admin, .*, unread$/ }));
    await expect.poll(() => request.count()).toBe(1);
    await screenshot(bp, 'notifications');
    await request.click();
    await expect.poll(() => bp.url()).toMatch(/\/contacts$/);
    await expect.poll(count(bp.getByLabel('1 Notifications', { exact: true }))).toBe(0);
    await expect.poll(count(bp.getByRole('heading', { name: 'Requests for you', exact: true }))).toBe(1);
    await screenshot(bp, 'contacts-request');
    await visible(bp.getByRole('button', { name: "Accept Ada Admin's request", exact: true })).click();
    await expect.poll(count(bp.getByRole('button', { name: 'Message Ada Admin', exact: true }))).toBe(1);

    // Ada hears of it at once: Bo is a contact now, online.
    const boRow = visible(ap.getByTestId('person-bob')).filter({
      has: ap.getByRole('button', { name: 'Message Bo Brown' }),
    });
    await expect.poll(() => boRow.count()).toBe(1);
    await expect.poll(() => boRow.getByLabel('online', { exact: true }).count()).toBe(1);
    await expect.poll(count(ap.getByRole('heading', { name: 'Requests you sent', exact: true }))).toBe(0);
    await screenshot(ap, 'contacts');

    // Stale lists (a request sent from another device): the server's 409 shows, the lists catch up.
    const cy = await signUp(e2e.t, 'customer', { username: 'cyd', displayName: 'Cy Dee' });
    await visible(ap.getByLabel(FIND, { exact: true })).fill('dee');
    await visible(ap.getByRole('button', { name: 'Search', exact: true })).click();
    const addCy = visible(ap.getByRole('button', { name: 'Add Cy Dee as a contact', exact: true }));
    await expect.poll(() => addCy.count()).toBe(1);
    const elsewhere = await e2e.t.app.inject({
      method: 'POST',
      url: '/friend-requests',
      headers: { authorization: `Bearer ${await tokenOf(ap)}` },
      payload: { userId: cy.user.id },
    });
    expect(elsewhere.statusCode).toBe(201);
    await addCy.click();
    await expect
      .poll(() => visible(ap.getByRole('alert')).allTextContents())
      .toContain('You are contacts already, or a request between you is waiting.');
    await screenshot(ap, 'contacts-conflict');
    const cancelCy = visible(ap.getByRole('button', { name: 'Cancel your request to Cy Dee', exact: true }));
    await cancelCy.click();
    await expect.poll(() => cancelCy.count()).toBe(0);
    await expect.poll(() => addCy.count()).toBe(1);

    // Ada opens the direct conversation and writes in it.
    await visible(ap.getByRole('button', { name: 'Message Bo Brown', exact: true })).click();
    await expect.poll(() => ap.url()).toMatch(/\/messages\/[0-9A-Z]{26}$/);
    const conversationId = ap.url().split('/').pop()!;
    await composer(ap).click();
    await composer(ap).fill('Hi Bo, welcome aboard!');
    await composer(ap).press('Enter');

    // Bo's Messages list has it, unread; he opens it and answers, and Ada sees the answer live.
    await nav(bp, 'Messages');
    const row = visible(bp.getByRole('link', { name: /^Ada Admin, .*, Hi Bo, welcome aboard!, 1 unread$/ }));
    await expect.poll(() => row.count()).toBe(1);
    await screenshot(bp, 'conversations');
    await row.click();
    await expect.poll(() => bp.url()).toMatch(new RegExp(`/messages/${conversationId}$`));
    await expect.poll(count(bp.getByTestId('message').getByText('Hi Bo, welcome aboard!', { exact: true }))).toBe(1);
    await composer(bp).click();
    await composer(bp).fill('Thanks Ada!');
    await composer(bp).press('Enter');
    await expect.poll(count(ap.getByTestId('message').getByText('Thanks Ada!', { exact: true }))).toBe(1);
    await screenshot(ap, 'direct-chat');

    // Ada's notifications: her request was accepted.
    await nav(ap, 'Notifications');
    await expect
      .poll(count(ap.getByRole('link', { name: /^Your friend request was accepted, From Bo Brown, .*, unread$/ })))
      .toBe(1);
    await visible(ap.getByRole('button', { name: 'Mark all read', exact: true })).click();
    await expect.poll(count(ap.getByLabel('1 Notifications', { exact: true }))).toBe(0);
    await expect
      .poll(count(ap.getByRole('link', { name: /^Your friend request was accepted, From Bo Brown, [^,]*$/ })))
      .toBe(1);
    await screenshot(ap, 'notifications-read');

    // Profile: field errors, then a status.
    await nav(ap, 'Profile');
    const displayName = visible(ap.getByLabel('Display name', { exact: true }));
    await displayName.fill('   ');
    await visible(ap.getByRole('button', { name: 'Save', exact: true })).click();
    await expect.poll(() => visible(ap.getByRole('alert')).count()).toBeGreaterThan(0);
    await displayName.fill('Ada Lovelace');
    await visible(ap.getByLabel('Status', { exact: true })).fill('Counting Bernoulli numbers');
    await visible(ap.getByRole('button', { name: 'Save', exact: true })).click();
    await expect.poll(count(ap.getByText('✓ Saved', { exact: true }))).toBe(1);

    // A file that is no picture: the 415 said plainly.
    const choose = visible(ap.getByRole('button', { name: 'Choose a picture', exact: true }));
    const pick = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      const [chooser] = await Promise.all([ap.waitForEvent('filechooser'), choose.click()]);
      await chooser.setFiles(file);
    };
    await pick({ name: 'notes.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') });
    await expect
      .poll(() => visible(ap.getByRole('alert')).allTextContents())
      .toContainEqual(expect.stringContaining('That file cannot be used as a picture'));
    await screenshot(ap, 'profile-avatar-415');

    // A real picture: previewed, uploaded, then shown as the avatar.
    const png = await sharp({
      create: { width: 320, height: 320, channels: 3, background: { r: 236, g: 72, b: 153 } },
    })
      .composite([
        {
          input: Buffer.from('<svg width="320" height="320"><circle cx="160" cy="160" r="90" fill="#fde047"/></svg>'),
        },
      ])
      .png()
      .toBuffer();
    await pick({ name: 'me.png', mimeType: 'image/png', buffer: png });
    await expect.poll(count(ap.getByText('Picture updated.', { exact: true }))).toBe(1);
    const avatarImg = visible(ap.getByTestId('profile-avatar')).locator('img');
    await expect.poll(() => avatarImg.first().getAttribute('src')).toMatch(/\/avatars\/.+\?size=256$/);
    await screenshot(ap, 'profile-light');

    // Bo sees the new name and picture in his contacts.
    await nav(bp, 'Contacts');
    const adaRow = visible(bp.getByTestId('person-ada'));
    await expect.poll(() => adaRow.getByText('Ada Lovelace', { exact: true }).count()).toBe(1);
    await expect.poll(() => adaRow.locator('img').first().getAttribute('src')).toMatch(/\/avatars\//);

    // Bo blocks Ada, then thinks better of it.
    await visible(bp.getByRole('button', { name: 'Block Ada Lovelace', exact: true })).click();
    const unblock = visible(bp.getByRole('button', { name: 'Unblock Ada Lovelace', exact: true }));
    await expect.poll(() => unblock.count()).toBe(1);
    await expect.poll(count(bp.getByRole('button', { name: 'Message Ada Lovelace', exact: true }))).toBe(0);
    await screenshot(bp, 'contacts-blocked');
    await unblock.click();
    await expect.poll(() => unblock.count()).toBe(0);
    await expect.poll(count(bp.getByRole('heading', { name: 'Blocked', exact: true }))).toBe(0);

    // Dark: the whole app switches (and it is remembered).
    await visible(ap.getByRole('radio', { name: 'Dark', exact: true })).click();
    await expect
      .poll(() => ap.evaluate(() => JSON.parse(localStorage.getItem('parley.preferences') ?? '{}').theme))
      .toBe('dark');
    await expect
      .poll(() =>
        ap.evaluate(() =>
          Array.from(document.querySelectorAll('div')).some(
            (el) => getComputedStyle(el).backgroundColor === 'rgb(15, 17, 21)',
          ),
        ),
      )
      .toBe(true);
    await screenshot(ap, 'profile-dark');
    await nav(ap, 'Contacts');
    await screenshot(ap, 'contacts-dark');
    await nav(ap, 'Profile');

    // By keyboard: back to light.
    await visible(ap.getByRole('radio', { name: 'Light', exact: true })).focus();
    await ap.keyboard.press('Enter');
    await expect
      .poll(() => ap.evaluate(() => JSON.parse(localStorage.getItem('parley.preferences') ?? '{}').theme))
      .toBe('light');

    // Deutsch: the UI speaks German.
    await visible(ap.getByRole('radio', { name: 'Deutsch', exact: true })).click();
    await expect.poll(count(ap.getByRole('heading', { name: 'Profil', exact: true }))).toBe(1);
    await expect.poll(count(ap.getByRole('button', { name: 'Abmelden', exact: true }))).toBe(1);
    await expect.poll(count(ap.getByRole('radio', { name: 'Dunkel', exact: true }))).toBe(1);
    await screenshot(ap, 'profile-de');

    // Signing out leads back to sign-in (in German).
    await visible(ap.getByRole('button', { name: 'Abmelden', exact: true })).click();
    await expect.poll(count(ap.getByRole('heading', { name: 'Anmelden', exact: true }))).toBe(1);
  });
});
