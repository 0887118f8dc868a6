import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Session } from '@parley/protocol';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/src/db/seed';
import { bearer, joinWorkspace, registerUser } from '../../server/src/testing/test-app';
import { contrastRatio } from '../src/theme/palette';
import { seriousViolations } from './axe';
import { ARTIFACTS, count, settled, startDemoE2E, visible, type E2E } from './support';

/** `PARLEY_UPDATE_SCREENSHOTS=1` also writes the switcher's pictures to docs/screenshots. */
const DOCS = fileURLToPath(new URL('../../../docs/screenshots', import.meta.url));
const UPDATE_DOCS = process.env.PARLEY_UPDATE_SCREENSHOTS === '1';
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
/** The app's own accent (palette.ts): Acme's must replace it. */
const PARLEY_INDIGO = ['#4338ca', '#4f46e5'];
const DEFAULT_TICKET = 'Cannot sign in on Android';

/** The switcher's entries, by their accessible names. */
const entries = (switcher: Locator) => () =>
  visible(switcher.getByRole('button')).evaluateAll((buttons) =>
    buttons.map((b) => b.querySelector('[data-testid="workspace-name"]')?.textContent),
  );

const hex = (rgb: string) =>
  `#${(rgb.match(/\d+/g) ?? [])
    .slice(0, 3)
    .map((n) => Number(n).toString(16).padStart(2, '0'))
    .join('')}`;

/** The element's colour and background, and the nearest opaque background behind it. */
async function coloursOf(locator: Locator) {
  const found = await locator.evaluate((element) => {
    const opaque = (el: Element | null): string => {
      for (let at = el; at; at = at.parentElement) {
        const colour = getComputedStyle(at).backgroundColor;
        if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour;
      }
      return 'rgb(255, 255, 255)';
    };
    return { fill: opaque(element), behind: opaque(element.parentElement) };
  });
  return { fill: hex(found.fill), behind: hex(found.behind) };
}

async function textColour(locator: Locator) {
  return hex(await locator.evaluate((element) => getComputedStyle(element).color));
}

async function shoot(page: Page, name: string) {
  await settled(page); // the logo too
  const file = path.join(ARTIFACTS, `screen-${name}.png`);
  await page.screenshot({ path: file });
  if (UPDATE_DOCS) fs.copyFileSync(file, path.join(DOCS, `${name}.png`));
}

