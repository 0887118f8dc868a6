import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { seriousViolations } from './axe';
import { count, type E2E, openAppAs, PHONE, screenshot, startE2E, thread, visible } from './support';

const composer = (page: Page) => visible(page.getByRole('textbox', { name: 'Write a message', exact: true }));
const button = (page: Page, name: string) => visible(page.getByRole('button', { name, exact: true }));
/** A row of the conversation list, by the name it starts with. */
const listRow = (page: Page, name: string) => visible(page.getByRole('link', { name: new RegExp(`^${name},`) }));
const line = (page: Page, text: string) => visible(thread(page).getByText(text, { exact: false }));
const title = (page: Page) => visible(page.getByTestId('chat-title')).textContent();

async function say(page: Page, text: string) {
  await composer(page).click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe('group conversations', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  let pages: Page[] = [];
  afterEach(async (context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const [i, page] of pages.entries()) await screenshot(page, `groups-failure-${i}`);
    pages = [];
  });

  it(
    '[RT-GROUPS] an agent starts a group, renames it for everyone live, and a removed member loses it at once',
    { timeout: 180_000 },
    async () => {
      const { t } = e2e;
      const ada = await signUp(t, 'agent', { username: 'ada', displayName: 'Ada Agent' });
      const bo = await signUp(t, 'customer', { username: 'bob', displayName: 'Bo Brown' });
      const cy = await signUp(t, 'agent', { username: 'cychen', displayName: 'Cy Chen' });

      // Bo (wide, the list beside the chat) and Cy (a phone) wait on their conversation lists.
      const bp = await openAppAs(e2e, bo, '/messages');
      const cp = await openAppAs(e2e, cy, '/messages', PHONE);
      const ap = await openAppAs(e2e, ada, '/messages');
      pages = [ap, bp, cp];

      // Ada starts the group: a name is needed first, then at least one person.
      await button(ap, 'New group').click();
      await button(ap, 'Create group').click();
      await expect.poll(count(ap.getByText('Enter a name for the group', { exact: true }))).toBe(1);
      await visible(ap.getByLabel('Group name', { exact: true })).fill('Launch crew');
      await visible(ap.getByLabel('Topic (optional)', { exact: true })).fill('Ship on Friday');
      await button(ap, 'Create group').click();
      await expect.poll(count(ap.getByText('Choose at least one person', { exact: true }))).toBe(1);
      // Staff find anyone of the workspace by name; a choice stays while the search changes.
      const search = visible(ap.getByLabel('Find people by name', { exact: true }));
      await search.fill('Bo');
      await visible(ap.getByRole('checkbox', { name: 'Bo Brown @bob', exact: true })).click();
      await search.fill('Cy');
      await visible(ap.getByRole('checkbox', { name: 'Cy Chen @cychen', exact: true })).click();
      expect(await visible(ap.getByRole('checkbox', { name: 'Bo Brown @bob' })).getAttribute('aria-checked')).toBe(
        'true',
      );
      await screenshot(ap, 'groups-new-group');
      await button(ap, 'Create group').click();

      // The group's chat opens for Ada, named, with its topic and the lines that started it.
      await expect.poll(() => ap.url()).toMatch(/\/messages\/[0-9A-Z]{26}$/);
      await expect.poll(() => title(ap)).toBe('Launch crew');
      expect(await visible(ap.getByTestId('chat-topic')).textContent()).toBe('Ship on Friday · 3 members');
      await expect.poll(count(line(ap, 'Ada Agent created the group "Launch crew"'))).toBe(1);
      await expect.poll(count(line(ap, 'Ada Agent added Bo Brown, Cy Chen'))).toBe(1);

      // Bo and Cy see it arrive in their lists, live, and open it.
      await expect.poll(count(listRow(bp, 'Launch crew'))).toBe(1);
      await listRow(bp, 'Launch crew').click();
      await expect.poll(() => title(bp)).toBe('Launch crew');
      await expect.poll(count(listRow(cp, 'Launch crew'))).toBe(1);
      await listRow(cp, 'Launch crew').click();
      await expect.poll(() => title(cp)).toBe('Launch crew');

      // Everyone talks in it: what one says reaches the two others live.
      await say(bp, 'Release notes are ready by Thursday');
      await say(cp, 'I will take the store listing');
      await expect.poll(count(line(ap, 'Release notes are ready by Thursday'))).toBe(1);
      await expect.poll(count(line(ap, 'I will take the store listing'))).toBe(1);
      await expect.poll(count(line(cp, 'Release notes are ready by Thursday'))).toBe(1);

      // Ada renames it from the group's info; every header follows, live.
      await button(ap, 'Group info').click();
      const info = visible(ap.getByTestId('group-info'));
      await expect.poll(count(info.getByTestId('member-bob'))).toBe(1);
      expect(await info.getByTestId('member-ada').textContent()).toContain('Admin');
      expect(await info.getByTestId('member-bob').textContent()).not.toContain('Admin');
      await button(ap, 'Edit the name and topic').click();
      const name = visible(ap.getByLabel('Group name', { exact: true }));
      await name.fill('Launch day crew');
      await name.press('Enter');
      for (const page of [ap, bp, cp]) await expect.poll(() => title(page)).toBe('Launch day crew');
      await expect.poll(count(line(cp, 'Ada Agent renamed the group to "Launch day crew"'))).toBe(1);
      await expect.poll(count(listRow(bp, 'Launch day crew'))).toBe(1);
      await screenshot(cp, 'groups-phone-chat');
      expect(await seriousViolations(ap)).toBe('');
      await screenshot(ap, 'wide-group-info-light', { forDocs: true });

      // Ada removes Bo (asked first) while Bo has the group open.
      await button(ap, 'Remove Bo Brown from the group').click();
      await visible(ap.getByTestId('confirm-remove-bob')).click();
      await expect.poll(count(info.getByTestId('member-bob'))).toBe(0);
      // Bo: the line saying so, then the group is over for him, without a reload.
      await expect.poll(count(line(bp, 'Ada Agent removed Bo Brown'))).toBe(1);
      await expect.poll(count(bp.getByTestId('group-ended'))).toBe(1);
      expect(await visible(bp.getByTestId('group-ended')).textContent()).toContain('You are no longer in this group.');
      await expect.poll(count(composer(bp))).toBe(0);
      await expect.poll(count(listRow(bp, 'Launch day crew'))).toBe(0);
      await expect.poll(count(button(bp, 'Group info'))).toBe(0);
      // The others see the line, and the group without him.
      await expect.poll(count(line(cp, 'Ada Agent removed Bo Brown'))).toBe(1);
      await expect.poll(() => visible(cp.getByTestId('chat-topic')).textContent()).toBe('Ship on Friday · 2 members');
      await screenshot(bp, 'groups-removed');

      // What Ada says next reaches Cy, and never Bo.
      await say(ap, 'Bo is off the launch now');
      await expect.poll(count(line(cp, 'Bo is off the launch now'))).toBe(1);
      await expect.poll(count(line(ap, 'Bo is off the launch now'))).toBe(1);
      expect(await visible(thread(bp).getByText('Bo is off the launch now')).count()).toBe(0);
      expect(await listRow(bp, 'Launch day crew').count()).toBe(0);

      // "Back to messages" takes Bo to his list, which has no trace of the group.
      await button(bp, 'Back to messages').click();
      await expect.poll(() => bp.url()).toMatch(/\/messages$/);
      expect(await listRow(bp, 'Launch day crew').count()).toBe(0);

      // Cy, on a phone: the info takes the thread's place. A member (not an admin) sees who is
      // in it, removes no one, and may leave, asked first.
      await button(cp, 'Group info').click();
      const cyInfo = visible(cp.getByTestId('group-info'));
      await expect.poll(count(cyInfo.getByTestId('member-ada'))).toBe(1);
      expect(await cyInfo.getByTestId('member-ada').textContent()).toContain('Admin');
      expect(await visible(cp.getByRole('button', { name: /^Remove / })).count()).toBe(0);
      expect(await composer(cp).count()).toBe(0);
      await button(cp, 'Leave group').click();
      await button(cp, 'Yes, leave').click();
      await expect.poll(() => cp.url()).toMatch(/\/messages$/);
      await expect.poll(count(listRow(cp, 'Launch day crew'))).toBe(0);
      await expect.poll(count(line(ap, 'Cy Chen left the group'))).toBe(1);
      await expect.poll(() => visible(ap.getByTestId('chat-topic')).textContent()).toBe('Ship on Friday · 1 member');
    },
  );
});
