import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createWorkspace,
  joinWorkspace,
  listen,
  setRole,
  signUp,
  startTestApp,
  type TestApp,
} from '../../../apps/server/src/testing/test-app';
import { createTeam } from '../../../apps/server/src/testing/test-desk';
import { ParleyError } from './errors';
import { createRestClient, type RestClientOptions } from './rest';
import { memoryStorage } from './storage';

let t: TestApp;
let baseUrl: string;
let counter = 0;

beforeAll(async () => {
  // Two-second access tokens, so a test can let one expire for real (JWT times are whole seconds:
  // a one-second token could expire the moment it arrives and be refreshed twice); no reuse
  // grace, so a used refresh token is dead at once (auth-routes.db.test.ts proves the grace).
  t = await startTestApp({ env: { ACCESS_TOKEN_TTL_SECONDS: '2', REFRESH_TOKEN_REUSE_GRACE_SECONDS: '0' } });
  baseUrl = await listen(t);
});

afterAll(async () => {
  await t.close();
});

/**
 * Until the server refuses this access token, or (`lastThird`) until the client deems it about
 * to expire and refreshes it before use (rest.ts).
 */
function waitForExpiry(accessToken: string, { lastThird = false } = {}) {
  const { iat, exp } = JSON.parse(Buffer.from(accessToken.split('.')[1]!, 'base64url').toString()) as {
    iat: number;
    exp: number;
  };
  const at = exp * 1000 - (lastThird ? ((exp - iat) * 1000) / 3 : 0);
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, at - Date.now()) + 50));
}

function client(options: Partial<RestClientOptions> = {}) {
  return createRestClient({ baseUrl, ...options });
}

/** A client signed in as a new user. */
async function signedIn(options: Partial<RestClientOptions> = {}) {
  counter += 1;
  const username = `rest${counter}_${process.pid}`;
  const api = client(options);
  const session = await api.auth.register({
    email: `${username}@example.com`,
    username,
    password: 'correct horse battery',
  });
  return { api, session, username };
}

/** A fetch that counts the refresh calls and otherwise is the real one. */
function countingFetch() {
  const counted = { refreshes: 0 };
  const fetchImpl: typeof fetch = (input, init) => {
    if (String(input).endsWith('/auth/refresh')) counted.refreshes += 1;
    return fetch(input, init);
  };
  return { counted, fetchImpl };
}

async function expectParleyError(promise: Promise<unknown>): Promise<ParleyError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParleyError);
  return error as ParleyError;
}

