import fs from 'node:fs';
import type { DataExportMessage, Ticket } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as, openTicket } from '../../server/src/testing/test-desk';
import { unzipText } from '../../server/src/testing/unzip';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startSteppedE2E, visible } from './support';

/**
 * A customer takes a copy of her own data from her profile: the server builds it in the
 * background (the test steps its job queue), a notification arrives while she waits, and the
 * browser downloads a zip of her profile, her messages and her tickets.
 */
describe('your data in the app', () => {
  let e2e: E2E;
  let settle: () => Promise<void>;
  beforeAll(async () => {
    ({ e2e, settle } = await startSteppedE2E());
  });
  afterAll(() => e2e?.close());

  it(
    'a customer asks for her data, is told live when it is ready, and downloads the zip',
    { timeout: 90_000 },
    async () => {
      const { t } = e2e;
      const carla = await signUp(t, 'customer', { username: 'carla', displayName: 'Carla', password: PASSWORD });
      const dan = await signUp(t, 'customer', { username: 'dan', displayName: 'Dan', password: PASSWORD });
      const hers = await openTicket(t, carla, { subject: 'Export my invoices' });
      await as(t, carla).post(`/conversations/${hers.conversationId}/messages`, {
        clientMsgId: 'c-1',
        body: 'Any news?',
      });
      await openTicket(t, dan, { subject: 'Not for Carla' });

      const { page } = await e2e.person();
      await signInInApp(page, 'carla');
      await visible(page.getByRole('link', { name: 'Profile', exact: true }))
        .first()
        .click();
      const state = visible(page.getByTestId('data-export-state'));
      expect(await state.count()).toBe(0);

      // She asks; the server says it is on its way, and the button waits for it.
      const ask = visible(page.getByRole('button', { name: 'Download my data', exact: true }));
      await ask.click();
      await expect
        .poll(() => state.textContent())
        .toBe('Your copy is being prepared. You will get a notification when it is ready.');
      await expect.poll(() => ask.getAttribute('aria-disabled')).toBe('true');

      // The server builds it: the notification arrives live, and the section turns to the download.
      await settle();
      await expect.poll(count(page.getByLabel('1 Notifications', { exact: true }))).toBe(1);
      await expect
        .poll(() => state.textContent())
        .toMatch(/^Your copy is ready \(\d+ (B|KB)\)\. You can download it until /);
      // A new copy is still possible, as the lesser action beside the download.
      const again = visible(page.getByRole('button', { name: 'Make a new copy', exact: true }));
      expect(await again.getAttribute('aria-disabled')).toBeNull();
      expect(await seriousViolations(page)).toBe('');
      await screenshot(page, 'profile-data-export-ready');

      const link = visible(page.getByRole('button', { name: /^Download zip \(\d+ (B|KB)\)$/ }));
      const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
      expect(download.suggestedFilename()).toMatch(/^parley-data-\d{4}-\d\d-\d\d\.zip$/);
      const files = await unzipText(fs.readFileSync(await download.path()));
      expect([...files.keys()]).toEqual(['README.txt', 'profile.json', 'messages.json', 'tickets.json']);
      expect(JSON.parse(files.get('profile.json')!)).toMatchObject({ id: carla.user.id, email: carla.user.email });
      const messages = JSON.parse(files.get('messages.json')!) as DataExportMessage[];
      expect(messages.map((m) => m.body)).toEqual(['Any news?']);
      const tickets = JSON.parse(files.get('tickets.json')!) as Ticket[];
      expect(tickets.map((x) => x.subject)).toEqual(['Export my invoices']);

      // The notification says what it is, and leads back here.
      await visible(page.getByRole('link', { name: 'Notifications', exact: true }))
        .first()
        .click();
      const notice = visible(
        page.getByRole('link', { name: /^Your data is ready to download: see Profile → Your data, / }),
      );
      await expect.poll(count(notice)).toBe(1);
      await notice.click();
      await expect.poll(() => page.url()).toMatch(/\/profile$/);
      await expect.poll(count(page.getByLabel('1 Notifications', { exact: true }))).toBe(0);
    },
  );
});
