import fs from 'node:fs';
import path from 'node:path';
import type { Attachment, Me, Session, WorkspaceSettings } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, type FilePart } from '../../apps/server/src/testing/multipart';
import { bearer } from '../../apps/server/src/testing/test-app';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';
import { as } from '../../apps/server/src/testing/test-desk';
import { expectError, withoutChange } from './bad-input-kit';
import { setStage, type Stage } from './text-fields';

/**
 * Hostile uploads, beyond what uploads.db.test.ts proves: file names that try to climb out of
 * the uploads directory or split the Content-Disposition header, and files that are two things
 * at once (a GIF that is also JavaScript, XML that is also a web page). Files land under random
 * keys only; names are shown sanitized; nothing is ever served as markup or script.
 */

/** Every file the data directory holds, relative to it. */
function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile());
}

/** What the disk holds where a naive `path.join(dir, name)` would have written. */
const stateOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 'absent');

/** What the server itself keeps in DATA_DIR: its VAPID key pair, made at the first start. */
const SERVER_FILES = new Set(['vapid.json']);
const STORED_FILE =
  /^uploads[/\\](attachments[/\\][0-9a-f]{32}(\.thumb\.webp)?|avatars[/\\][0-9a-f]{32}-(256|64)\.webp)$/;

/** The types a browser would run as a page or a script. */
const ACTIVE_TYPE = /html|xml|svg|javascript|ecmascript|x-shockwave-flash/;

const HOSTILE_NAMES: Array<{ label: string; part: Omit<FilePart, 'content'>; shown: string }> = [
  { label: 'a path climbing out', part: { fileName: '../../../../../../tmp/pwned.txt' }, shown: 'pwned.txt' },
  { label: 'a path to /etc/passwd', part: { fileName: '../../etc/passwd' }, shown: 'passwd' },
  {
    label: 'a Windows path climbing out',
    part: { fileName: '..\\\\..\\\\windows\\\\system32\\\\drivers\\\\etc\\\\hosts' },
    shown: 'hosts',
  },
  { label: 'an absolute path', part: { fileName: '/etc/shadow' }, shown: 'shadow' },
  { label: 'a drive letter', part: { fileName: 'C:\\\\Windows\\\\win.ini' }, shown: 'win.ini' },
  { label: 'a UNC path', part: { fileName: '\\\\\\\\server\\\\share\\\\evil.exe' }, shown: 'evil.exe' },
  { label: 'only dots', part: { fileName: '..' }, shown: 'file' },
  { label: 'a dot file', part: { fileName: '.htaccess' }, shown: 'htaccess' },
  { label: 'nothing but spaces', part: { fileName: '   ' }, shown: 'file' },
  { label: 'percent-encoded slashes', part: { fileName: '..%2F..%2Fetc%2Fpasswd' }, shown: '%2F..%2Fetc%2Fpasswd' },
  { label: 'a raw NUL', part: { fileName: 'evil.php\u0000.png' }, shown: 'evil.php.png' },
  { label: 'an encoded NUL', part: { dispositionParams: "filename*=UTF-8''evil.php%00.png" }, shown: 'evil.php.png' },
  {
    label: 'encoded tabs and vertical tabs',
    part: { dispositionParams: "filename*=UTF-8''a%09b%0Bc.txt" },
    shown: 'abc.txt',
  },
  {
    label: 'a Unicode line separator and a NEL',
    part: { dispositionParams: "filename*=UTF-8''a%E2%80%A8b%C2%85c.txt" },
    shown: 'a bc.txt',
  },
  {
    label: 'a quote that would end the parameter',
    part: { fileName: 'a\\"; filename=evil.html; x=\\"' },
    shown: 'a"; filename=evil.html; x="',
  },
  {
    label: 'a semicolon and backslashes',
    part: { fileName: "x; filename*=UTF-8''evil.html" },
    shown: "x; filename*=UTF-8''evil.html",
  },
  { label: '1,000 characters', part: { fileName: `${'a'.repeat(1000)}.pdf` }, shown: `${'a'.repeat(251)}.pdf` },
  {
    label: '300 emoji',
    part: { dispositionParams: `filename*=UTF-8''${encodeURIComponent('😀'.repeat(300))}.png` },
    shown: `${'😀'.repeat(251)}.png`,
  },
];

