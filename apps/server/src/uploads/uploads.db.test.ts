import fs from 'node:fs';
import path from 'node:path';
import type { Attachment, Me, Message, Session, Ticket } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, startTestApp, type TestApp } from '../testing/test-app';
import { multipart, type FilePart } from '../testing/multipart';
import { TEST_DIALECT } from '../testing/test-database';
import { as, openTicket, setUpDesk } from '../testing/test-desk';

const png = (width = 600, height = 400) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();

/** Incompressible noise, so the PNG is big: for the size limits. */
const noisePng = (width: number, height: number) =>
  sharp(Buffer.from(Array.from({ length: width * height * 3 }, () => Math.floor(Math.random() * 256))), {
    raw: { width, height, channels: 3 },
  })
    .png()
    .toBuffer();

describe(`uploads on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let desk: Awaited<ReturnType<typeof setUpDesk>>;
  let ticket: Ticket;
  let image: Buffer;

  beforeAll(async () => {
    t = await startTestApp();
    desk = await setUpDesk(t);
    ticket = await openTicket(t, desk.carla, { teamId: desk.support });
    image = await png();
  });
  afterAll(() => t.close());

  const upload = (method: 'PUT' | 'POST', url: string, who: Session, ...parts: FilePart[]) => {
    const body = multipart(...parts);
    return t.app.inject({
      method,
      url,
      headers: { ...bearer(who), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const putAvatar = (who: Session, ...parts: FilePart[]) => upload('PUT', '/me/avatar', who, ...parts);
  const attach = (who: Session, ...parts: FilePart[]) =>
    upload('POST', `/conversations/${ticket.conversationId}/attachments`, who, ...parts);
  const filesIn = (area: string) => {
    const dir = path.join(t.config.dataDir, 'uploads', area);
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };
  const me = async (who: Session) => (await as(t, who).get('/me')).json<Me>();

  describe('avatars', () => {
    it('takes an image, shows it on /me and serves both sizes as public, immutable WebP', async () => {
      const response = await putAvatar(desk.carla, { fileName: 'me.png', contentType: 'image/png', content: image });
      expect(response.statusCode).toBe(200);
      const { avatarUrl } = response.json<{ avatarUrl: string }>();
      expect(avatarUrl).toMatch(/^\/avatars\/[0-9a-f]{32}$/);
      expect((await me(desk.carla)).avatarUrl).toBe(avatarUrl);

      for (const [query, size] of [
        ['', 256],
        ['?size=256', 256],
        ['?size=64', 64],
      ] as const) {
        const served = await t.app.inject({ method: 'GET', url: `${avatarUrl}${query}` });
        expect(served.statusCode).toBe(200);
        expect(served.headers['content-type']).toBe('image/webp');
        expect(served.headers['x-content-type-options']).toBe('nosniff');
        expect(served.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        const meta = await sharp(served.rawPayload).metadata();
        expect([meta.format, meta.width, meta.height]).toEqual(['webp', size, size]);
      }
    });

    it('replaces the previous avatar and deletes its files', async () => {
      const first = (await putAvatar(desk.dan, { fileName: 'a.png', content: image })).json<{ avatarUrl: string }>();
      const before = filesIn('avatars');
      const second = await putAvatar(desk.dan, { fileName: 'b.png', content: await png(100, 300) });
      expect(second.statusCode).toBe(200);
      const { avatarUrl } = second.json<{ avatarUrl: string }>();
      expect(avatarUrl).not.toBe(first.avatarUrl);
      const oldKey = first.avatarUrl.split('/').pop()!;
      const newKey = avatarUrl.split('/').pop()!;
      const after = filesIn('avatars');
      expect(after.some((f) => f.startsWith(oldKey))).toBe(false);
      expect(after.filter((f) => f.startsWith(newKey))).toEqual([`${newKey}-256.webp`, `${newKey}-64.webp`]);
      expect(after).toHaveLength(before.length);
      expect(after.some((f) => f.startsWith('.tmp'))).toBe(false);
      expect((await t.app.inject({ method: 'GET', url: first.avatarUrl })).statusCode).toBe(404);
      expect((await me(desk.dan)).avatarUrl).toBe(avatarUrl);
    });

    it('judges the type by the bytes: a script named .png gets 415 and nothing is stored', async () => {
      const before = filesIn('avatars');
      const avatarBefore = (await me(desk.carla)).avatarUrl;
      for (const content of ['<script>alert(1)</script>', Buffer.from('%PDF-1.4\n%...')]) {
        const response = await putAvatar(desk.carla, { fileName: 'x.png', contentType: 'image/png', content });
        expect(response.statusCode).toBe(415);
        expect(response.json().error.code).toBe('unsupported_media_type');
      }
      // A PNG signature over garbage: sniffed as PNG, refused when it does not decode.
      const fake = Buffer.concat([image.subarray(0, 64), Buffer.alloc(200, 7)]);
      expect((await putAvatar(desk.carla, { fileName: 'y.png', content: fake })).statusCode).toBe(415);
      expect(filesIn('avatars')).toEqual(before);
      expect((await me(desk.carla)).avatarUrl).toBe(avatarBefore);
    });

    it('asks for the file when it is missing, and refuses bodies that are not multipart', async () => {
      const noFile = await putAvatar(desk.carla, { field: 'note', content: 'no file here' });
      expect(noFile.statusCode).toBe(400);
      expect(noFile.json().error).toMatchObject({
        code: 'validation_failed',
        details: { fields: [{ in: 'body', path: 'file' }] },
      });
      const wrongField = await putAvatar(desk.carla, { field: 'avatar', fileName: 'a.png', content: image });
      expect(wrongField.json().error.code).toBe('validation_failed');
      const empty = await t.app.inject({ method: 'PUT', url: '/me/avatar', headers: bearer(desk.carla) });
      expect(empty.json().error.code).toBe('validation_failed');
      const json = await t.app.inject({
        method: 'PUT',
        url: '/me/avatar',
        headers: bearer(desk.carla),
        payload: { file: 'x' },
      });
      expect([json.statusCode, json.json().error.code]).toEqual([415, 'unsupported_media_type']);
    });

    it('needs a signed-in user to upload', async () => {
      const body = multipart({ fileName: 'a.png', content: image });
      const response = await t.app.inject({
        method: 'PUT',
        url: '/me/avatar',
        headers: { 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(response.statusCode).toBe(401);
    });

    it('removes the avatar with DELETE /me/avatar', async () => {
      const { avatarUrl } = (await putAvatar(desk.kim, { fileName: 'k.png', content: image })).json<{
        avatarUrl: string;
      }>();
      const key = avatarUrl.split('/').pop()!;
      const removed = await as(t, desk.kim).delete('/me/avatar');
      expect(removed.statusCode).toBe(204);
      expect((await me(desk.kim)).avatarUrl).toBeNull();
      expect(filesIn('avatars').some((f) => f.startsWith(key))).toBe(false);
      expect((await t.app.inject({ method: 'GET', url: avatarUrl })).statusCode).toBe(404);
      expect((await as(t, desk.kim).delete('/me/avatar')).statusCode).toBe(204);
    });

    it('validates the key and size: no path traversal, unknown keys 404', async () => {
      for (const url of [
        '/avatars/..%2F..%2Fjwt-secret',
        '/avatars/..%2F..%2F..%2Fetc%2Fpasswd',
        '/avatars/ABCDEF0123456789abcdef0123456789',
        `/avatars/${'a'.repeat(32)}?size=128`,
      ]) {
        const response = await t.app.inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(400);
        expect(response.json().error.code, url).toBe('validation_failed');
      }
      // Dot segments are resolved before routing: these never reach the route.
      for (const url of ['/avatars/../../jwt-secret', '/avatars/%2e%2e']) {
        expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
      }
      expect((await t.app.inject({ method: 'GET', url: `/avatars/${'a'.repeat(32)}` })).statusCode).toBe(404);
    });
  });

  describe('attachments', () => {
    let n = 0;
    const send = (who: Session, attachmentIds: string[], extra: object = {}) =>
      as(t, who).post(`/conversations/${ticket.conversationId}/messages`, {
        clientMsgId: `att-${++n}`,
        body: 'See attached',
        attachmentIds,
        ...extra,
      });
    const download = (who: Session, url: string) => as(t, who).get(url);

    it('stores an image, links it to a message and lets the agent download it and its thumbnail', async () => {
      const response = await attach(desk.carla, {
        fileName: 'screen shot.png',
        contentType: 'text/plain',
        content: image,
      });
      expect(response.statusCode).toBe(201);
      const attachment = response.json<Attachment>();
      expect(attachment).toMatchObject({
        conversationId: ticket.conversationId,
        messageId: null,
        fileName: 'screen shot.png',
        contentType: 'image/png',
        sizeBytes: image.length,
        width: 600,
        height: 400,
        url: `/attachments/${attachment.id}`,
        thumbnailUrl: `/attachments/${attachment.id}/thumbnail`,
      });

      // Before it is sent, only its uploader sees it.
      expect((await download(desk.carla, attachment.url)).statusCode).toBe(200);
      expect((await download(desk.sam, attachment.url)).statusCode).toBe(404);

      const sent = await send(desk.carla, [attachment.id]);
      expect(sent.statusCode).toBe(201);
      expect(sent.json<Message>().attachments).toEqual([{ ...attachment, messageId: sent.json<Message>().id }]);

      const file = await download(desk.sam, attachment.url);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(image)).toBe(true);
      expect(file.headers['content-type']).toBe('image/png');
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.headers['content-disposition']).toBe(
        `inline; filename="screen shot.png"; filename*=UTF-8''screen%20shot.png`,
      );
      expect(file.headers['cache-control']).toMatch(/^private, max-age=\d+$/);

      const thumb = await download(desk.sam, attachment.thumbnailUrl!);
      expect(thumb.statusCode).toBe(200);
      expect(thumb.headers['content-type']).toBe('image/webp');
      const meta = await sharp(thumb.rawPayload).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 320, 213]);
    });

    it('never trusts the client type: other files are opaque downloads under a sanitized name', async () => {
      const content = '<html><script>alert(document.cookie)</script></html>';
      const response = await attach(desk.carla, {
        fileName: '../../r\u00e9sum\u00e9 \u202Efdp.html',
        contentType: 'image/png',
        content,
      });
      expect(response.statusCode).toBe(201);
      const attachment = response.json<Attachment>();
      expect(attachment).toMatchObject({
        fileName: 'résumé fdp.html',
        contentType: 'application/octet-stream',
        width: null,
        height: null,
        thumbnailUrl: null,
      });
      expect(filesIn('attachments').some((f) => f.includes('sum'))).toBe(false);
      await send(desk.carla, [attachment.id]);
      const file = await download(desk.kim, attachment.url);
      expect(file.body).toBe(content);
      expect(file.headers['content-type']).toBe('application/octet-stream');
      expect(file.headers['content-disposition']).toBe(
        `attachment; filename="r_sum_ fdp.html"; filename*=UTF-8''r%C3%A9sum%C3%A9%20fdp.html`,
      );
      expect((await download(desk.kim, `${attachment.url}/thumbnail`)).statusCode).toBe(404);

      const pdf = await attach(desk.carla, { fileName: 'doc.pdf', content: Buffer.from('%PDF-1.7\n1 0 obj\n') });
      expect(pdf.json<Attachment>().contentType).toBe('application/pdf');
      // Sniffed as PNG but does not decode: kept, as an opaque file without a thumbnail.
      const fake = Buffer.concat([image.subarray(0, 64), Buffer.alloc(100, 1)]);
      expect((await attach(desk.carla, { fileName: 'broken.png', content: fake })).json<Attachment>()).toMatchObject({
        contentType: 'application/octet-stream',
        thumbnailUrl: null,
      });
    });

    it('answers 404 to people outside the conversation, for upload and download alike', async () => {
      const attachment = (await attach(desk.carla, { fileName: 'p.png', content: image })).json<Attachment>();
      await send(desk.carla, [attachment.id]);
      for (const outsider of [desk.dan, desk.otto]) {
        for (const url of [attachment.url, attachment.thumbnailUrl!]) {
          const response = await download(outsider, url);
          expect(response.statusCode).toBe(404);
          expect(response.json().error.code).toBe('not_found');
        }
        const upload = await attach(outsider, { fileName: 'x.png', content: image });
        expect(upload.statusCode).toBe(404);
      }
      expect((await download(desk.sam, '/attachments/01ARZ3NDEKTSV4RRFFQ69G5FAV')).statusCode).toBe(404);
      expect((await download(desk.sam, '/attachments/..%2F..%2Fjwt-secret')).statusCode).toBe(400);
      expect((await t.app.inject({ method: 'GET', url: attachment.url })).statusCode).toBe(401);
    });

    it('keeps files on internal notes from customers', async () => {
      const attachment = (await attach(desk.sam, { fileName: 'notes.png', content: image })).json<Attachment>();
      expect((await send(desk.sam, [attachment.id], { internal: true })).statusCode).toBe(201);
      expect((await download(desk.kim, attachment.url)).statusCode).toBe(200);
      expect((await download(desk.carla, attachment.url)).statusCode).toBe(404);
    });

    it('asks for the file when it is missing', async () => {
      const response = await attach(desk.carla, { field: 'caption', content: 'hi' });
      expect([response.statusCode, response.json().error.code]).toEqual([400, 'validation_failed']);
    });
  });
});

describe(`upload limits on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let carla: Session;
  let ticket: Ticket;

  beforeAll(async () => {
    t = await startTestApp({ env: { UPLOAD_LIMIT_BYTES: '20000', ATTACHMENT_LIMIT_BYTES: '40000' } });
    const desk = await setUpDesk(t);
    carla = desk.carla;
    ticket = await openTicket(t, carla, { teamId: desk.support });
  });
  afterAll(() => t.close());

  const send = (method: 'PUT' | 'POST', url: string, content: Buffer) => {
    const body = multipart({ fileName: 'big.png', contentType: 'image/png', content });
    return t.app.inject({
      method,
      url,
      headers: { ...bearer(carla), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const filesIn = (area: string) => {
    const dir = path.join(t.config.dataDir, 'uploads', area);
    return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  };

  it('refuses an avatar over UPLOAD_LIMIT_BYTES with 413 and stores nothing', async () => {
    const big = await noisePng(100, 100); // ~30 kB
    expect(big.length).toBeGreaterThan(20000);
    const response = await send('PUT', '/me/avatar', big);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(filesIn('avatars')).toEqual([]);
    expect((await send('PUT', '/me/avatar', await png(50, 50))).statusCode).toBe(200);
  });

  it('refuses an attachment over ATTACHMENT_LIMIT_BYTES with 413 and stores nothing', async () => {
    const url = `/conversations/${ticket.conversationId}/attachments`;
    const fits = await noisePng(100, 100);
    expect((await send('POST', url, fits)).statusCode).toBe(201);
    const before = filesIn('attachments').sort();
    const response = await send('POST', url, Buffer.concat([fits, fits]));
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
    expect(filesIn('attachments').sort()).toEqual(before);
    const rows = await t.database.db.selectFrom('attachments').select('id').execute();
    expect(rows).toHaveLength(1);
  });
});
