import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../clock';
import { openDatabase, type DatabaseHandle } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { seedDemoOrg } from '../db/seed';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { archiveContents } from '../testing/archive-contents';
import { exportArchive } from './archive-export';
import { ArchiveRefused } from './archive-refused';
import { runArchiveCommand, SCHEMA_VERSION } from './archive-commands';
import { backupInstallation, restoreInstallation } from './installation-backup';
import { rawDb } from './table-catalog';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-test-'));

/** Everything the installation holds, modulo order, as its export says (rows as lines, files as checksums). */
async function snapshotOf(database: DatabaseHandle, dataDir: string) {
  const file = path.join(scratch, `compare-${Date.now()}-${Math.random()}.zip`);
  const source = { db: rawDb(database.db), dialect: database.dialect, dataDir, schemaVersion: SCHEMA_VERSION };
  await exportArchive(source, file);
  return archiveContents(file);
}

describe(`parley backup and restore on ${TEST_DIALECT}`, () => {
  let test: TestDatabase;
  let database: DatabaseHandle;
  let dataDir: string;
  const installation = () => ({ databaseUrl: test.url, dataDir, schemaVersion: SCHEMA_VERSION });
  const reopen = async () => {
    database = await openDatabase(test.url);
    await migrateToLatest(database.db);
  };

  beforeAll(async () => {
    test = createTestDatabase(TEST_DIALECT);
    dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
    await reopen();
    await seedDemoOrg(database.db, systemClock, dataDir);
  });
  afterAll(async () => {
    await database?.close();
    await test?.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('backs up with the database open, and a restore brings back exactly what was backed up', async () => {
    const backedUp = await snapshotOf(database, dataDir);
    const file = path.join(scratch, 'backup.zip');
    const manifest = await backupInstallation(installation(), file);
    expect(manifest).toMatchObject({ dialect: TEST_DIALECT, schemaVersion: SCHEMA_VERSION });
    expect(manifest.files.length).toBeGreaterThan(0);

    // Later, someone deletes a ticket's thread and renames everybody; then the operator restores.
    await database.db.updateTable('users').set({ displayName: 'Renamed' }).execute();
    await database.db.deleteFrom('messages').where('body', 'like', '%VAT%').execute();
    expect(await snapshotOf(database, dataDir)).not.toEqual(backedUp);
    await database.close();
    await restoreInstallation(installation(), file);
    await reopen();
    expect(await snapshotOf(database, dataDir)).toEqual(backedUp);
  });

  it('refuses a damaged backup before replacing anything', async () => {
    const file = path.join(scratch, 'to-damage.zip');
    await backupInstallation(installation(), file);
    const before = await snapshotOf(database, dataDir);
    // Flip a byte in the middle of the zip: inside the database snapshot (by far the largest entry).
    const bytes = fs.readFileSync(file);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = bytes[at]! ^ 0xff;
    fs.writeFileSync(file, bytes);
    await database.close();
    await expect(restoreInstallation(installation(), file)).rejects.toThrow();
    await reopen();
    expect(await snapshotOf(database, dataDir)).toEqual(before);
  });

  it('refuses a backup of another kind of database, pointing to export and import', async () => {
    const other =
      TEST_DIALECT === 'sqlite' ? 'postgres://postgres@127.0.0.1:5432/elsewhere' : 'sqlite:/nonexistent/x.db';
    const file = path.join(scratch, 'kind.zip');
    await backupInstallation(installation(), file);
    const elsewhere = { ...installation(), databaseUrl: other };
    await expect(restoreInstallation(elsewhere, file)).rejects.toBeInstanceOf(ArchiveRefused);
    await expect(restoreInstallation(elsewhere, file)).rejects.toThrow(/use `parley export` and `parley import`/);
  });

  it('is `npm run parley -- backup --out <file>` and `restore <file>`', async () => {
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`error: ${line}`) };
    const file = path.join(scratch, 'by-command.zip');
    const where = { databaseUrl: test.url, dataDir };
    expect(await runArchiveCommand(['backup', '--out', file], where, io)).toBe(0);
    await database.close();
    expect(await runArchiveCommand(['restore', file], where, io)).toBe(0);
    await reopen();
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^backed up the ${TEST_DIALECT} database and \\d+ files to .*by-command\\.zip$`),
      ),
      expect.stringMatching(new RegExp(`^restored the ${TEST_DIALECT} database and \\d+ files of 20`)),
    ]);
    expect(await runArchiveCommand(['restore', path.join(scratch, 'missing.zip')], where, io)).not.toBe(0);
  });
});
