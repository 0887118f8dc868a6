import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatWidget } from '@parley/protocol';
import type { FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../../server/src/testing/test-app';
import { as } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startE2E, thread, visible } from './support';

/** A shop on another origin than Parley's, whose page is whatever the test puts there. */
async function startShop(): Promise<{ origin: string; setPage(html: string): void; close(): Promise<void> }> {
  let page = '';
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setPage: (html) => void (page = html),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The iframe's size on the page, as the loader set it. */
const sizeOf = async (page: Page) => {
  const box = await page.locator('iframe[title="Chat"]').boundingBox();
  return box && { width: Math.round(box.width), height: Math.round(box.height) };
};

/** True once the element has the frame's focus. */
const isFocused = (frame: FrameLocator, name: string) => () =>
  frame
    .getByRole('button', { name, exact: true })
    .or(frame.getByRole('textbox', { name, exact: true }))
    .evaluate((element) => element === element.ownerDocument.activeElement);

/** A visitor of a shop chats with its support through the widget; an agent answers in the app. */
describe('the website chat widget', () => {
  let e2e: E2E;
  let shop: Awaited<ReturnType<typeof startShop>>;
  beforeAll(async () => {
    // A light proof of work: the suite's browsers share a busy machine.
    e2e = await startE2E({ WIDGET_POW_BITS: '8' });
    shop = await startShop();
  });
  afterAll(async () => {
    await shop?.close();
    await e2e?.close();
  });

  it(
    'a visitor asks on the shop, the answer arrives live, a reload keeps the chat; phones get it full screen, verified customers no form',
    { timeout: 120_000 },
    async () => {
      const { t, baseUrl } = e2e;
      const ada = await signUp(t, 'admin', { username: 'ada', displayName: 'Ada Admin', password: PASSWORD });
      await signUp(t, 'agent', { username: 'sam', displayName: 'Sam Agent', password: PASSWORD });
      const look = await as(t, ada).patch('/workspace', { name: 'Acme', accentColor: '#0f766e' });
      expect(look.statusCode, look.body).toBe(200);
      const created = await as(t, ada).post('/widgets', {
        name: 'Shop',
        allowedOrigins: [shop.origin],
        greeting: 'Hi! Ask us anything.',
      });
      expect(created.statusCode, created.body).toBe(201);
      const widget = created.json<ChatWidget>();
      shop.setPage(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme shop</title></head>
<body><h1>Acme shop</h1><p>Boots, hats and coats.</p>
<script src="${baseUrl}/widget.js" data-parley-key="${widget.key}" async></script>
</body></html>`);

      // The shop's page: the loader adds the bubble, in the workspace's colour.
      const visitor = await e2e.person();
      const vp = visitor.page;
      await vp.goto(shop.origin);
      const frame = vp.frameLocator('iframe[title="Chat"]');
      const launcher = frame.getByRole('button', { name: 'Open chat', exact: true });
      await expect.poll(() => launcher.count()).toBe(1);
      await expect.poll(() => sizeOf(vp)).toEqual({ width: 72, height: 72 });
      expect(await launcher.getAttribute('aria-expanded')).toBe('false');
      // The shop's own page cannot resize the frame: only the frame's messages count. Messages
      // arrive in order, so once the second is heard the loader has ignored the first.
      await vp.evaluate(
        () =>
          new Promise<void>((resolve) => {
            window.postMessage({ parley: 'resize', open: true }, '*');
            window.addEventListener('message', (event) => event.data === 'done' && resolve());
            window.postMessage('done', '*');
          }),
      );
      expect(await sizeOf(vp)).toEqual({ width: 72, height: 72 });

      // Opening: the dialog with the greeting, the message box focused; Escape closes it and
      // gives the focus back to the launcher.
      await launcher.click();
      const dialog = frame.getByRole('dialog', { name: 'Chat with Acme', exact: true });
      await expect.poll(() => dialog.count()).toBe(1);
      await expect.poll(() => sizeOf(vp)).toEqual({ width: 400, height: 640 });
      await expect.poll(() => dialog.getByText('Hi! Ask us anything.').count()).toBe(1);
      await expect.poll(isFocused(frame, 'Message')).toBe(true);
      await vp.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(() => sizeOf(vp)).toEqual({ width: 72, height: 72 });
      await expect.poll(isFocused(frame, 'Open chat')).toBe(true);
      expect(await launcher.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(15, 118, 110)');

      // The visitor says who they are (optional) and asks.
      await vp.keyboard.press('Enter');
      await expect.poll(() => dialog.count()).toBe(1);
      await dialog.getByLabel('Name', { exact: true }).fill('Vera');
      await dialog.getByLabel('Email', { exact: true }).fill('vera@example.com');
      const message = dialog.getByRole('textbox', { name: 'Message', exact: true });
      await message.fill('Do you ship to Norway?');
      await message.press('Enter');
      const log = dialog.getByRole('log');
      await expect.poll(() => log.getByText('Do you ship to Norway?', { exact: true }).count()).toBe(1);
      await expect.poll(() => log.getByText('Sending…').count()).toBe(0);
      // The form was for the first message only.
      await expect.poll(() => dialog.getByRole('textbox', { name: 'Name', exact: true }).count()).toBe(0);
      expect(await seriousViolations(frameOf(vp))).toBe('');
      await screenshot(vp, 'widget-visitor-asks');

      // Sam finds the chat in the queue, from Vera, and answers; Vera sees him typing, then the answer.
      const ap = (await e2e.person()).page;
      await signInInApp(ap, 'sam');
      await visible(ap.getByRole('radiogroup', { name: 'Queue' }).getByRole('radio', { name: /^Unassigned/ })).click();
      // The row names who asked: the name from the pre-chat form.
      const row = ap.getByRole('link', { name: /^Do you ship to Norway\?, Open, Medium, Vera, / });
      // A freshly signed-in app's first queue load: as long as other first screens get (15 s) under a busy suite.
      await expect.poll(count(row), { timeout: 15_000 }).toBe(1);
      await visible(row).click();
      await expect.poll(() => ap.url()).toMatch(/\/tickets\/[0-9A-Z]{26}$/);
      await expect
        .poll(() => visible(ap.getByTestId('ticket-description')).textContent())
        .toContain('Do you ship to Norway?');
      const composer = visible(ap.getByRole('textbox', { name: /^Write a message/ }));
      await composer.click();
      await composer.pressSequentially('Yes, in 3 days.', { delay: 20 });
      await expect.poll(() => dialog.getByText('Support is typing…', { exact: true }).count()).toBe(1);
      await composer.press('Enter');
      await expect.poll(() => log.getByText('Yes, in 3 days.', { exact: true }).count()).toBe(1);
      await expect.poll(() => dialog.getByText('Support is typing…', { exact: true }).count()).toBe(0);
      await expect.poll(() => log.getByText('Support', { exact: true }).count()).toBe(1);

      // Vera's thanks goes over the socket; Sam reads it, and Vera sees it was seen.
      await message.fill('Great, thanks!');
      await dialog.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(count(thread(ap).getByText('Great, thanks!', { exact: true }))).toBe(1);
      await expect.poll(() => log.getByText('Seen', { exact: true }).count()).toBe(1);
      await screenshot(vp, 'widget-visitor-answered');

      // A reload keeps the chat: the stored guest comes back to the same conversation.
      await vp.reload();
      await expect.poll(() => launcher.count()).toBe(1);
      await launcher.click();
      await expect.poll(() => log.getByText('Yes, in 3 days.', { exact: true }).count()).toBe(1);
      expect(await log.getByText('Do you ship to Norway?', { exact: true }).count()).toBe(1);
      expect(await log.getByText('Great, thanks!', { exact: true }).count()).toBe(1);
      expect(await dialog.getByRole('textbox', { name: 'Name', exact: true }).count()).toBe(0);
      // And it is still live.
      await composer.fill('You are welcome!');
      await composer.press('Enter');
      await expect.poll(() => log.getByText('You are welcome!', { exact: true }).count()).toBe(1);

      // On a phone the open chat takes the whole screen; a new visitor there starts with the form.
      const phone = (await e2e.person({ viewport: { width: 375, height: 700 } })).page;
      await phone.goto(shop.origin);
      const phoneFrame = phone.frameLocator('iframe[title="Chat"]');
      await phoneFrame.getByRole('button', { name: 'Open chat', exact: true }).click();
      await expect.poll(() => sizeOf(phone)).toEqual({ width: 375, height: 700 });
      await expect.poll(() => phoneFrame.getByRole('textbox', { name: 'Name', exact: true }).count()).toBe(1);
      await screenshot(phone, 'widget-phone');

      // A signed-in customer of the shop comes verified (the shop's server signs their id): no form.
      const hash = createHmac('sha256', widget.identitySecret).update('customer-42').digest('hex');
      shop.setPage(
        `<!doctype html><html lang="en"><head><title>Acme account</title></head><body><h1>Your account</h1>` +
          `<script src="${baseUrl}/widget.js" data-parley-key="${widget.key}" data-user-id="customer-42" ` +
          `data-user-hash="${hash}" async></script></body></html>`,
      );
      const member = (await e2e.person()).page;
      await member.goto(shop.origin);
      const memberFrame = member.frameLocator('iframe[title="Chat"]');
      await memberFrame.getByRole('button', { name: 'Open chat', exact: true }).click();
      const memberBox = memberFrame.getByRole('textbox', { name: 'Message', exact: true });
      await expect.poll(() => memberBox.count()).toBe(1);
      expect(await memberFrame.getByRole('textbox', { name: 'Name', exact: true }).count()).toBe(0);
      await memberBox.fill('Where is my order?');
      await memberBox.press('Enter');
      await expect.poll(count(ap.getByRole('link', { name: /^Where is my order\?, Open, / }))).toBe(1);
    },
  );
});

/** The widget's frame, for axe (a Frame evaluates scripts just like a Page). */
function frameOf(page: Page): Page {
  const frame = page.frames().find((f) => f.url().includes('/widget-frame/'));
  if (!frame) throw new Error('no widget frame');
  return frame as unknown as Page;
}
