import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  createWorkspace,
  joinWorkspace,
  listen,
  signUp,
  startTestApp,
  type TestApp,
} from '../../../apps/server/src/testing/test-app';
import { openTicket, setUpDesk } from '../../../apps/server/src/testing/test-desk';
import { createParleyClient } from './client';
import { memoryStorage } from './storage';

describe('a device shared by two people', () => {
  let t: TestApp;
  let baseUrl: string;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
    desk = await setUpDesk(t);
  });
  afterAll(() => t.close());

  it("never sends one person's unsent messages as the next person who signs in", async () => {
    const thread = (await openTicket(t, desk.carla, { teamId: desk.support })).conversationId;
    const storage = memoryStorage();
    const device = createParleyClient({ baseUrl, storage, WebSocket });
    await device.auth.login({ login: desk.carla.user.username, password: 'correct horse battery' });
    await device.outbox.send(thread, 'Written offline by Carla');
    await device.logout();
    expect(device.outbox.list()).toEqual([]);

    const next = createParleyClient({ baseUrl, storage, WebSocket });
    await next.auth.login({ login: desk.sam.user.username, password: 'correct horse battery' });
    await next.connect();
    await new Promise<void>((resolve) => next.realtime.on('status', (s) => s === 'open' && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    next.realtime.close();
    const sent = await t.database.db
      .selectFrom('messages')
      .select('body')
      .where('conversationId', '=', thread)
      .execute();
    expect(sent.map((m) => m.body)).not.toContain('Written offline by Carla');
  });

  it('drops what a user left unsent when their session expired and someone else signs in', async () => {
    const thread = (await openTicket(t, desk.carla, { teamId: desk.support })).conversationId;
    const storage = memoryStorage();
    const device = createParleyClient({ baseUrl, storage, WebSocket });
    await device.auth.login({ login: desk.carla.user.username, password: 'correct horse battery' });
    await device.outbox.send(thread, 'Left behind by Carla');
    await device.session.clear(); // the refresh token died: signed out, without logout()

    const next = createParleyClient({ baseUrl, storage, WebSocket });
    await next.auth.login({ login: desk.sam.user.username, password: 'correct horse battery' });
    await next.connect();
    expect(next.outbox.list()).toEqual([]);
    await new Promise<void>((resolve) => next.realtime.on('status', (s) => s === 'open' && resolve()));
    await new Promise((resolve) => setTimeout(resolve, 200));
    next.realtime.close();
    const sent = await t.database.db
      .selectFrom('messages')
      .select('body')
      .where('conversationId', '=', thread)
      .execute();
    expect(sent.map((m) => m.body)).not.toContain('Left behind by Carla');
  });

  it('keeps the outbox for the same user signing in again', async () => {
    const thread = (await openTicket(t, desk.carla, { teamId: desk.support })).conversationId;
    const storage = memoryStorage();
    const device = createParleyClient({ baseUrl, storage, WebSocket });
    await device.auth.login({ login: desk.carla.user.username, password: 'correct horse battery' });
    await device.outbox.send(thread, 'Still mine');
    await device.session.clear();

    const again = createParleyClient({ baseUrl, storage, WebSocket });
    await again.auth.login({ login: desk.carla.user.username, password: 'correct horse battery' });
    await again.connect();
    await new Promise<void>((resolve) => again.outbox.on('sent', () => resolve()));
    again.realtime.close();
    const sent = await t.database.db
      .selectFrom('messages')
      .select('body')
      .where('conversationId', '=', thread)
      .execute();
    expect(sent.map((m) => m.body)).toContain('Still mine');
  });
});

const untilOpen = (device: ReturnType<typeof createParleyClient>) =>
  new Promise<void>((resolve) => {
    if (device.realtime.status === 'open') resolve();
    device.realtime.on('status', (s) => s === 'open' && resolve());
  });

describe('switching workspaces on a live client', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
  });
  afterAll(() => t.close());

  it("moves the socket to the new workspace: its notifications arrive, the old one's chats are not followed", async () => {
    const desk = await setUpDesk(t);
    const other = await createWorkspace(t, 'client-other', 'Other Org');
    const sam = await joinWorkspace(t, desk.sam, other.slug, 'agent');
    const colleague = await signUp(t, 'agent', { workspace: other.slug });

    const device = createParleyClient({ baseUrl, storage: memoryStorage(), WebSocket });
    await device.auth.login({ login: desk.sam.user.username, password: 'correct horse battery', workspace: 'default' });
    await device.connect();
    const thread = (await openTicket(t, desk.carla, { teamId: desk.support })).conversationId;
    device.realtime.subscribe(thread);
    await untilOpen(device);

    await device.auth.switchWorkspace(other.id);
    expect(device.session.get()?.user?.workspace.id).toBe(other.id);
    expect(device.realtime.lastSeq(thread)).toBeNull();
    const notified = new Promise<string>((resolve) =>
      device.realtime.on('notification', ({ notification }) => resolve(notification.preview ?? '')),
    );
    await untilOpen(device);
    const writer = createParleyClient({ baseUrl, storage: memoryStorage(), WebSocket });
    await writer.auth.login({
      login: colleague.user.username,
      password: 'correct horse battery',
      workspace: other.slug,
    });
    const chat = await writer.conversations.openDirect(sam.user.id);
    await writer.conversations.send(chat.id, { clientMsgId: 'switch-1', body: 'Hello in Other Org' });
    expect(await notified).toContain('Hello in Other Org');
    device.realtime.close();
  });
});
