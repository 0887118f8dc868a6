import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Session, Ticket } from '@parley/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../../apps/server/src/testing/multipart';
import { bearer, signUp, startTestApp, type TestApp } from '../../apps/server/src/testing/test-app';
import { openTicket } from '../../apps/server/src/testing/test-desk';
import { TEST_DIALECT } from '../../apps/server/src/testing/test-database';

/**
 * A real full disk and a real read-only one: the uploads folder is a tiny tmpfs. Mounting
 * needs root (CI has it); a developer's machine without it skips, CI never does.
 */
const canMount = (() => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'ignore' });
    execFileSync('umount', [dir]);
    return true;
  } catch {
    return false;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
})();
if (!canMount && process.env.CI !== 'true') console.warn('[parley] skipping the disk-full suite: cannot mount a tmpfs');

describe.skipIf(!canMount && process.env.CI !== 'true')(`uploads when the disk fails on ${TEST_DIALECT}`, () => {
  let t: TestApp;
  let uploads: string;
  let carla: Session;
  let ticket: Ticket;
  const mount = (options: string) => execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', uploads]);
  const remount = (options: string) => execFileSync('mount', ['-o', `remount,${options}`, uploads]);

  beforeAll(async () => {
    t = await startTestApp();
    uploads = path.join(t.config.dataDir, 'uploads');
    fs.mkdirSync(uploads, { recursive: true });
    mount('size=256k');
    carla = await signUp(t);
    ticket = await openTicket(t, carla);
  });
  afterAll(async () => {
    if (uploads) execFileSync('umount', [uploads]);
    await t?.close();
  });

  const attach = (content: Buffer) => {
    const body = multipart({ fileName: 'report.bin', content });
    return t.app.inject({
      method: 'POST',
      url: `/conversations/${ticket.conversationId}/attachments`,
      headers: { ...bearer(carla), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  const setAvatar = async () => {
    const image = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#c33' } })
      .png()
      .toBuffer();
    const body = multipart({ fileName: 'me.png', contentType: 'image/png', content: image });
    return t.app.inject({
      method: 'PUT',
      url: '/me/avatar',
      headers: { ...bearer(carla), 'content-type': body.contentType },
      payload: body.payload,
    });
  };
  /** Every file under the uploads folder, temporary ones included. */
  const filesOnDisk = () =>
    (fs.readdirSync(uploads, { recursive: true }) as string[]).filter((f) =>
      fs.statSync(path.join(uploads, f)).isFile(),
    );
  const attachmentRows = async () => (await t.database.db.selectFrom('attachments').select('id').execute()).length;
  const avatarOf = async () =>
    (await t.app.inject({ method: 'GET', url: '/me', headers: bearer(carla) })).json().avatarUrl;

  it('refuses a file the disk has no room for with 507, leaving no partial file and no record', async () => {
    const full = await attach(crypto.randomBytes(400 * 1024));
    expect(full.statusCode).toBe(507);
    expect(full.json().error.code).toBe('insufficient_storage');
    expect(filesOnDisk()).toEqual([]);
    expect(await attachmentRows()).toBe(0);

    remount('size=4m'); // room again: the same upload works
    const stored = await attach(crypto.randomBytes(400 * 1024));
    expect(stored.statusCode).toBe(201);
    expect(await attachmentRows()).toBe(1);
  });

  it('answers 503 while the folder is read-only, keeps the old avatar, and works once it is writable', async () => {
    const before = filesOnDisk();
    remount('ro');
    const refused = await setAvatar();
    expect(refused.statusCode).toBe(503);
    expect(refused.json().error.code).toBe('unavailable');
    expect(await avatarOf()).toBeNull();
    expect(filesOnDisk()).toEqual(before);

    remount('rw');
    expect((await setAvatar()).statusCode).toBe(200);
    expect(await avatarOf()).toMatch(/^\/avatars\/[0-9a-f]{32}$/);
  });

  it('keeps a new avatar whose old files cannot be removed: the old ones are left behind, not the new', async () => {
    const old = await avatarOf();
    const oldFiles = filesOnDisk().filter((f) => f.includes(old.split('/').pop()));
    expect(oldFiles).toHaveLength(2);
    const immutable = (flag: '+i' | '-i') =>
      execFileSync('chattr', [flag, ...oldFiles.map((f) => path.join(uploads, f))]);
    immutable('+i'); // not even root may remove them now
    try {
      const replaced = await setAvatar();
      expect(replaced.statusCode).toBe(200);
      const now = await avatarOf();
      expect(now).not.toBe(old);
      expect(replaced.json().avatarUrl).toBe(now);
      expect((await t.app.inject({ method: 'GET', url: now })).statusCode).toBe(200);
    } finally {
      immutable('-i');
    }
  });
});
