import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session, Ticket } from '@parley/protocol';
import { signUp } from '../../server/src/testing/test-app';
import { createTeam, openTicket } from '../../server/src/testing/test-desk';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 900, height: 800 };

const place = (page: Page, name: string) =>
  visible(page.getByRole('navigation', { name: 'Main navigation' })).getByRole('link', { name, exact: true });
const box = async (locator: Locator) => (await visible(locator).first().boundingBox())!;

describe('the frame: side navigation and three panes on wide screens, a tab bar on phones', () => {
  let e2e: E2E;
  let cora: Session;
  let printer: Ticket;
  let vat: Ticket;
  beforeAll(async () => {
    e2e = await startE2E();
    const alex = await signUp(e2e.t, 'agent', { username: 'alex', displayName: 'Alex Agent', password: PASSWORD });
    const support = await createTeam(e2e.t, 'Support', [alex], { category: 'Support' });
    cora = await signUp(e2e.t, 'customer', { username: 'cora', displayName: 'Cora Customer', password: PASSWORD });
    printer = await openTicket(e2e.t, cora, { subject: 'Printer on fire', teamId: support });
    vat = await openTicket(e2e.t, cora, {
      subject: 'VAT missing on invoice',
      description: 'Line 3 has no VAT.',
      teamId: support,
    });
  });
  afterAll(() => e2e?.close());

  it(
    'at 1440×900 shows the places beside the queue, the thread and its details, by URL',
    { timeout: 90_000 },
    async () => {
      const { page } = await e2e.person({ viewport: WIDE });
      await signInInApp(page, 'alex');

      // The side navigation is there, Tickets marked as the current place; no tab bar.
      expect(await count(page.getByTestId('side-nav'))()).toBe(1);
      expect(await count(page.getByTestId('tab-bar'))()).toBe(0);
      await expect.poll(() => place(page, 'Tickets').getAttribute('aria-current')).toBe('page');
      expect(await place(page, 'Messages').getAttribute('aria-current')).toBeNull();

      // Choosing a ticket in the queue opens it beside the queue, its details beside the thread.
      const row = visible(page.getByRole('link', { name: /^VAT missing on invoice, Open/ }));
      await row.click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/tickets/${vat.id}`);
      const opening = thread(page).getByText('Line 3 has no VAT.', { exact: true });
      const details = page.getByRole('complementary', { name: 'Details' });
      await expect.poll(count(opening)).toBe(1);
      // Cora twice: as the ticket's requester, and in the panel about her as a customer.
      await expect.poll(count(details.getByText('Cora Customer', { exact: true }))).toBe(2);
      const [queueBox, threadBox, detailsBox] = [await box(row), await box(opening), await box(details)];
      expect(queueBox.x + queueBox.width).toBeLessThanOrEqual(threadBox.x);
      expect(threadBox.x + threadBox.width).toBeLessThanOrEqual(detailsBox.x);
      expect(await row.getAttribute('aria-current')).toBe('page');
      // Still the Tickets place, though a ticket is open.
      expect(await place(page, 'Tickets').getAttribute('aria-current')).toBe('page');
      await screenshot(page, 'layout-wide-ticket');

      // Another row: another URL; back returns to the first ticket.
      await visible(page.getByRole('link', { name: /^Printer on fire, Open/ })).click();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/tickets/${printer.id}`);
      await expect.poll(count(thread(page).getByText('It is really on fire.', { exact: true }))).toBe(1);
      await page.goBack();
      await expect.poll(() => new URL(page.url()).pathname).toBe(`/tickets/${vat.id}`);
      await expect.poll(count(opening)).toBe(1);

      // A reload keeps the ticket open beside the queue.
      await page.reload();
      // (In the thread: the queue row beside it shows the description as its preview too.)
      await expect
        .poll(count(thread(page).getByText('Line 3 has no VAT.', { exact: true })), { timeout: 15_000 })
        .toBe(1);
      await expect.poll(count(details)).toBe(1);
      await expect
        .poll(() =>
          visible(page.getByRole('link', { name: /^VAT missing on invoice, Open/ })).getAttribute('aria-current'),
        )
        .toBe('page');
    },
  );

  it('lets the first Tab reach a skip link that moves focus into the main region', { timeout: 60_000 }, async () => {
    const { page } = await e2e.person({ viewport: WIDE });
    await signInInApp(page, 'alex');
    await page.goto('/');
    await expect.poll(count(page.getByRole('heading', { name: 'Queue', exact: true }))).toBe(1);
    const skip = page.getByRole('link', { name: 'Skip to main content', exact: true });
    // Out of sight until focused.
    expect((await skip.boundingBox())?.width ?? 0).toBeLessThanOrEqual(1);
    await page.keyboard.press('Tab');
    await expect.poll(() => skip.evaluate((el) => el === document.activeElement)).toBe(true);
    expect((await skip.boundingBox())!.width).toBeGreaterThan(50);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
    // The next Tab goes on into the content, past the navigation.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => !!document.activeElement?.closest('main') && !document.activeElement?.closest('nav')),
    ).toBe(true);
  });

  it('at 390×844 puts the places in a bottom tab bar, and marks Messages once there', { timeout: 60_000 }, async () => {
    const { page } = await e2e.person({ viewport: PHONE });
    await signInInApp(page, 'cora');
    expect(await count(page.getByTestId('tab-bar'))()).toBe(1);
    expect(await count(page.getByTestId('side-nav'))()).toBe(0);
    const bar = await box(page.getByTestId('tab-bar'));
    expect(bar.y + bar.height).toBeGreaterThan(PHONE.height - 4);
    await expect.poll(count(page.getByRole('heading', { name: 'My tickets', exact: true }))).toBe(1);

    await place(page, 'Messages').click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/messages');
    await expect.poll(count(page.getByRole('heading', { name: 'Messages', exact: true }))).toBe(1);
    await expect.poll(() => place(page, 'Messages').getAttribute('aria-current')).toBe('page');
    expect(await place(page, 'Tickets').getAttribute('aria-current')).toBeNull();

    // One pane at a time: a ticket opens on its own screen, with a way back.
    await place(page, 'Tickets').click();
    await visible(page.getByRole('link', { name: /^Printer on fire, Open/ })).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/tickets/${printer.id}`);
    await expect.poll(count(page.getByRole('heading', { name: 'Printer on fire', exact: true }))).toBe(1);
    expect(await count(page.getByRole('link', { name: /^VAT missing on invoice/ }))()).toBe(0);
    await screenshot(page, 'layout-phone-ticket');
  });

  it('at 900 px keeps a slim side rail but opens a ticket on its own', { timeout: 60_000 }, async () => {
    const { page } = await e2e.person({ viewport: TABLET });
    await signInInApp(page, 'alex');
    expect(await count(page.getByTestId('side-nav'))()).toBe(1);
    expect(await count(page.getByTestId('tab-bar'))()).toBe(0);
    await visible(page.getByRole('link', { name: /^Printer on fire, Open/ })).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe(`/tickets/${printer.id}`);
    await expect.poll(count(page.getByRole('heading', { name: 'Printer on fire', exact: true }))).toBe(1);
    expect(await count(page.getByRole('link', { name: /^VAT missing on invoice/ }))()).toBe(0);
    expect(await place(page, 'Tickets').getAttribute('aria-current')).toBe('page');
    await screenshot(page, 'layout-tablet-ticket');
  });
});