describe('workspaces in the app', () => {
  let e2e: E2E;

  beforeAll(async () => {
    ({ e2e } = await startDemoE2E());
    const { t } = e2e;
    // Someone at Acme writes to Ada: an unread notification waits for her there.
    const ada = await t.database.db
      .selectFrom('users')
      .select('id')
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    const newcomer = await registerUser(t.app, { username: 'wile', displayName: 'Wile Coyote' });
    const atAcme: Session = await joinWorkspace(t, newcomer, 'acme', 'agent');
    const chat = await t.app.inject({
      method: 'POST',
      url: '/conversations/direct',
      headers: bearer(atAcme),
      payload: { userId: ada.id },
    });
    await t.app.inject({
      method: 'POST',
      url: `/conversations/${chat.json<{ id: string }>().id}/messages`,
      headers: bearer(atAcme),
      payload: { clientMsgId: 'acme-1', body: 'The anvil order is late again' },
    });
    if (UPDATE_DOCS) fs.mkdirSync(DOCS, { recursive: true });
  });
  afterAll(() => e2e?.close());

  async function signIn(page: Page, login: string) {
    await page.goto('/');
    await page.getByLabel('Email or username', { exact: true }).fill(login);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(count(page.getByRole('navigation', { name: 'Main navigation' }))).toBe(1);
  }

  /** The accent's colours where the app draws them, checked for AA in the theme on screen. */
  async function expectReadableAccent(page: Page) {
    const button = visible(page.getByRole('button', { name: '+ New ticket' }));
    await expect.poll(() => button.count(), { timeout: 15_000 }).toBe(1);
    const { fill, behind } = await coloursOf(button);
    const label = await textColour(button.getByText('+ New ticket'));
    expect(PARLEY_INDIGO).not.toContain(fill);
    // Text on the accent: 4.5:1; the accent against the page, as a control's edge: 3:1.
    expect(contrastRatio(label, fill)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(fill, behind)).toBeGreaterThanOrEqual(3);
    // The workspace's name heading the navigation, in the accent (large text).
    const brand = page.getByTestId('workspace-header').getByText('Acme', { exact: true });
    const brandColour = await textColour(brand);
    expect(contrastRatio(brandColour, (await coloursOf(brand)).behind)).toBeGreaterThanOrEqual(3);
    expect(await seriousViolations(page)).toBe('');
    return { fill, label };
  }

  it('switches Ada between her two workspaces: their own tickets, name, logo, accent and unread counts', async () => {
    const { page } = await e2e.person({ viewport: WIDE });
    await signIn(page, 'ada');
    const switcher = page.getByRole('group', { name: 'Workspaces' });
    await expect.poll(entries(switcher)).toEqual(['Acme', 'Parley']);
    expect(await switcher.getByRole('button', { name: 'Parley' }).getAttribute('aria-current')).toBe('true');
    // Acme's unread count, said after its name.
    await expect
      .poll(() => switcher.getByRole('img', { name: '1 unread notification' }).count(), { timeout: 10_000 })
      .toBe(1);
    await expect.poll(count(page.getByText(DEFAULT_TICKET))).toBeGreaterThan(0);
    await expect.poll(() => page.title()).toContain('Parley');

    await switcher.getByRole('button', { name: 'Acme' }).click();
    await expect.poll(() => switcher.getByRole('button', { name: 'Acme' }).getAttribute('aria-current')).toBe('true');
    await expect.poll(() => page.title()).toMatch(/· Acme$/);
    await expect.poll(count(page.getByTestId('workspace-header').getByText('Acme', { exact: true }))).toBe(1);
    // Its logo, loaded from the server.
    const logo = page.getByTestId('workspace-header').getByTestId('workspace-logo').locator('img');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 10_000 }).toBe(256);
    // Nothing of the default workspace: not its tickets, not its unread notifications.
    await expect.poll(count(page.getByRole('heading', { name: 'Queue' }))).toBe(1);
    await settled(page);
    expect(await visible(page.getByText(DEFAULT_TICKET)).count()).toBe(0);
    await expect.poll(count(page.getByText('No tickets here yet.'))).toBeGreaterThan(0);

    const light = await expectReadableAccent(page);
    await shoot(page, 'wide-workspaces-light');

    // The same accent in the dark theme: another readable variant of the same yellow.
    await page.getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('radio', { name: 'Dark' }).click();
    await page.getByRole('link', { name: 'Tickets' }).click();
    const dark = await expectReadableAccent(page);
    expect(dark.fill).not.toBe(light.fill);
    await shoot(page, 'wide-workspaces-dark');

    // And back: the default workspace's tickets again.
    await switcher.getByRole('button', { name: 'Parley' }).click();
    await expect.poll(count(page.getByText(DEFAULT_TICKET)), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.title()).toMatch(/· Parley$/);
    await expect.poll(count(page.getByTestId('workspace-header').getByText('Parley', { exact: true }))).toBe(1);
  });

  it('offers the switcher on a phone in Profile, and lands on the tickets after switching', async () => {
    const { page } = await e2e.person({ viewport: PHONE, colorScheme: 'dark' });
    await signIn(page, 'ada');
    await page.getByRole('link', { name: 'Profile' }).click();
    const switcher = page.getByRole('group', { name: 'Workspaces' });
    await expect.poll(entries(switcher)).toEqual(['Acme', 'Parley']);
    await shoot(page, 'phone-workspaces-dark');
    // She signs in where she was last: to the other one, then.
    const acmeFirst = (await switcher.getByRole('button', { name: 'Acme' }).getAttribute('aria-current')) === 'true';
    await visible(switcher)
      .getByRole('button', { name: acmeFirst ? 'Parley' : 'Acme' })
      .click();
    await expect.poll(count(page.getByRole('heading', { name: 'Queue' })), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.title()).toMatch(acmeFirst ? /· Parley$/ : /· Acme$/);
    await expect.poll(count(page.getByText(DEFAULT_TICKET)), { timeout: 10_000 }).toBe(acmeFirst ? 1 : 0);
    expect(await seriousViolations(page)).toBe('');
  });

  it('shows no switcher to someone in one workspace only', async () => {
    const { page } = await e2e.person({ viewport: WIDE });
    await signIn(page, 'carla');
    await expect.poll(count(page.getByText(DEFAULT_TICKET))).toBeGreaterThan(0);
    await settled(page);
    expect(await page.getByRole('group', { name: 'Workspaces' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Profile' }).click();
    await settled(page);
    expect(await page.getByRole('group', { name: 'Workspaces' }).count()).toBe(0);
  });
});