describe('rest client', () => {
  it('stores the session on register and login, and me.get works with it', async () => {
    const storage = memoryStorage();
    const { api, username } = await signedIn({ storage });
    expect(api.session.get()?.user?.username).toBe(username);
    expect((await api.me.get()).username).toBe(username);

    // A second client on the same storage picks the session up, as an app does after a restart.
    const restarted = client({ storage });
    expect((await restarted.me.get()).username).toBe(username);

    const other = client();
    const session = await other.auth.login({ login: username, password: 'correct horse battery' });
    expect(other.session.get()).toEqual(session);
    expect((await other.me.get()).id).toBe(session.user.id);
  });

  it('throws a typed ParleyError for invalid input and for a missing ticket', async () => {
    const { api } = await signedIn();
    const invalid = await expectParleyError(api.tickets.create({ subject: '', description: 'x' }));
    expect(invalid).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(invalid.details?.fields?.map((f) => f.path)).toContain('subject');

    const missing = await expectParleyError(api.tickets.get('01ARZ3NDEKTSV4RRFFQ69G5FAV'));
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
  });

  it('reports an unreachable server as a network error', async () => {
    const api = client({ baseUrl: 'http://127.0.0.1:1' });
    const error = await expectParleyError(api.teams.list());
    expect(error).toMatchObject({ status: 0, code: 'network' });
  });

  it('shares one refresh among ten parallel calls with an expired token', async () => {
    const { counted, fetchImpl } = countingFetch();
    const { api, session } = await signedIn({ fetch: fetchImpl });
    await waitForExpiry(session.accessToken);

    const answers = await Promise.all(Array.from({ length: 10 }, () => api.me.get()));
    expect(answers.map((me) => me.id)).toEqual(Array(10).fill(session.user.id));
    expect(counted.refreshes).toBe(1);
    expect(api.session.get()?.refreshToken).not.toBe(session.refreshToken);
  });

  describe('in several tabs sharing one storage', () => {
    /** What `navigator.locks.request` gives a browser: one holder of a name at a time. */
    function tabLock() {
      const tails = new Map<string, Promise<unknown>>();
      return <T>(name: string, task: () => Promise<T>): Promise<T> => {
        const run = (tails.get(name) ?? Promise.resolve()).then(task, task);
        tails.set(
          name,
          run.catch(() => undefined),
        );
        return run;
      };
    }

    it('a tab picks up the pair another tab refreshed instead of spending a used token', async () => {
      const storage = memoryStorage();
      const { counted, fetchImpl } = countingFetch();
      const onSignedOut = vi.fn();
      const { api: queueTab, username } = await signedIn({ storage, fetch: fetchImpl, onSignedOut });
      const ticketTab = client({ storage, fetch: fetchImpl, onSignedOut });
      await ticketTab.session.load();
      for (let expiry = 0; expiry < 3; expiry++) {
        await waitForExpiry(queueTab.session.get()!.accessToken);
        expect((await queueTab.me.get()).username).toBe(username);
        expect((await ticketTab.me.get()).username).toBe(username);
      }
      expect(counted.refreshes).toBe(3);
      expect(onSignedOut).not.toHaveBeenCalled();
    });

    it('two tabs whose tokens expire at the same moment refresh once, under the lock', async () => {
      const storage = memoryStorage();
      const lock = tabLock();
      const { counted, fetchImpl } = countingFetch();
      const onSignedOut = vi.fn();
      const { api: queueTab, username } = await signedIn({ storage, fetch: fetchImpl, onSignedOut, lock });
      const ticketTab = client({ storage, fetch: fetchImpl, onSignedOut, lock });
      await ticketTab.session.load();
      await waitForExpiry(ticketTab.session.get()!.accessToken);
      const answers = await Promise.all([queueTab.me.get(), ticketTab.me.get()]);
      expect(answers.map((me) => me.username)).toEqual([username, username]);
      expect(counted.refreshes).toBe(1);
      expect(onSignedOut).not.toHaveBeenCalled();
    });

    it('signing out in one tab signs the other out at its next refresh', async () => {
      const storage = memoryStorage();
      const onSignedOut = vi.fn();
      const { api: queueTab, session } = await signedIn({ storage });
      const ticketTab = client({ storage, onSignedOut });
      await ticketTab.session.load();
      await queueTab.auth.logout();
      await waitForExpiry(session.accessToken);
      expect((await expectParleyError(ticketTab.me.get())).status).toBe(401);
      expect(ticketTab.session.get()).toBeNull();
      expect(onSignedOut).toHaveBeenCalledOnce();
    });
  });

  it('signs out when the refresh token was already used', async () => {
    const onSignedOut = vi.fn();
    const storage = memoryStorage();
    const { api, session } = await signedIn({ storage, onSignedOut });
    // Another client with the same tokens refreshes first, so ours holds a used refresh token.
    const twin = client({ storage: memoryStorage() });
    await twin.session.set(session);
    await waitForExpiry(session.accessToken);
    await twin.me.get();

    const error = await expectParleyError(api.me.get());
    expect(error).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(api.session.get()).toBeNull();
    expect(await storage.getItem('parley.session')).toBeNull();
    expect(onSignedOut).toHaveBeenCalledOnce();
  });

  it('refreshes an expiring token for the socket, and returns null when signed out', async () => {
    const { counted, fetchImpl } = countingFetch();
    const { api, session } = await signedIn({ fetch: fetchImpl });
    // With less than a third of its life left, the socket gets a refreshed pair.
    await waitForExpiry(session.accessToken, { lastThird: true });
    expect(await api.accessToken()).toEqual(expect.any(String));
    expect(counted.refreshes).toBe(1);
    expect(api.session.get()?.refreshToken).not.toBe(session.refreshToken);
    await api.auth.logout();
    expect(await api.accessToken()).toBeNull();
  });

  it('logout clears the tokens and ends the session on the server', async () => {
    const { api, session } = await signedIn();
    await api.auth.logout();
    expect(api.session.get()).toBeNull();

    // The refresh token no longer works: a client still holding it is signed out on its first 401.
    const { counted, fetchImpl } = countingFetch();
    const onSignedOut = vi.fn();
    const stale = client({ fetch: fetchImpl, onSignedOut });
    await stale.session.set(session);
    await waitForExpiry(session.accessToken);
    const error = await expectParleyError(stale.me.get());
    expect(error.status).toBe(401);
    expect(counted.refreshes).toBe(1);
    expect(onSignedOut).toHaveBeenCalledOnce();
  });

  it('logout clears the tokens even when the server cannot be reached', async () => {
    const storage = memoryStorage();
    await signedIn({ storage });
    const api = client({ storage, fetch: () => Promise.reject(new TypeError('offline')) });
    await api.auth.logout();
    expect(api.session.get()).toBeNull();
  });

  it('registers this device for push, lists it, and unregisters it', async () => {
    const { api } = await signedIn();
    const { webPublicKey } = await client().push.config();
    expect(webPublicKey).toBe(t.config.push.vapid.publicKey);
    const device = await api.push.register({ kind: 'expo', token: `ExponentPushToken[sdk${counter}]` });
    expect(device).toMatchObject({ kind: 'expo', lastUsedAt: null });
    expect((await api.push.devices()).items).toEqual([device]);
    await api.push.unregister(device.id);
    expect((await api.push.devices()).items).toEqual([]);
    await expect(api.push.unregister(device.id)).rejects.toMatchObject({ status: 404 });
  });

  it('uploads an avatar', async () => {
    const { api } = await signedIn();
    const png = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#3366ff' } })
      .png()
      .toBuffer();
    const { avatarUrl } = await api.me.setAvatar(new Blob([new Uint8Array(png)], { type: 'image/png' }), 'a.png');
    expect(avatarUrl).toMatch(/^\/avatars\/[0-9a-f]{32}$/);
    expect(api.session.get()?.user?.avatarUrl).toBe(avatarUrl);
    expect((await api.me.get()).avatarUrl).toBe(avatarUrl);
  });

  it('defines a role and gives it to someone by its id', async () => {
    const admin = await signedIn();
    await setRole(t, admin.session, 'admin');
    await admin.api.auth.login({ login: admin.username, password: 'correct horse battery' });
    const clerk = await signedIn();
    const role = await admin.api.roles.create({ name: `Clerk ${counter}`, permissions: ['tickets.work'] });
    expect(role).toMatchObject({ builtIn: null, permissions: ['tickets.work'], memberCount: 0 });
    const given = await admin.api.users.update(clerk.session.user.id, { roleId: role.id });
    expect(given).toMatchObject({ roleId: role.id, roleName: `Clerk ${counter}`, role: 'agent' });
    const renamed = await admin.api.roles.update(role.id, { name: `Clerks ${counter}` });
    expect(renamed).toMatchObject({ name: `Clerks ${counter}`, memberCount: 1 });
    expect((await admin.api.roles.list()).items.map((r) => r.name)).toContain(`Clerks ${counter}`);
    await expect(admin.api.roles.remove(role.id)).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await admin.api.users.update(clerk.session.user.id, { role: 'customer' });
    await admin.api.roles.remove(role.id);
    expect((await admin.api.roles.list()).items.map((r) => r.id)).not.toContain(role.id);
  });

  it('runs a ticket from customer to agent', async () => {
    const customer = await signedIn();
    const agent = await signedIn();
    await setRole(t, agent.session, 'agent');
    // The session's user says the role it was signed in with: sign in again for the new one.
    await agent.api.auth.login({ login: agent.username, password: 'correct horse battery' });
    // Agents see the tickets of their teams; the customer picks the team's category, never its name.
    const teamId = await createTeam(t, `Support ${counter}`, [agent.session], { category: `Printing ${counter}` });
    expect(await customer.api.ticketCategories.list()).toMatchObject({
      items: expect.arrayContaining([{ id: teamId, label: `Printing ${counter}` }]),
    });
    await expect(customer.api.teams.list()).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    expect((await customer.api.settings.get()).customersMayChooseUrgent).toBe(false);

    const ticket = await customer.api.tickets.create({ subject: 'Printer on fire', description: 'Really.', teamId });
    expect(ticket).toMatchObject({ status: 'open', priority: 'medium', requesterId: customer.session.user.id });

    const page = await agent.api.tickets.list({ status: 'open', q: 'printer', limit: 10 });
    expect(page.items.map((item) => item.id)).toContain(ticket.id);

    const taken = await agent.api.tickets.update(ticket.id, {
      assigneeId: agent.session.user.id,
      status: 'in_progress',
    });
    expect(taken).toMatchObject({ status: 'in_progress', assigneeId: agent.session.user.id });

    const reply = await agent.api.conversations.send(ticket.conversationId, { clientMsgId: 'reply-1', body: 'On it.' });
    const thread = await customer.api.conversations.messages(ticket.conversationId, { afterSeq: 0 });
    expect(thread.items.map((m) => m.id)).toContain(reply.id);
    expect((await customer.api.tickets.get(ticket.id)).status).toBe('in_progress');
  });
});

