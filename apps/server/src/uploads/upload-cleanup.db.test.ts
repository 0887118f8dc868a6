import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Attachment, Message, Session, Ticket } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { multipart, type FilePart } from '../testing/multipart';
import { createMigratedTestDatabase } from '../testing/database-template';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

const png = (size = 120) =>
  sharp({ create: { width: size, height: size, channels: 3, background: { r: 20, g: 140, b: 90 } } })
    .png()
    .toBuffer();

/** Tests step the job queue themselves (runDueJobs) with a manual clock. */
const STEPPED = { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: '86400' };

/** The REST calls these tests make, against one app. */
function client(t: TestApp, ticket: Ticket) {
  let n = 0;
  const upload = (who: Session, part: FilePart, url = `/conversations/${ticket.conversationId}/attachments`) => {
    const body = multipart(part);
    return t.app.inject({
      method: url === '/me/avatar' ? 'PUT' : 'POST',
      url,
      headers: { ...bearer(who), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  return {
    upload,
    attach: async (who: Session, part: FilePart) => {
      const response = await upload(who, part);
      if (response.statusCode !== 201) throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
      return response.json<Attachment>();
    },
    send: (who: Session, attachmentIds: string[]) =>
      as(t, who).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: `cleanup-${++n}`,
        body: 'with a file',
        attachmentIds,
      }),
    remove: (who: Session, message: Message) =>
      as(t, who).delete(`/conversations/${ticket.conversationId}/messages/${message.id}`),
    files: () => {
      const dir = path.join(t.config.dataDir, 'uploads', 'attachments');
      return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    },
    rows: () => t.database.db.selectFrom('attachments').select('id').orderBy('id').execute(),
  };
}

const filesOf = (files: string[], attachment: Attachment, rows: { id: string }[]) => ({
  stored: files.length,
  row: rows.some((r) => r.id === attachment.id),
});

describe(`upload quota on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ env: { ...STEPPED, UPLOAD_QUOTA_BYTES: '100000' } });
    desk = await setUpDesk(t);
    api = client(t, await openTicket(t, desk.carla, { teamId: desk.support }));
  });
  afterAll(() => t.close());

  const file = (bytes: number): FilePart => ({ fileName: 'data.bin', content: Buffer.alloc(bytes, 7) });

  it('refuses an upload past UPLOAD_QUOTA_BYTES with 413 quota_exceeded, storing nothing', async () => {
    await api.attach(desk.carla, file(40_000));
    const sent = await api.attach(desk.carla, file(40_000));
    const message = (await api.send(desk.carla, [sent.id])).json<Message>();
    const [filesBefore, rowsBefore] = [api.files(), await api.rows()];

    const refused = await api.upload(desk.carla, file(30_000));
    expect(refused.statusCode).toBe(413);
    expect(refused.json().error).toMatchObject({
      code: 'payload_too_large',
      details: { reason: 'quota_exceeded', quotaBytes: 100_000, usedBytes: 80_000 },
    });
    expect(refused.json().error.message).toMatch(/storage quota of 100000 bytes/);
    expect(api.files()).toEqual(filesBefore);
    expect(await api.rows()).toEqual(rowsBefore);

    // What is left still fits; the quota is each user's own.
    await api.attach(desk.carla, file(20_000));
    expect((await api.upload(desk.carla, file(1))).statusCode).toBe(413);
    const samsUpload = await api.upload(desk.sam, file(90_000));
    expect(samsUpload.statusCode).toBe(201);

    // A user at the quota cannot store an avatar either.
    const avatar = await api.upload(desk.carla, { fileName: 'me.png', content: await png() }, '/me/avatar');
    expect([avatar.statusCode, avatar.json().error.details.reason]).toEqual([413, 'quota_exceeded']);

    // Deleting a message with a file gives its room back at once.
    expect((await api.remove(desk.carla, message)).statusCode).toBe(200);
    expect((await api.upload(desk.carla, file(30_000))).statusCode).toBe(201);
  });
});

describe(`clean-up of uploads on ${TEST_DIALECT}`, () => {
  const TTL_SECONDS = 300;
  const clock = manualClock();
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let api: ReturnType<typeof client>;

  beforeAll(async () => {
    t = await startTestApp({ clock, env: { ...STEPPED, UNATTACHED_UPLOAD_TTL_SECONDS: String(TTL_SECONDS) } });
    desk = await setUpDesk(t);
    api = client(t, await openTicket(t, desk.carla, { teamId: desk.support }));
  });
  afterAll(() => t.close());

  it('removes an upload never sent once it is older than UNATTACHED_UPLOAD_TTL_SECONDS, not before', async () => {
    await t.app.jobs.runDueJobs(); // the first sweep, due at start; the next comes a TTL later
    clock.advance(1_000);
    const unsent = await api.attach(desk.carla, { fileName: 'forgot.png', content: await png() });
    const sent = await api.attach(desk.carla, { fileName: 'kept.png', content: await png() });
    expect((await api.send(desk.carla, [sent.id])).statusCode).toBe(201);
    expect(api.files()).toHaveLength(4); // each image and its thumbnail

    clock.advance(TTL_SECONDS * 1000 - 1_000); // the next sweep: the upload is a second short of the TTL
    await t.app.jobs.runDueJobs();
    expect(filesOf(api.files(), unsent, await api.rows())).toEqual({ stored: 4, row: true });
    expect((await as(t, desk.carla).get(unsent.url)).statusCode).toBe(200);

    clock.advance(TTL_SECONDS * 1000);
    await t.app.jobs.runDueJobs();
    expect(filesOf(api.files(), unsent, await api.rows())).toEqual({ stored: 2, row: false });
    expect(api.files().every((f) => !f.startsWith('.tmp'))).toBe(true);
    expect((await as(t, desk.carla).get(unsent.url)).statusCode).toBe(404);
    const late = await api.send(desk.carla, [unsent.id]);
    expect([late.statusCode, late.json().error.code]).toEqual([400, 'validation_failed']);
    // The sent one stays, whatever its age.
    expect((await as(t, desk.sam).get(sent.url)).statusCode).toBe(200);
  });

  it("stops serving a deleted message's files at once, and a job removes them and their rows", async () => {
    const attachment = await api.attach(desk.carla, { fileName: 'oops.png', content: await png() });
    const message = (await api.send(desk.carla, [attachment.id])).json<Message>();
    const before = api.files();

    expect((await api.remove(desk.carla, message)).statusCode).toBe(200);
    for (const url of [attachment.url, attachment.thumbnailUrl!]) {
      for (const who of [desk.carla, desk.sam]) expect((await as(t, who).get(url)).statusCode, url).toBe(404);
    }

    await t.app.jobs.runDueJobs(); // due at the delete: no need to move the clock
    const after = api.files();
    expect(before.length - after.length).toBe(2);
    expect((await api.rows()).some((r) => r.id === attachment.id)).toBe(false);
    const jobs = await t.database.db.selectFrom('jobs').select('kind').execute();
    // Other features keep recurring jobs of their own (assignment.sweep): only ours count here.
    expect(jobs.map((j) => j.kind).filter((kind) => kind.startsWith('uploads.'))).toEqual(['uploads.sweep']);
  });
});

describe(`clean-up across a restart on ${TEST_DIALECT}`, () => {
  it("removes a deleted message's files after the server restarts before the job ran", async () => {
    const testDb = await createMigratedTestDatabase();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-restart-'));
    const clock = manualClock();
    const env = { ...STEPPED, DATA_DIR: dataDir };
    const first = await startTestApp({ clock, database: testDb, env });
    let second: TestApp | undefined;
    let firstClosed = false;
    try {
      const desk = await setUpDesk(first);
      const api = client(first, await openTicket(first, desk.carla, { teamId: desk.support }));
      const attachment = await api.attach(desk.carla, { fileName: 'gone.png', content: await png() });
      const message = (await api.send(desk.carla, [attachment.id])).json<Message>();
      expect((await api.remove(desk.carla, message)).statusCode).toBe(200);
      await first.close(); // before any job ran
      firstClosed = true;
      expect(api.files()).toHaveLength(2);

      second = await startTestApp({ clock, database: testDb, env });
      await second.app.jobs.runDueJobs();
      expect(api.files()).toEqual([]);
      const rows = await second.database.db.selectFrom('attachments').select('id').execute();
      expect(rows).toEqual([]);
    } finally {
      if (!firstClosed) await first.close();
      await second?.close();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
