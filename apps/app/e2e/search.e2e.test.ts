import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../server/src/ids';
import { signUp } from '../../server/src/testing/test-app';
import { as, createTeam, openTicket } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

describe('search', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  it(
    'an agent types two words, walks the results with the keyboard, and lands on the message far up its thread, marked',
    { timeout: 120_000 },
    async () => {
      const { t } = e2e;
      const sam = await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
      const cora = await signUp(t, 'customer', { username: 'cora', displayName: 'Cora Customer' });
      const support = await createTeam(t, 'Support', [sam], { category: 'Printing' });
      const ticket = await openTicket(t, cora, {
        subject: 'Printer on fire',
        description: 'Smoke from the back',
        teamId: support,
      });
      const say = async (body: string) => {
        const answer = await as(t, cora).post(`/conversations/${ticket.conversationId}/messages`, {
          clientMsgId: newId(),
          body,
        });
        expect(answer.statusCode, answer.body).toBe(201);
      };
      // The message to find, then more than a page of history after it.
      await say('The fuser unit smells of ozone since the update');
      for (let i = 1; i <= 70; i++) await say(`Status update number ${i}`);

      const page = (await e2e.person({ viewport: { width: 1440, height: 900 } })).page;
      await signInInApp(page, 'sam');
      await visible(page.getByRole('link', { name: 'Search', exact: true }))
        .first()
        .click();
      const field = page.getByLabel('Search tickets, messages and people', { exact: true });
      await field.fill('fuser ozo'); // "ozo" is still being typed: it matches "ozone"

      const result = visible(page.getByRole('link', { name: /^Cora Customer · Printer on fire · .*The fuser unit/ }));
      await expect.poll(() => result.count(), { timeout: 10_000 }).toBe(1);
      const marks = await result
        .locator('span, div')
        .evaluateAll((nodes) =>
          nodes
            .filter((n) => n.childElementCount === 0 && getComputedStyle(n).fontWeight === '700')
            .map((n) => n.textContent),
        );
      expect(marks).toEqual(['fuser', 'ozone']);
      // Operators are chips: switching one on narrows the query.
      const chip = page.getByRole('checkbox', { name: 'is:dm', exact: true });
      await chip.click();
      await expect.poll(() => field.inputValue()).toBe('is:dm fuser ozo');
      await expect.poll(() => page.getByText('Nothing found.', { exact: true }).count()).toBe(1);
      await chip.click();
      await expect.poll(() => result.count()).toBe(1);
      await screenshot(page, 'wide-search-light', { forDocs: true });
      expect(await seriousViolations(page)).toBe('');

      // The keyboard: from the field down to the result, Enter opens it.
      await field.focus();
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => result.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.keyboard.press('Enter');

      await expect.poll(() => page.url()).toMatch(new RegExp(`/tickets/${ticket.id}\\?seq=1$`));
      const found = thread(page).locator('[aria-current="true"]');
      await expect.poll(() => found.count(), { timeout: 15_000 }).toBe(1);
      expect(await found.getAttribute('aria-label')).toContain('The fuser unit smells of ozone');
      await expect.poll(() => found.evaluate((el) => el === document.activeElement)).toBe(true);
      const box = (await found.boundingBox())!;
      expect(box.y).toBeGreaterThan(0);
      expect(box.y + box.height).toBeLessThan(900);
      // The history after it is there too, to the newest message.
      await expect.poll(() => thread(page).getByText('Status update number 70', { exact: true }).count()).toBe(1);
      await screenshot(page, 'wide-search-found-light');
    },
  );
});