describe("a workspace's settings and invites", () => {
  it('an admin renames and brands the workspace, invites an agent, and the invite works once', async () => {
    const admin = await signedIn();
    await setRole(t, admin.session, 'admin');
    await admin.api.auth.login({ login: admin.username, password: 'correct horse battery' });
    const before = await admin.api.workspace.get();
    const renamed = await admin.api.workspace.update({ name: `Acme ${counter}`, accentColor: '#FFCC00' });
    expect(renamed).toMatchObject({ name: `Acme ${counter}`, accentColor: '#ffcc00', openSignup: before.openSignup });
    const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#ffcc00' } })
      .png()
      .toBuffer();
    const { logoUrl } = await admin.api.workspace.setLogo(
      new Blob([new Uint8Array(png)], { type: 'image/png' }),
      'l.png',
    );
    expect((await admin.api.workspace.get()).logoUrl).toBe(logoUrl);

    const created = await admin.api.invites.create({ role: 'agent', maxUses: 1, expiresInHours: 24 });
    expect(created.path).toBe(`/join/${created.token}`);
    expect(await client().invites.preview(created.token)).toEqual({
      workspace: { name: `Acme ${counter}`, logoUrl, accentColor: '#ffcc00' },
      role: { name: 'Agent' },
    });

    // A newcomer registers with it and lands in the workspace as an agent; the link is then spent.
    const newcomer = client();
    const joined = await newcomer.auth.register({
      email: `newcomer${counter}@example.com`,
      username: `newcomer${counter}_${process.pid}`,
      password: 'correct horse battery',
      invite: created.token,
    });
    expect(joined.user).toMatchObject({ role: 'agent', workspace: { id: before.id } });
    await expect(client().invites.preview(created.token)).rejects.toMatchObject({ status: 404 });
    const [listed] = (await admin.api.invites.list()).items;
    expect(listed).toMatchObject({ id: created.invite.id, uses: 1, usesLeft: 0, state: 'used_up' });

    await admin.api.workspace.removeLogo();
    expect((await admin.api.workspace.get()).logoUrl).toBeNull();
    const revoked = await admin.api.invites.create({ role: 'customer', maxUses: null, expiresInHours: 1 });
    await admin.api.invites.revoke(revoked.invite.id);
    await expect(client().invites.preview(revoked.token)).rejects.toMatchObject({ status: 404 });
  });

  it('someone signed in elsewhere joins with an invite and the session moves there', async () => {
    const { api, session } = await signedIn();
    const other = await createWorkspace(t, `invited-${counter}-${process.pid}`, 'Invited Org');
    const owner = await signUp(t, 'admin', { workspace: other.slug });
    const inviter = client();
    await inviter.auth.login({ login: owner.user.username, password: 'correct horse battery', workspace: other.slug });
    const { token } = await inviter.invites.create({ role: 'agent', expiresInHours: 2 });

    const joined = await api.auth.join({ invite: token });
    expect(joined.user.workspace.name).toBe('Invited Org');
    expect(api.session.get()?.accessToken).toBe(joined.accessToken);
    const { items } = await api.me.workspaces();
    expect(items.map((i) => [i.workspace.id, i.current, i.role])).toEqual(
      expect.arrayContaining([
        [session.user.workspace.id, false, 'customer'],
        [other.id, true, 'agent'],
      ]),
    );
  });
});

