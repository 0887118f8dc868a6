import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listen, startTestApp, type TestApp } from '../../../apps/server/src/testing/test-app';
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
