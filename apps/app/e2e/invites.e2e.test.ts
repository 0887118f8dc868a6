import type { Session } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, DEMO_SECOND_WORKSPACE } from '../../server/src/db/seed';
import { registerUser, signIn } from '../../server/src/testing/test-app';
import { as } from '../../server/src/testing/test-desk';
import { seriousViolations } from './axe';
import { count, type E2E, PASSWORD, screenshot, signInInApp, startDemoE2E, visible } from './support';

describe('an admin invites an agent by link', () => {
  let e2e: E2E;
  beforeAll(async () => {
    ({ e2e } = await startDemoE2E());
  });
  afterAll(() => e2e?.close());

  it(
    'a newcomer registers through a single-use link and is an agent; the link then stops working; a rename reaches them live',
    { timeout: 180_000 },
    async () => {
      // Where Ada lands when she signs in without naming a workspace: the same one the app does.
      const login = await e2e.t.app.inject({
        method: 'POST',
        url: '/auth/login',
        payload: { login: 'ada', password: DEMO_PASSWORD },
      });
      const { workspace } = login.json<Session>().user;

      const { context: adaContext, page: ada } = await e2e.person();
      await adaContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.baseUrl });
      await signInInApp(ada, 'ada', DEMO_PASSWORD);
      await visible(ada.getByRole('link', { name: 'Admin', exact: true })).click();
      await visible(ada.getByRole('radio', { name: 'Invites', exact: true })).click();
      await visible(ada.getByRole('radio', { name: 'Agent', exact: true })).click();
      expect(await ada.getByRole('radio', { name: 'One person', exact: true }).getAttribute('aria-checked')).toBe(
        'true',
      );
      await ada.getByRole('button', { name: 'Create invite', exact: true }).click();
      const shown = ada.getByTestId('invite-link');
      await expect.poll(count(shown)).toBe(1);
      const link = (await shown.textContent()) ?? '';
      expect(link).toMatch(new RegExp(`^${e2e.baseUrl}/join/[A-Za-z0-9_-]{20,}$`));
      await ada.getByRole('button', { name: 'Copy link', exact: true }).click();
      await expect.poll(count(ada.getByText('Copied.', { exact: true }))).toBe(1);
      expect(await ada.evaluate(() => navigator.clipboard.readText())).toBe(link);
      await expect.poll(count(ada.getByText('Agent · active', { exact: true }))).toBe(1);
      await expect.poll(count(ada.getByText(/^0 of 1 used · works until /))).toBe(1);
      await screenshot(ada, 'admin-invites');
      expect(await seriousViolations(ada)).toBe('');

      // Someone new opens it: the workspace and the role, and a form to register into it.
      const newcomer = (await e2e.person()).page;
      await newcomer.goto(link);
      await expect.poll(count(newcomer.getByTestId('join-workspace'))).toBe(1);
      expect(await visible(newcomer.getByTestId('join-workspace')).textContent()).toBe(workspace.name);
      await expect.poll(count(newcomer.getByText('You are invited as Agent.', { exact: true }))).toBe(1);
      expect(await seriousViolations(newcomer)).toBe('');
      await newcomer.getByLabel('Email', { exact: true }).fill('nina@example.com');
      await newcomer.getByLabel('Username', { exact: true }).fill('nina');
      await newcomer.getByLabel('Display name (optional)').fill('Nina New');
      await newcomer.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await newcomer.getByRole('button', { name: 'Create account', exact: true }).click();
      await expect.poll(count(newcomer.getByRole('navigation', { name: 'Main navigation' }))).toBe(1);
      await expect.poll(() => newcomer.url()).toBe(`${e2e.baseUrl}/`);
      const nina = await signIn(e2e.t, 'nina', workspace.slug, PASSWORD);
      expect(nina.user.role).toBe('agent');
      expect(nina.user.workspace.id).toBe(workspace.id);

      // The link was for one person: anyone else who follows it is told so.
      const latecomer = (await e2e.person()).page;
      await latecomer.goto(link);
      await expect
        .poll(count(latecomer.getByText('This invite is no longer valid. Ask whoever sent it for a new one.')))
        .toBe(1);
      await expect.poll(count(latecomer.getByLabel('Email', { exact: true }))).toBe(0);

      // Ada renames the workspace; Nina's open app shows the new name (its tab's title) without a reload.
      await expect.poll(() => newcomer.title()).toContain(workspace.name);
      await visible(ada.getByRole('radio', { name: 'Workspace', exact: true })).click();
      const name = visible(ada.getByLabel('Workspace name', { exact: true }));
      await expect.poll(() => name.inputValue()).toBe(workspace.name);
      await name.fill('Northwind Help');
      await ada.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(count(ada.getByText('Saved.', { exact: true }))).toBe(1);
      await expect.poll(() => newcomer.title()).toContain('Northwind Help');
      // On the rail, the mark shows "NH": the switcher's button is named "NH, Northwind Help".
      await expect.poll(count(ada.getByRole('button', { name: 'NH, Northwind Help', exact: true }))).toBe(1);
      expect(await seriousViolations(ada)).toBe('');
      await screenshot(ada, 'admin-workspace');
    },
  );

  it(
    'someone with an account signs in from the link, comes back to it, and joins: the app moves to that workspace',
    { timeout: 120_000 },
    async () => {
      const acmeAdmin = await signIn(e2e.t, 'ada', DEMO_SECOND_WORKSPACE.slug, DEMO_PASSWORD);
      const created = await as(e2e.t, acmeAdmin).post('/invites', { role: 'agent', expiresInHours: 2 });
      const { path } = created.json<{ path: string }>();
      const omar = await registerUser(e2e.t.app, { username: 'omar', email: 'omar@example.com', password: PASSWORD });

      const { page } = await e2e.person();
      await page.goto(path);
      await expect.poll(count(page.getByText('You are invited as Agent.', { exact: true }))).toBe(1);
      await visible(page.getByRole('button', { name: 'I have an account: sign in', exact: true })).click();
      await visible(page.getByLabel('Email or username', { exact: true })).fill('omar');
      await visible(page.getByLabel('Password', { exact: true })).fill(PASSWORD);
      await visible(page.getByRole('button', { name: 'Sign in', exact: true })).click();
      // Back on the invite, now as Omar: one button joins.
      await expect.poll(() => page.url()).toBe(`${e2e.baseUrl}${path}`);
      const join = visible(page.getByRole('button', { name: `Join ${DEMO_SECOND_WORKSPACE.name}`, exact: true }));
      await expect.poll(() => join.count()).toBe(1);
      await join.click();
      await expect.poll(() => page.url()).toBe(`${e2e.baseUrl}/`);
      await expect.poll(() => page.title()).toContain(DEMO_SECOND_WORKSPACE.name);
      const there = await signIn(e2e.t, 'omar', DEMO_SECOND_WORKSPACE.slug, PASSWORD);
      expect(there.user).toMatchObject({ id: omar.user.id, role: 'agent' });
    },
  );
});
