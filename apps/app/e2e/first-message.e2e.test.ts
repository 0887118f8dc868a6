import type { Conversation, Session } from '@parley/protocol';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bearer, signUp } from '../../server/src/testing/test-app';
import { count, type E2E, registerInApp, screenshot, startE2E, visible } from './support';

/** What is on screen now (native-stack keeps earlier screens mounted but hidden). */
const nav = (page: Page, name: string) =>
  visible(page.getByRole('link', { name, exact: true }))
    .first()
    .click();

describe('a first direct message from someone new', () => {
  let e2e: E2E;
  let page: Page | undefined;
  beforeAll(async () => {
    e2e = await startE2E();
  });
  afterAll(() => e2e?.close());
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) await screenshot(page, 'first-message-failure');
  });

  it('shows up live in the Messages list, unread and notified, and opens to the message', async () => {
    // Ada, an agent, writes from another device (the API); Bo watches his Messages list.
    const ada: Session = await signUp(e2e.t, 'agent', { username: 'ada', displayName: 'Ada Agent' });
    ({ page } = await e2e.person());
    await registerInApp(page, {
      email: 'bob@example.com',
      username: 'bob',
      displayName: 'Bob',
      password: 'bo password 1',
    });
    await expect.poll(count(page.getByRole('heading', { name: 'My tickets', exact: true }))).toBe(1);
    await nav(page, 'Messages');
    await expect.poll(count(page.getByRole('heading', { name: 'Messages', exact: true }))).toBe(1);

    const { id: bobId } = await e2e.t.database.db
      .selectFrom('users')
      .select('id')
      .where('usernameKey', '=', 'bob')
      .executeTakeFirstOrThrow();
    const opened = await e2e.t.app.inject({
      method: 'POST',
      url: '/conversations/direct',
      headers: bearer(ada),
      payload: { userId: bobId },
    });
    const conversation = opened.json<Conversation>();
    await e2e.t.app.inject({
      method: 'POST',
      url: `/conversations/${conversation.id}/messages`,
      headers: bearer(ada),
      payload: { clientMsgId: 'hello-bo', body: 'Hi Bo, nice to meet you' },
    });

    // No refresh: the row appears with the message, unread, and the bell counts it.
    const row = visible(page.getByRole('link', { name: /^Ada Agent, .*, Hi Bo, nice to meet you, 1 unread$/ }));
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(count(page.getByLabel('1 Notifications', { exact: true }))).toBe(1);
    await screenshot(page, 'first-message-live');

    // Opening it shows the message; reading it answers the notification.
    await row.click();
    await expect.poll(() => page!.url()).toMatch(new RegExp(`/messages/${conversation.id}$`));
    await expect.poll(count(page.getByTestId('message').getByText('Hi Bo, nice to meet you', { exact: true }))).toBe(1);
    await expect.poll(count(page.getByLabel('1 Notifications', { exact: true }))).toBe(0);
  });
});