describe('a person in two workspaces', () => {
  it('lists both with the unread count of each, and switches into the other one', async () => {
    const { api, session, username } = await signedIn();
    const home = session.user.workspace;
    const other = await createWorkspace(t, `other-${counter}-${process.pid}`, 'Other Org');
    await joinWorkspace(t, session, other.slug, 'agent');
    // Someone in the other workspace writes to them: an unread entry there, none at home.
    const colleague = await signUp(t, 'agent', { workspace: other.slug });
    const writer = client();
    await writer.auth.login({
      login: colleague.user.username,
      password: 'correct horse battery',
      workspace: other.slug,
    });
    const chat = await writer.conversations.openDirect(session.user.id);
    await writer.conversations.send(chat.id, { clientMsgId: 'hello-1', body: 'Welcome aboard', attachmentIds: [] });

    await vi.waitFor(async () => {
      const { items } = await api.me.workspaces();
      expect(items.map((i) => [i.workspace.name, i.current, i.role, i.unreadCount])).toEqual(
        expect.arrayContaining([
          [home.name, true, 'customer', 0],
          ['Other Org', false, 'agent', 1],
        ]),
      );
      expect(items).toHaveLength(2);
    });

    const switched = await api.auth.switchWorkspace(other.id);
    expect(switched.user.workspace.name).toBe('Other Org');
    expect(api.session.get()?.accessToken).toBe(switched.accessToken);
    expect((await api.me.get()).workspace.id).toBe(other.id);
    expect((await api.conversations.list()).items.map((c) => c.id)).toEqual([chat.id]);
    const { items } = await api.me.workspaces();
    expect(items.find((i) => i.current)?.workspace.id).toBe(other.id);

    // Signing in again goes to the workspace named, whatever the last one was.
    const again = client();
    const back = await again.auth.login({ login: username, password: 'correct horse battery', workspace: home.slug });
    expect(back.user.workspace.id).toBe(home.id);
    expect((await again.conversations.list()).items).toEqual([]);
  });

  it('cannot switch into a workspace they do not belong to: 404, and the session stays', async () => {
    const { api, session } = await signedIn();
    const stranger = await createWorkspace(t, `stranger-${counter}-${process.pid}`);
    await expect(api.auth.switchWorkspace(stranger.id)).rejects.toMatchObject({ status: 404 });
    expect(api.session.get()?.accessToken).toBe(session.accessToken);
    expect((await api.me.workspaces()).items).toHaveLength(1);
  });
});

describe('search as you type', () => {
  it('finds the words, and a search cancelled by a newer one rejects as aborted, not as a network failure', async () => {
    const { api, session } = await signedIn();
    const ticket = await api.tickets.create({ subject: 'Scanner jams', description: 'On page two' });
    expect(ticket.requesterId).toBe(session.user.id);

    const stale = new AbortController();
    const overtaken = api.search({ q: 'scan' }, { signal: stale.signal });
    stale.abort();
    await expect(overtaken).rejects.toMatchObject({ name: 'AbortError' });
    await expect(overtaken).rejects.not.toBeInstanceOf(ParleyError);

    const results = await api.search({ q: 'scanner jam' });
    expect(results.tickets?.items.map((i) => i.ticketId)).toEqual([ticket.id]);
    expect(results.tickets?.items[0]?.subject.highlights).toEqual([
      [0, 7],
      [8, 12],
    ]);
  });
});
