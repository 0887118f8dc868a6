import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { listen, startTestApp, type TestApp } from '../../../apps/server/src/testing/test-app';
import { openTicket, setUpDesk } from '../../../apps/server/src/testing/test-desk';
import { createParleyClient } from './client';
import { memoryStorage } from './storage';

describe('a device shared by two people', () => {
  let t: TestApp;
  let baseUrl: string;
  beforeAll(async () => {
    t = await startTestApp();
    baseUrl = await listen(t);
  });
  afterAll(() => t.close());

  it("never sends one person's unsent messages as the next person who signs in", async () => {
    const desk = await setUpDesk(t);
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
});
