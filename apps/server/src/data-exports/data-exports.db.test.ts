import fs from 'node:fs';
import path from 'node:path';
import {
  DataExportMessageSchema,
  MeSchema,
  TicketSchema,
  type Attachment,
  type AuditPage,
  type DataExport,
  type DataExportList,
  type DataExportMessage,
  type Message,
  type NotificationPage,
  type Session,
  type Ticket,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../ids';
import { createWorkspace, joinWorkspace, manualClock, startTestApp, type TestApp } from '../testing/test-app';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk, type Desk } from '../testing/test-desk';
import { pngImage, uploadImage } from '../testing/upload-image';
import { unzipText } from '../testing/unzip';
import { PAGE_SIZE } from './export-contents';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/**
 * A person asks for a copy of their own data: it is built in the background, they are told when
 * it is ready, and they alone download it, a zip of their profile, the messages they sent and
 * their tickets in this workspace, for a week.
 */
describe(`data exports on ${TEST_DIALECT}`, () => {
  const clock = manualClock();
  let t: TestApp;
  let desk: Desk;

  beforeAll(async () => {
    t = await startTestApp({
      clock,
      // The queue is stepped by hand; people stay signed in while the clock jumps a week ahead.
      env: { JOB_POLL_INTERVAL_MS: '3600000', ACCESS_TOKEN_TTL_SECONDS: String(30 * 24 * 3600) },
    });
    desk = await setUpDesk(t);
  });
  afterAll(() => t?.close());

  const ask = async (who: Session) => {
    const response = await as(t, who).post('/me/data-exports');
    expect(response.statusCode, response.body).toBe(202);
    return response.json<DataExport>();
  };
  const listOf = async (who: Session) => (await as(t, who).get('/me/data-exports')).json<DataExportList>().items;
  const download = (who: Session, id: string) => as(t, who).get(`/me/data-exports/${id}/download`);
  /** The jobs due now (the export's build), then the notifications they caused. */
  const settle = async () => {
    await t.app.jobs.runDueJobs();
    await t.app.notifications.settled();
  };
  const say = async (who: Session, conversationId: string, body: string, extra: object = {}) => {
    const response = await as(t, who).post(`/conversations/${conversationId}/messages`, {
      clientMsgId: `m-${newId()}`,
      body,
      ...extra,
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<Message>();
  };
  const unzipped = async (who: Session, id: string) => {
    const response = await download(who, id);
    expect(response.statusCode, response.body).toBe(200);
    const files = await unzipText(response.rawPayload);
    return {
      response,
      names: [...files.keys()],
      readme: files.get('README.txt')!,
      profileText: files.get('profile.json')!,
      messages: JSON.parse(files.get('messages.json')!) as DataExportMessage[],
      tickets: JSON.parse(files.get('tickets.json')!) as Ticket[],
    };
  };
  const zipOnDisk = async (id: string) => {
    const row = await t.database.db.selectFrom('dataExports').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? path.join(t.config.dataDir, 'exports', `${row.storageKey}.zip`) : null;
  };

  it('Carla asks for her data, hears when it is ready, and downloads exactly hers', async () => {
    const { carla, sam, dan } = desk;
    const ticket = await openTicket(t, carla, { subject: 'Cannot log in', teamId: desk.support });
    const thread = ticket.conversationId;
    const first = await say(carla, thread, 'It began after the update.');
    await as(t, carla).patch(`/conversations/${thread}/messages/${first.id}`, { body: 'It began after update 2.3.' });
    const upload = await uploadImage(t, carla, 'POST', `/conversations/${thread}/attachments`, await pngImage());
    const picture = upload.json<Attachment>();
    await say(carla, thread, 'Here is what I see', { attachmentIds: [picture.id], replyToId: first.id });
    const oops = await say(carla, thread, 'oops, wrong window');
    await as(t, carla).delete(`/conversations/${thread}/messages/${oops.id}`);
    await say(sam, thread, 'Fixed, please try again.');
    await say(sam, thread, 'Customer is on the old plan', { internal: true });
    const phoned = await as(t, sam).post('/tickets', {
      subject: 'Phoned in: invoice missing',
      description: 'Called at 10:40.',
      requesterId: carla.user.id,
    });
    expect(phoned.statusCode, phoned.body).toBe(201);
    const dans = await openTicket(t, dan, { subject: 'Dan’s own trouble' });
    await say(dan, dans.conversationId, 'Dan wrote this');
    // Carla in another workspace too: what she wrote there is not this workspace's to hand out.
    await createWorkspace(t, 'elsewhere');
    const carlaElsewhere = await joinWorkspace(t, carla, 'elsewhere', 'customer');
    const there = await openTicket(t, carlaElsewhere, { subject: 'Elsewhere' });
    await say(carlaElsewhere, there.conversationId, 'Written elsewhere');

    const asked = await ask(carla);
    expect(asked).toMatchObject({ status: 'pending', readyAt: null, sizeBytes: null });
    expect(Date.parse(asked.expiresAt) - Date.parse(asked.createdAt)).toBe(7 * DAY);
    // Asking again while it is being built is the same export, not a second one.
    expect((await ask(carla)).id).toBe(asked.id);
    expect(await listOf(carla)).toEqual([asked]);
    const early = await download(carla, asked.id);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'conflict' } });

    clock.advance(MINUTE);
    await settle();
    const [notification] = (await as(t, carla).get('/notifications')).json<NotificationPage>().items;
    expect(notification).toMatchObject({ kind: 'data_export.ready', data: { exportId: asked.id }, readAt: null });
    const [ready] = await listOf(carla);
    expect(ready).toMatchObject({ id: asked.id, status: 'ready', readyAt: new Date(clock.now()).toISOString() });
    expect(ready!.sizeBytes).toBeGreaterThan(0);
    expect(Date.parse(ready!.expiresAt)).toBe(clock.now() + 7 * DAY);

    const zip = await unzipped(carla, asked.id);
    expect(zip.response.headers['content-type']).toBe('application/zip');
    expect(zip.response.headers['content-disposition']).toMatch(
      /^attachment; filename="parley-data-\d{4}-\d\d-\d\d\.zip"/,
    );
    expect(Number(zip.response.headers['content-length'])).toBe(ready!.sizeBytes);
    expect(zip.names).toEqual(['README.txt', 'profile.json', 'messages.json', 'tickets.json']);
    expect(zip.readme).toContain('messages.json');

    // Her profile: who she is, her address and language; nothing secret.
    const profile = MeSchema.parse(JSON.parse(zip.profileText));
    expect(profile).toMatchObject({ id: carla.user.id, email: carla.user.email, displayName: 'Carla', locale: 'en' });
    expect(zip.profileText).not.toMatch(/password|argon|secret|token/i);

    // Exactly what she wrote here and kept, as she last left it: not Sam's, not Dan's, not the deleted one.
    for (const message of zip.messages) DataExportMessageSchema.parse(message);
    expect(zip.messages.map((m) => m.body)).toEqual(['It began after update 2.3.', 'Here is what I see']);
    const [edited, withPicture] = zip.messages;
    expect(edited).toMatchObject({ id: first.id, conversationId: thread, ticketId: ticket.id, kind: 'text' });
    expect(edited!.editedAt).not.toBeNull();
    expect(withPicture).toMatchObject({
      replyToId: first.id,
      editedAt: null,
      files: [{ fileName: 'picture.png', contentType: 'image/png', sizeBytes: picture.sizeBytes }],
    });

    // Her tickets, the one opened for her included, as the app shows them to her (no SLA clocks).
    for (const item of zip.tickets) TicketSchema.parse(item);
    expect(zip.tickets.map((x) => x.subject)).toEqual(['Cannot log in', 'Phoned in: invoice missing']);
    expect(zip.tickets.every((x) => x.requesterId === carla.user.id && x.sla === null)).toBe(true);

    // Nobody else gets it, nor learns that it exists: not Sam, not Dan, not the admin.
    for (const other of [sam, dan, desk.admin]) {
      const refused = await download(other, asked.id);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toMatchObject({ error: { code: 'not_found' } });
      expect(await listOf(other)).toEqual([]);
    }
    // Nor Carla herself from the other workspace: an export is of one workspace.
    expect((await download(carlaElsewhere, asked.id)).statusCode).toBe(404);

    // A script's token, whatever its scopes, neither asks for nor downloads one: that is hers to do.
    const token = await as(t, carla).post('/me/api-tokens', {
      name: 'Everything',
      scopes: ['tickets:write', 'messages:write', 'people:read'],
    });
    const script = { authorization: `Bearer ${token.json<{ secret: string }>().secret}` };
    for (const [method, url] of [
      ['POST', '/me/data-exports'],
      ['GET', '/me/data-exports'],
      ['GET', `/me/data-exports/${asked.id}/download`],
    ] as const) {
      expect((await t.app.inject({ method, url, headers: script })).statusCode, `${method} ${url}`).toBe(403);
    }

    // The admin's audit trail says that she asked and downloaded, and nothing of what was in it.
    const trail = (await as(t, desk.admin).get(`/audit?entityType=data_export&entityId=${asked.id}`)).json<AuditPage>();
    expect(trail.items.map((e) => [e.action, e.actorId])).toEqual([
      ['data_export.downloaded', carla.user.id],
      ['data_export.requested', carla.user.id],
    ]);
  });

  it('holds every message of someone who wrote more than a page, once each, in order', async () => {
    const { dan } = desk;
    const ticket = await openTicket(t, dan, { subject: 'A long story' });
    const many = 2 * PAGE_SIZE + 7;
    const rows = Array.from({ length: many }, (_, i) => ({
      id: newId(),
      workspaceId: dan.user.workspace.id,
      conversationId: ticket.conversationId,
      seq: 100 + i,
      senderId: dan.user.id,
      kind: 'text' as const,
      body: `Line ${i}`,
      clientMsgId: null,
      createdAt: clock.now(),
      editedAt: null,
      deletedAt: null,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await t.database.db
        .insertInto('messages')
        .values(rows.slice(i, i + 200))
        .execute();
    }

    const asked = await ask(dan);
    await settle();
    const { messages, tickets } = await unzipped(dan, asked.id);
    const lines = messages.filter((m) => m.conversationId === ticket.conversationId);
    expect(lines).toHaveLength(many);
    expect(lines.map((m) => m.id)).toEqual(rows.map((r) => r.id).sort());
    expect(new Set(messages.map((m) => m.id)).size).toBe(messages.length);
    expect(messages.map((m) => m.body)).toContain('Dan wrote this');
    expect(tickets.map((x) => x.subject)).toEqual(['Dan’s own trouble', 'A long story']);
  });

  it('builds one at a time, and a few a day', async () => {
    const { kim } = desk;
    // A double click: two requests at once make one export.
    const [one, again] = await Promise.all([ask(kim), ask(kim)]);
    expect(again.id).toBe(one.id);
    const made = [one.id];
    await settle();
    clock.advance(MINUTE);
    for (let i = 0; i < 2; i++) {
      made.push((await ask(kim)).id);
      await settle();
      clock.advance(MINUTE);
    }
    expect(new Set(made).size).toBe(3);
    const refused = await as(t, kim).post('/me/data-exports');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    // The first of the three leaves the 24 hours about then.
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBe((DAY - 3 * MINUTE) / 1000);
    expect((await listOf(kim)).map((x) => x.id)).toEqual([...made].reverse());

    clock.advance(retryAfter * 1000);
    expect((await ask(kim)).status).toBe('pending');
    await settle();
  });

  it('is gone after a week: the list, the download and the file', async () => {
    const { otto } = desk;
    const asked = await ask(otto);
    await settle();
    const file = (await zipOnDisk(asked.id))!;
    expect(fs.existsSync(file)).toBe(true);

    clock.advance(7 * DAY - MINUTE);
    expect((await download(otto, asked.id)).statusCode).toBe(200);
    clock.advance(MINUTE);
    expect(await listOf(otto)).toEqual([]);
    expect((await download(otto, asked.id)).statusCode).toBe(404);

    // The hourly sweep deletes the file and the row.
    clock.advance(60 * MINUTE);
    await settle();
    expect(fs.existsSync(file)).toBe(false);
    expect(await zipOnDisk(asked.id)).toBeNull();
  });
});
