import type { PushConfig, PushDevice, PushDeviceList, PushPayload, Session } from '@parley/protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestExpoPushService, type TestExpoPushService } from '../testing/expo-push-service';
import { startTestPushService, type BrowserSubscription, type TestPushService } from '../testing/push-service';
import { bearer, manualClock, signIn, signUp, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { expoReceiptJob, RECEIPT_DELAY_MS } from './expo-receipts';
import { PUSH_MAX_FAILURES } from './push-delivery';
import { enqueuePush, sendPushJob } from './push-queue';

const CHROME_ON_LINUX =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

describe(`push delivery on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let pushService: TestPushService;
  let expo: TestExpoPushService;
  let carla: Session;
  let dan: Session;
  let serverKey: string;

  beforeAll(async () => {
    pushService = await startTestPushService();
    expo = await startTestExpoPushService();
    t = await startTestApp({ clock, env: { JOB_POLL_INTERVAL_MS: '3600000', EXPO_PUSH_URL: expo.sendUrl } });
    carla = await signUp(t, 'customer', { displayName: 'Carla' });
    dan = await signUp(t, 'customer', { displayName: 'Dan' });
    const config = await t.app.inject({ method: 'GET', url: '/push/config' });
    expect(config.statusCode).toBe(200);
    serverKey = config.json<PushConfig>().webPublicKey;
  });
  afterAll(async () => {
    await t.close();
    await pushService.close();
    await expo.close();
  });
  afterEach(async () => {
    await t.database.db.deleteFrom('jobs').where('kind', 'in', [sendPushJob.kind, expoReceiptJob.kind]).execute();
    await t.database.db.deleteFrom('pushDevices').execute();
  });

  const register = (who: Session, body: object, userAgent = CHROME_ON_LINUX) =>
    t.app.inject({
      method: 'POST',
      url: '/me/push-devices',
      headers: { ...bearer(who), 'user-agent': userAgent },
      payload: body,
    });
  const devicesOf = async (who: Session) =>
    (await t.app.inject({ method: 'GET', url: '/me/push-devices', headers: bearer(who) })).json<PushDeviceList>().items;
  /** Subscribes like a browser with the server's key and registers the subscription as `who`. */
  const subscribe = async (who: Session): Promise<{ sub: BrowserSubscription; device: PushDevice }> => {
    const sub = pushService.subscribe(serverKey);
    const answer = await register(who, { kind: 'web', endpoint: sub.endpoint, keys: sub.keys });
    expect(answer.statusCode, answer.body).toBe(201);
    return { sub, device: answer.json<PushDevice>() };
  };
  const payloadFor = (who: Session, overrides: Partial<PushPayload> = {}): PushPayload => ({
    title: 'Sam',
    body: 'Your refund is on its way',
    url: '/messages/01JDQ0000000000000000000AB?seq=7',
    tag: 'conversation:01JDQ0000000000000000000AB',
    workspaceId: who.user.workspace.id,
    kind: 'direct.message',
    ...overrides,
  });
  const push = (who: Session, overrides: Partial<PushPayload> = {}, dedupeKey?: string) =>
    enqueuePush(
      t.database.db,
      {
        workspaceId: who.user.workspace.id,
        userId: who.user.id,
        payload: payloadFor(who, overrides),
        ...(dedupeKey && { dedupeKey }),
      },
      clock.now(),
    );
  const pushJobs = () => t.database.db.selectFrom('jobs').selectAll().where('kind', '=', sendPushJob.kind).execute();

  it('tells anyone, signed in or not, the VAPID public key to subscribe with', async () => {
    expect(serverKey).toBe(t.config.push.vapid.publicKey);
    expect(Buffer.from(serverKey, 'base64url')).toHaveLength(65);
  });

  it('registers a browser subscription as a device of mine, once however often it is registered', async () => {
    const { sub, device } = await subscribe(carla);
    expect(device).toMatchObject({ kind: 'web', label: 'Chrome on Linux', lastUsedAt: null });
    const again = await register(carla, { kind: 'web', endpoint: sub.endpoint, keys: sub.keys });
    expect(again.statusCode).toBe(201);
    expect(again.json<PushDevice>().id).toBe(device.id);
    expect(await devicesOf(carla)).toEqual([device]);
    expect(await devicesOf(dan)).toEqual([]);
  });

  it('moves a device to whoever registers it last (a shared computer), and lets only its owner remove it', async () => {
    const { sub, device } = await subscribe(carla);
    const moved = await register(dan, { kind: 'web', endpoint: sub.endpoint, keys: sub.keys });
    expect(moved.json<PushDevice>().id).toBe(device.id);
    expect(await devicesOf(carla)).toEqual([]);
    const byCarla = await t.app.inject({
      method: 'DELETE',
      url: `/me/push-devices/${device.id}`,
      headers: bearer(carla),
    });
    expect(byCarla.statusCode).toBe(404);
    const byDan = await t.app.inject({ method: 'DELETE', url: `/me/push-devices/${device.id}`, headers: bearer(dan) });
    expect(byDan.statusCode).toBe(204);
    expect(await devicesOf(dan)).toEqual([]);
  });

  it('refuses what no browser would send: no https, a key off the curve, a short secret; and strangers', async () => {
    const sub = pushService.subscribe(serverKey);
    const cases = [
      { kind: 'web', endpoint: sub.endpoint.replace('https:', 'http:'), keys: sub.keys },
      { kind: 'web', endpoint: sub.endpoint, keys: { ...sub.keys, p256dh: Buffer.alloc(65, 4).toString('base64url') } },
      { kind: 'web', endpoint: sub.endpoint, keys: { ...sub.keys, auth: 'c2hvcnQ' } },
      { kind: 'web', endpoint: `https://push.example/${'x'.repeat(2048)}`, keys: sub.keys },
      { kind: 'expo', token: 'not-a-token' },
    ];
    for (const body of cases) expect((await register(carla, body)).statusCode, JSON.stringify(body)).toBe(400);
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/me/push-devices',
      payload: { kind: 'web', endpoint: sub.endpoint, keys: sub.keys },
    });
    expect(anonymous.statusCode).toBe(401);
    expect(await devicesOf(carla)).toEqual([]);
  });

  it('keeps at most 20 devices a person, dropping the least recently used', async () => {
    const first = await subscribe(carla);
    for (let i = 0; i < 20; i++) {
      clock.advance(1);
      await subscribe(carla);
    }
    const devices = await devicesOf(carla);
    expect(devices).toHaveLength(20);
    expect(devices.map((d) => d.id)).not.toContain(first.device.id);
  });

  it('pushes to the browser: VAPID-signed with the key it subscribed with, encrypted for it alone (RFC 8291)', async () => {
    const { sub } = await subscribe(carla);
    expect(await push(carla, { kind: 'message.mention' })).toHaveLength(1);
    await t.app.jobs.runDueJobs();
    const [arrived] = pushService.received(sub.id);
    expect(arrived).toMatchObject({
      status: 201,
      payload: payloadFor(carla, { kind: 'message.mention' }),
      vapid: { publicKey: serverKey, aud: pushService.url, sub: t.config.push.vapid.subject },
      headers: { contentEncoding: 'aes128gcm', ttl: '86400', urgency: 'high' },
    });
    expect(arrived!.refused).toBeUndefined();
    expect(arrived!.headers.topic).toMatch(/^[\w-]{32}$/);
    expect((await devicesOf(carla))[0]!.lastUsedAt).toBe(new Date(clock.now()).toISOString());
    expect(await pushJobs()).toEqual([]);
  });

  it('pushes to every device I have in the workspace, not to anyone else’s', async () => {
    const laptop = await subscribe(carla);
    const phone = await subscribe(carla);
    const dans = await subscribe(dan);
    await push(carla);
    await t.app.jobs.runDueJobs();
    expect(pushService.received(laptop.sub.id).map((p) => p.status)).toEqual([201]);
    expect(pushService.received(phone.sub.id).map((p) => p.status)).toEqual([201]);
    expect(pushService.received(dans.sub.id)).toEqual([]);
    expect(pushService.received(laptop.sub.id)[0]!.headers.urgency).toBe('normal');
  });

  it('queues one push per device and dedupe key while it waits', async () => {
    const { sub } = await subscribe(carla);
    expect(await push(carla, {}, 'message:1')).toHaveLength(1);
    expect(await push(carla, {}, 'message:1')).toEqual([]);
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id)).toHaveLength(1);
  });

  it('forgets a device whose subscription is gone (410), and sends it nothing more', async () => {
    const { sub } = await subscribe(carla);
    pushService.unsubscribe(sub.id);
    await push(carla);
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id).map((p) => p.status)).toEqual([410]);
    expect(await devicesOf(carla)).toEqual([]);
    expect(await pushJobs()).toEqual([]);
    expect(await push(carla)).toEqual([]);
  });

  it('retries after a 500 with backoff and delivers exactly once', async () => {
    const { sub } = await subscribe(carla);
    pushService.answer(sub.id, 500);
    await push(carla);
    await t.app.jobs.runDueJobs();
    const [job] = await pushJobs();
    expect(job).toMatchObject({ attempts: 1, failedAt: null, runAt: clock.now() + sendPushJob.backoffMs });
    expect(job!.lastError).toContain('500');
    clock.advance(sendPushJob.backoffMs);
    await t.app.jobs.runDueJobs();
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id).map((p) => p.status)).toEqual([500, 201]);
    expect(pushService.received(sub.id)[1]!.payload).toEqual(payloadFor(carla));
    expect(await pushJobs()).toEqual([]);
  });

  it('stops pushing to the devices of a session that ended: signed out there, signed out from elsewhere, or a new password', async () => {
    const eve = await signUp(t, 'customer', { displayName: 'Eve' });
    const signInAgain = () => signIn(t, eve.user.username, eve.user.workspace.slug);
    const [phone, laptop, tablet] = [eve, await signInAgain(), await signInAgain()];
    const devices = {
      phone: (await subscribe(phone)).device.id,
      laptop: (await subscribe(laptop)).device.id,
      tablet: (await subscribe(tablet)).device.id,
    };
    const pushedTo = async () => {
      await push(eve);
      const jobs = await pushJobs();
      await t.database.db.deleteFrom('jobs').where('kind', '=', sendPushJob.kind).execute();
      return jobs.map((job) => (JSON.parse(job.payload as string) as { deviceId: string }).deviceId).sort();
    };
    expect(await pushedTo()).toEqual(Object.values(devices).sort());

    // Signed out on the tablet (as the app does, it may not even have unregistered first).
    const out = await t.app.inject({
      method: 'POST',
      url: '/auth/logout',
      payload: { refreshToken: tablet.refreshToken },
    });
    expect(out.statusCode).toBe(204);
    expect(await pushedTo()).toEqual([devices.phone, devices.laptop].sort());

    // A new password from the phone ends every other session; the phone's own pushes go on.
    const changed = await t.app.inject({
      method: 'POST',
      url: '/me/password',
      headers: bearer(phone),
      payload: { currentPassword: 'correct horse battery', newPassword: 'a brand new passphrase' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    expect(await pushedTo()).toEqual([devices.phone]);
    expect((await devicesOf(phone)).map((d) => d.id)).toEqual([devices.phone]);
    const left = await t.database.db.selectFrom('pushDevices').select('id').where('userId', '=', eve.user.id).execute();
    expect(left.map((d) => d.id)).toEqual([devices.phone]);
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    const { sub } = await subscribe(carla);
    pushService.answer(sub.id, { status: 429, headers: { 'retry-after': '120' } });
    await push(carla);
    await t.app.jobs.runDueJobs();
    expect((await pushJobs())[0]).toMatchObject({ attempts: 1, runAt: clock.now() + 120_000 });
    clock.advance(119_000);
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id)).toHaveLength(1);
    clock.advance(1_000);
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id).map((p) => p.status)).toEqual([429, 201]);
  });

  it('gives up at once on a push the service refuses as such (dead letter), and drops a device refused again and again', async () => {
    const { sub, device } = await subscribe(carla);
    pushService.answer(sub.id, ...Array<number>(PUSH_MAX_FAILURES).fill(400));
    await push(carla);
    await t.app.jobs.runDueJobs();
    const [dead] = await pushJobs();
    expect(dead).toMatchObject({ attempts: 1, failedAt: clock.now() });
    expect(dead!.lastError).toMatch(/^GiveUpError: push service answered 400/);
    expect((await devicesOf(carla)).map((d) => d.id)).toEqual([device.id]);
    for (let i = 1; i < PUSH_MAX_FAILURES; i++) {
      await push(carla);
      await t.app.jobs.runDueJobs();
    }
    expect(await devicesOf(carla)).toEqual([]);
  });

  it('does not push again a job another node holds, and pushes it once that node’s lease lapses', async () => {
    const { sub } = await subscribe(carla);
    const [id] = await push(carla);
    // What a node leaves behind when it dies after claiming the job, before (or while) sending.
    await t.database.db
      .updateTable('jobs')
      .set({ lockedBy: 'dead-node', lockedUntil: clock.now() + sendPushJob.leaseMs, attempts: 1 })
      .where('id', '=', id!)
      .execute();
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id)).toEqual([]);
    clock.advance(sendPushJob.leaseMs);
    await t.app.jobs.runDueJobs();
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id).map((p) => p.status)).toEqual([201]);
  });

  it('sends a repeat with the same Topic, so a push service still holding the first keeps one', async () => {
    const { sub } = await subscribe(carla);
    await push(carla);
    await push(carla, { body: 'And another thing' });
    await push(carla, { tag: 'ticket:01JDQ0000000000000000000CD' });
    await t.app.jobs.runDueJobs();
    const topics = pushService.received(sub.id).map((p) => p.headers.topic);
    expect(topics[0]).toBe(topics[1]);
    expect(topics[2]).not.toBe(topics[0]);
  });

  it('drops, without sending, a device subscribed under a VAPID key since rotated', async () => {
    const { sub, device } = await subscribe(carla);
    await t.database.db
      .updateTable('pushDevices')
      .set({ vapidKey: 'an-older-key' })
      .where('id', '=', device.id)
      .execute();
    await push(carla);
    await t.app.jobs.runDueJobs();
    expect(pushService.received(sub.id)).toEqual([]);
    expect(await devicesOf(carla)).toEqual([]);
  });

  describe('to the Android app through Expo', () => {
    const token = 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]';

    it('sends Expo the message with the payload as data, and records the device as used', async () => {
      const answer = await register(carla, { kind: 'expo', token }, 'okhttp/4.12.0');
      expect(answer.statusCode, answer.body).toBe(201);
      expect(answer.json<PushDevice>()).toMatchObject({ kind: 'expo', label: 'Android app' });
      const before = expo.requests().length;
      await push(carla, { kind: 'message.mention' });
      await t.app.jobs.runDueJobs();
      const [request] = expo.requests().slice(before);
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.messages).toEqual([
        {
          to: token,
          title: 'Sam',
          body: 'Your refund is on its way',
          data: {
            url: '/messages/01JDQ0000000000000000000AB?seq=7',
            tag: 'conversation:01JDQ0000000000000000000AB',
            workspaceId: carla.user.workspace.id,
            kind: 'message.mention',
          },
          ttl: 86400,
          priority: 'high',
          sound: 'default',
          tag: 'conversation:01JDQ0000000000000000000AB',
          collapseId: 'conversation:01JDQ0000000000000000000AB',
        },
      ]);
      expect((await devicesOf(carla))[0]!.lastUsedAt).not.toBeNull();
    });

    it('forgets a token Expo says is no longer registered', async () => {
      await register(carla, { kind: 'expo', token });
      expo.answer(token, { ticketError: 'DeviceNotRegistered' });
      await push(carla);
      await t.app.jobs.runDueJobs();
      expect(await devicesOf(carla)).toEqual([]);
      expect(await pushJobs()).toEqual([]);
    });

    it("reads each push's receipt 15 minutes on, and forgets the token once Android no longer knows it", async () => {
      await register(carla, { kind: 'expo', token });
      expo.receipt(token, 'ok', { error: 'DeviceNotRegistered' });
      const asked = () => expo.receiptRequests().length;
      const before = asked();
      // Read from the database: a quarter of an hour outlives the access tokens of this suite.
      const stored = () =>
        t.database.db.selectFrom('pushDevices').select('id').where('userId', '=', carla.user.id).execute();

      await push(carla);
      await t.app.jobs.runDueJobs();
      clock.advance(RECEIPT_DELAY_MS);
      await t.app.jobs.runDueJobs();
      expect(asked() - before).toBe(1);
      expect(await stored()).toHaveLength(1); // delivered to the phone

      // The app was uninstalled since: Expo takes the push, and the receipt says the phone is gone.
      await push(carla);
      await t.app.jobs.runDueJobs();
      expect(await stored()).toHaveLength(1);
      clock.advance(RECEIPT_DELAY_MS);
      await t.app.jobs.runDueJobs();
      expect(asked() - before).toBe(2);
      expect(await stored()).toEqual([]);
      expect(
        await t.database.db.selectFrom('jobs').select('id').where('kind', '=', expoReceiptJob.kind).execute(),
      ).toEqual([]);
      carla = await signIn(t, carla.user.username, carla.user.workspace.slug);
    });

    it('retries when Expo is down, then delivers', async () => {
      await register(carla, { kind: 'expo', token });
      expo.answer(token, { status: 503 });
      const before = expo.requests().length;
      await push(carla);
      await t.app.jobs.runDueJobs();
      expect((await pushJobs())[0]).toMatchObject({ attempts: 1, failedAt: null });
      clock.advance(sendPushJob.backoffMs);
      await t.app.jobs.runDueJobs();
      expect(expo.requests().length - before).toBe(2);
      expect(await pushJobs()).toEqual([]);
      expect((await devicesOf(carla))[0]!.lastUsedAt).not.toBeNull();
    });
  });
});
