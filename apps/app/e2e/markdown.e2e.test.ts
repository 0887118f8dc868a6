import type { Conversation, Session } from '@parley/protocol';
import type { Dialog, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { darkCode, lightCode } from '../src/theme/code-palette';
import { seriousViolations } from './axe';
import { count, type E2E, openChatAs, openDirect, screenshot, startE2E, visible } from './support';

const composer = (page: Page) => visible(page.getByRole('textbox', { name: 'Write a message', exact: true }));
const messageRow = (page: Page, text: string) => visible(page.getByTestId('message').filter({ hasText: text }));

/** A CSS property of the one element whose own words are exactly `text`, inside `scope`. */
const cssOf = (scope: Locator, text: string, property: string) =>
  scope
    .getByText(text, { exact: true })
    .first()
    .evaluate((el, name) => getComputedStyle(el).getPropertyValue(name), property);

/** `#rrggbb` as getComputedStyle reports it. */
const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

const RICH = [
  '**Bold news**, _slanted words_ and `npm ci`',
  '```ts',
  'const answer: number = 42;',
  '```',
  '- first item',
  '- second item',
  '',
  '> a wise quote',
  '',
  'See [the docs](https://example.com/docs)',
].join('\n');

const HOSTILE = [
  'Hostile: <img src=x onerror=alert(1)> <script>alert(2)</script>',
  '[click me](javascript:alert(3)) <javascript:alert(4)> [again](jav&#x61;script:alert(5))',
  '![pic](data:text/html,<script>alert(6)</script>) <a href="javascript:alert(7)">raw</a>',
].join('\n');

describe('markdown in chat messages', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());

  const openChat = (who: Session, conversation: Conversation, colorScheme: 'light' | 'dark') =>
    openChatAs(e2e, who, conversation, { colorScheme });

  it(
    '[MD1-MD8] a message written in markdown shows formatted on both sides, light and dark, and hostile markup stays inert text',
    { timeout: 120_000 },
    async () => {
      const ada = await signUp(e2e.t, 'agent', { username: 'ada', displayName: 'Ada Agent' });
      const bo = await signUp(e2e.t, 'agent', { username: 'bob', displayName: 'Bo Brown' });
      const conversation = await openDirect(e2e.t, ada, bo);
      const ap = await openChat(ada, conversation, 'light');
      const bp = await openChat(bo, conversation, 'dark');
      const dialogs: string[] = [];
      for (const page of [ap, bp]) {
        page.on('dialog', (dialog: Dialog) => {
          dialogs.push(dialog.message());
          void dialog.dismiss();
        });
      }

      // Ada writes with the markup people type; Bo sees it formatted.
      await composer(ap).fill(RICH);
      await composer(ap).press('Enter');
      for (const [page, code] of [
        [bp, darkCode],
        [ap, lightCode],
      ] as const) {
        const row = messageRow(page, 'Bold news');
        await expect.poll(count(row)).toBe(1);
        expect(await cssOf(row, 'Bold news', 'font-weight')).toBe('700');
        expect(await cssOf(row, 'slanted words', 'font-style')).toBe('italic');
        expect(await cssOf(row, 'npm ci', 'font-family')).toContain('monospace');
        // The fenced block: monospace, its keyword coloured once the grammars' chunk has loaded.
        await expect.poll(() => cssOf(row, 'const', 'color')).toBe(rgb(code.keyword));
        expect(
          await row
            .getByText('const', { exact: true })
            .evaluate((el) => getComputedStyle(el.parentElement!).fontFamily),
        ).toContain('monospace');
        expect(await row.getByRole('listitem').count()).toBe(2);
        expect(await row.getByText('a wise quote', { exact: true }).count()).toBe(1);
        const link = row.getByRole('link', { name: 'the docs', exact: true });
        expect(await link.evaluate((el) => el.tagName)).toBe('A');
        expect(await link.getAttribute('href')).toBe('https://example.com/docs');
        expect(await link.getAttribute('target')).toBe('_blank');
        expect(await link.getAttribute('rel')).toContain('noopener');
      }
      // Lists, quotes, code cards and links pass axe in both themes (contrast included).
      expect(await seriousViolations(bp)).toBe('');
      expect(await seriousViolations(ap)).toBe('');
      await screenshot(bp, 'wide-markdown-chat-dark', { forDocs: true });
      await screenshot(ap, 'markdown-chat-light');

      // Bo tries HTML and script links: every one of them shows as the words he typed.
      await composer(bp).fill(HOSTILE);
      await composer(bp).press('Enter');
      for (const page of [ap, bp]) {
        const row = messageRow(page, 'Hostile:');
        await expect.poll(count(row)).toBe(1);
        const text = await row.textContent();
        expect(text).toContain('<img src=x onerror=alert(1)>');
        expect(text).toContain('[click me](javascript:alert(3))');
        // The bubble holds words only (the row beside it has the sender's avatar, an image).
        const bubble = row
          .getByText(/^Hostile:/)
          .first()
          .locator('xpath=..');
        expect(await bubble.locator('img, script, iframe, object, embed, a').count()).toBe(0);
        expect(await page.locator('img[src="x"], img[onerror], script:text("alert")').count()).toBe(0);
        // Anywhere on the page: no script URL in any link or source (the app's own icons are data:image).
        const scriptUrls = await page.evaluate(() =>
          Array.from(document.querySelectorAll('[href], [src]'))
            .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? '')
            .filter((url) => /^\s*(javascript|vbscript|data:text)/i.test(url)),
        );
        expect(scriptUrls).toEqual([]);
      }
      await ap.waitForTimeout(500);
      expect(dialogs).toEqual([]);
      await screenshot(ap, 'markdown-chat-hostile');
    },
  );
});