describe(`hostile uploads on ${TEST_DIALECT}`, () => {
  let stage: Stage;
  let gif: Buffer;

  beforeAll(async () => {
    stage = await setStage();
    gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 0, g: 120, b: 200 } } })
      .gif()
      .toBuffer();
  });
  afterAll(() => stage.t.close());

  const upload = (method: 'PUT' | 'POST', url: string, who: Session, part: FilePart) => {
    const body = multipart(part);
    return stage.t.app.inject({
      method,
      url,
      headers: { ...bearer(who), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const attach = (part: FilePart) =>
    upload('POST', `/conversations/${stage.ticket.conversationId}/attachments`, stage.desk.carla, part);
  const putAvatar = (part: FilePart) => upload('PUT', '/me/avatar', stage.desk.carla, part);
  const dataDir = () => stage.t.config.dataDir;

  describe('file names', () => {
    it.each(HOSTILE_NAMES)('stores $label under a random key and shows it sanitized', async ({ part, shown }) => {
      const attachments = path.join(dataDir(), 'uploads', 'attachments');
      const rawName = part.fileName ?? '';
      const naive = [path.join(attachments, rawName), path.resolve(attachments, rawName.replace(/\\+/g, '/'))].filter(
        (file) => !fs.existsSync(file) || fs.statSync(file).isFile(),
      );
      const before = naive.map(stateOf);

      const response = await attach({ ...part, contentType: 'text/plain', content: 'just text' });
      expect(response.statusCode, response.body).toBe(201);
      const attachment = response.json<Attachment>();
      expect(attachment.fileName).toBe(shown);
      expect([...attachment.fileName].length).toBeLessThanOrEqual(255);
      const row = await stage.t.database.db
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', attachment.id)
        .executeTakeFirstOrThrow();
      expect(row.fileName).toBe(shown);
      expect(row.storageKey).toMatch(/^[0-9a-f]{32}$/);

      // On disk: random keys under uploads/, nothing anywhere else, nothing where the name points.
      expect(filesUnder(dataDir()).filter((f) => !STORED_FILE.test(f) && !SERVER_FILES.has(f))).toEqual([]);
      expect(naive.map(stateOf)).toEqual(before);

      const download = await as(stage.t, stage.desk.carla).get(attachment.url);
      expect(download.statusCode).toBe(200);
      expect(download.body).toBe('just text');
      const disposition = String(download.headers['content-disposition']);
      expect(disposition).not.toMatch(/[\r\n]/);
      const match = /^attachment; filename="([\x20-\x7e]*)"; filename\*=UTF-8''([A-Za-z0-9%._~!-]*)$/.exec(disposition);
      expect(match, disposition).not.toBeNull();
      expect(match![1]).not.toMatch(/["\\]/);
      expect(decodeURIComponent(match![2]!)).toBe(shown);
    });
  });

  it('refuses a name with an encoded line break, which the multipart parser drops, storing nothing', async () => {
    const before = filesUnder(dataDir()).sort();
    await withoutChange(stage.t, async () => {
      const response = await attach({
        dispositionParams: "filename*=UTF-8''a%0D%0AContent-Type%3A%20text%2Fhtml%0D%0A%0D%0A%3Cscript%3E.txt",
        content: '<script>alert(1)</script>',
      });
      expectError(response, 400, 'validation_failed', 'file');
    });
    expect(filesUnder(dataDir()).sort()).toEqual(before);
  });

  describe('files that are two things at once, as attachments', () => {
    const POLYGLOTS = [
      {
        label: 'a GIF header over JavaScript',
        content: () => Buffer.from('GIF89a/*\x00\x00\x00\x00*/=alert(document.cookie)//;'),
        claimed: 'image/gif',
        type: 'application/octet-stream',
      },
      {
        label: 'a real GIF with JavaScript after its end',
        content: () => Buffer.concat([gif, Buffer.from('*/=alert(1)//')]),
        claimed: 'application/javascript',
        type: 'image/gif',
      },
      {
        label: 'XML that is an XHTML page',
        content: () =>
          '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
        claimed: 'application/xhtml+xml',
        type: 'application/octet-stream',
      },
      {
        label: 'SVG with a script and an XML prolog',
        content: () => '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        claimed: 'image/svg+xml',
        type: 'application/octet-stream',
      },
      {
        label: 'SVG with an onload handler',
        content: () => '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        claimed: 'image/svg+xml',
        type: 'application/octet-stream',
      },
      {
        label: 'an HTML page claiming to be a GIF',
        content: () => '<!doctype html><script>alert(1)</script>',
        claimed: 'image/gif',
        type: 'application/octet-stream',
      },
      {
        label: 'a PDF with JavaScript',
        content: () => '%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj',
        claimed: 'text/html',
        type: 'application/pdf',
      },
    ];

    it.each(POLYGLOTS)('never serves $label as markup or script', async ({ content, claimed, type }) => {
      const response = await attach({ fileName: 'innocent.gif', contentType: claimed, content: content() });
      expect(response.statusCode, response.body).toBe(201);
      const attachment = response.json<Attachment>();
      expect(attachment.contentType).toBe(type);

      const download = await as(stage.t, stage.desk.carla).get(attachment.url);
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toBe(type);
      expect(download.headers['content-type']).not.toMatch(ACTIVE_TYPE);
      expect(download.headers['x-content-type-options']).toBe('nosniff');
      expect(download.headers['content-security-policy']).toContain("default-src 'self'");
      // Only images we could decode are shown in the page; everything else is a download.
      expect(String(download.headers['content-disposition'])).toMatch(
        type.startsWith('image/') ? /^inline;/ : /^attachment;/,
      );
      expect(filesUnder(dataDir()).filter((f) => !STORED_FILE.test(f) && !SERVER_FILES.has(f))).toEqual([]);
    });
  });

  const PICTURES = [
    {
      what: 'avatars',
      put: putAvatar,
      current: async () => (await as(stage.t, stage.desk.carla).get('/me')).json<Me>().avatarUrl,
    },
    {
      what: 'workspace logos',
      put: (part: FilePart) => upload('PUT', '/workspace/logo', stage.desk.admin, part),
      current: async () => (await as(stage.t, stage.desk.carla).get('/workspace')).json<WorkspaceSettings>().logoUrl,
    },
  ];

  describe.each(PICTURES)('files that are two things at once, as $what', ({ put, current }) => {
    const REFUSED = [
      { label: 'a GIF header over JavaScript', content: () => Buffer.from('GIF89a/*\x00\x00*/=alert(1)//') },
      {
        label: 'SVG with a script',
        content: () => '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      },
      { label: 'XML', content: () => '<?xml version="1.0"?><x>alert(1)</x>' },
      { label: 'an HTML page', content: () => '<!doctype html><script>alert(1)</script>' },
      { label: 'a GIF cut short', content: () => gif.subarray(0, 30) },
    ];

    it.each(REFUSED)('refuses $label with 415 and stores nothing', async ({ content }) => {
      const pictureBefore = await current();
      const filesBefore = filesUnder(dataDir()).sort();
      await withoutChange(stage.t, async () => {
        const response = await put({ fileName: 'me.gif', contentType: 'image/gif', content: content() });
        expectError(response, 415, 'unsupported_media_type');
      });
      expect(filesUnder(dataDir()).sort()).toEqual(filesBefore);
      expect(await current()).toBe(pictureBefore);
    });

    const REENCODED = [
      {
        label: 'a real GIF with JavaScript after its end',
        content: () => Buffer.concat([gif, Buffer.from('*/=alert(1)//')]),
      },
      {
        label: 'a PNG carrying a script in a text chunk',
        content: () =>
          sharp({ create: { width: 16, height: 16, channels: 3, background: '#08c' } })
            .png()
            .withMetadata({ exif: { IFD0: { ImageDescription: '<script>alert(1)</script>' } } })
            .toBuffer(),
      },
    ];

    it.each(REENCODED)('takes $label only as a fresh WebP, the script left behind', async ({ content }) => {
      const bytes = await content();
      expect(bytes.includes('alert(1)')).toBe(true);
      const response = await put({ fileName: 'me.gif', contentType: 'image/gif', content: bytes });
      expect(response.statusCode, response.body).toBe(200);
      const answer = response.json<{ avatarUrl?: string; logoUrl?: string }>();
      const pictureUrl = (answer.avatarUrl ?? answer.logoUrl)!;
      expect(await current()).toBe(pictureUrl);
      const key = pictureUrl.split('/').pop()!;
      const stored = filesUnder(dataDir()).filter((f) => f.includes(key));
      expect(stored).toHaveLength(2);
      for (const file of stored) {
        const data = fs.readFileSync(path.join(dataDir(), file));
        expect((await sharp(data).metadata()).format).toBe('webp');
        expect(data.includes('alert(1)')).toBe(false);
      }
      const served = await stage.t.app.inject({ method: 'GET', url: pictureUrl });
      expect(served.headers['content-type']).toBe('image/webp');
      expect(served.headers['x-content-type-options']).toBe('nosniff');
    });
  });
});
