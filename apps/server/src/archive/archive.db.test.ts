import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResults } from '@parley/protocol';
import { systemClock } from '../clock';
import { openDatabase, type DatabaseHandle } from '../db/connect';
import type { Dialect } from '../db/database-url';
import { migrateToLatest } from '../db/migrate';
import { DEMO_PASSWORD, seedDemoOrg } from '../db/seed';
import { signIn, startTestApp } from '../testing/test-app';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from '../testing/test-database';
import { as } from '../testing/test-desk';
import { archiveContents } from '../testing/archive-contents';
import { exportArchive } from './archive-export';
import { importArchive } from './archive-import';
import { ArchiveRefused } from './archive-refused';
import { MANIFEST_ENTRY, type ArchiveManifest } from './archive-manifest';
import { runArchiveCommand, SCHEMA_VERSION } from './archive-commands';
import { rawDb } from './table-catalog';
import { openZip } from './zip-reader';

/** An installation of its own: a database of `dialect` (migrated) and a DATA_DIR. */
interface Installation {
  test: TestDatabase;
  database: DatabaseHandle;
  dataDir: string;
  close(): Promise<void>;
}

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-archive-'));

async function newInstallation(dialect: Dialect): Promise<Installation> {
  const test = createTestDatabase(dialect);
  const database = await openDatabase(test.url);
  await migrateToLatest(database.db);
  const dataDir = fs.mkdtempSync(path.join(scratch, 'data-'));
  return {
    test,
    database,
    dataDir,
    async close() {
      await database.close();
      await test.drop();
    },
  };
}

const archived = (i: Installation) => ({
  db: rawDb(i.database.db),
  dialect: i.database.dialect,
  dataDir: i.dataDir,
  schemaVersion: SCHEMA_VERSION,
});

let exports = 0;
const exportOf = (i: Installation) => exportArchive(archived(i), path.join(scratch, `export-${++exports}.zip`));
const archiveFile = () => path.join(scratch, `export-${exports}.zip`);

/** A copy of the archive with one table's entry replaced, the manifest left as it was. */
async function tampered(file: string, table: string, edit: (ndjson: string) => string): Promise<string> {
  const zip = await openZip(file);
  const manifest = JSON.parse((await zip.readAll(MANIFEST_ENTRY, 1 << 26)).toString()) as ArchiveManifest;
  const out = new yazl.ZipFile();
  const copy = path.join(scratch, `tampered-${table}.zip`);
  const written = pipeline(out.outputStream, fs.createWriteStream(copy));
  for (const entry of manifest.tables) {
    const body = (await zip.readAll(entry.entry, 1 << 26)).toString();
    out.addBuffer(Buffer.from(entry.name === table ? edit(body) : body), entry.entry);
  }
  for (const stored of manifest.files)
    out.addBuffer(await zip.readAll(`files/${stored.path}`, 1 << 26), `files/${stored.path}`);
  out.addBuffer(Buffer.from(JSON.stringify(manifest)), MANIFEST_ENTRY);
  out.end();
  await written;
  zip.close();
  return copy;
}

describe(`moving an installation from SQLite to ${TEST_DIALECT} and back (export, import)`, () => {
  let source: Installation;
  let sourceArchive: string;
  const others: Installation[] = [];
  const another = async (dialect: Dialect = TEST_DIALECT) => {
    const made = await newInstallation(dialect);
    others.push(made);
    return made;
  };

  beforeAll(async () => {
    source = await newInstallation('sqlite');
    await seedDemoOrg(source.database.db, systemClock, source.dataDir);
    await exportOf(source);
    sourceArchive = archiveFile();
  });
  afterAll(async () => {
    await Promise.all([source, ...others].map((i) => i?.close()));
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('exports every table and upload, imports them on this database, and exports the same again', async () => {
    const before = await archiveContents(sourceArchive);
    // The demo organisation fills most tables; the moved installation must hold all of it.
    expect(before.tables.users).toHaveLength(5);
    expect(before.tables.tickets!.length).toBeGreaterThan(0);
    expect(before.tables.messages!.length).toBeGreaterThan(10);
    expect(Object.keys(before.files).length).toBeGreaterThan(0);

    const target = await another();
    const report = await importArchive(archived(target), sourceArchive);
    expect(report.files).toBe(Object.keys(before.files).length);
    await exportOf(target);
    expect(await archiveContents(archiveFile())).toEqual(before);
  });

  it('brings what was exported from this database back to SQLite unchanged (the other way)', async () => {
    const middle = await another();
    await importArchive(archived(middle), sourceArchive);
    await exportOf(middle);
    const fromMiddle = archiveFile();
    const back = await another('sqlite');
    await importArchive(archived(back), fromMiddle);
    await exportOf(back);
    expect(await archiveContents(archiveFile())).toEqual(await archiveContents(sourceArchive));
  });

  it('runs the moved installation: people sign in with their passwords, search finds, avatars load', async () => {
    const target = await another();
    await importArchive(archived(target), sourceArchive);
    await target.database.close();
    const t = await startTestApp({ database: target.test, env: { DATA_DIR: target.dataDir } });
    target.database = t.database; // closed with the app; the installation's close then finds it closed
    try {
      const ada = await signIn(t, 'ada', 'default', DEMO_PASSWORD);
      const found = (await as(t, ada).get('/search?q=VAT&kind=tickets')).json<SearchResults>();
      expect(found.tickets!.items).toHaveLength(1);
      expect(JSON.stringify(found.tickets!.items[0]!.subject)).toContain('wrong');
      const avatar = ada.user.avatarUrl;
      expect(avatar).toMatch(/^\/avatars\//);
      expect((await as(t, ada).get(avatar!)).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });

  it('moves one workspace to an installation of its own: its people, rows and files, nothing of the others', async () => {
    const workspace = (slug: string) =>
      source.database.db
        .selectFrom('workspaces')
        .select(['id', 'slug'])
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow();
    const acmeFile = path.join(scratch, 'acme.zip');
    await exportArchive(archived(source), acmeFile, { workspace: await workspace('acme') });
    const acme = await archiveContents(acmeFile);
    const names = (rows: string[] | undefined) =>
      rows!.map((row) => (JSON.parse(row) as { username: string }).username);
    // Acme is Ada's alone: her account and its rows, none of the default workspace's people or tickets.
    expect(acme.tables.workspaces).toEqual([expect.stringContaining('"slug":"acme"')]);
    expect(names(acme.tables.users)).toEqual(['ada']);
    expect(acme.tables.tickets).toEqual([]);
    const ada = await source.database.db
      .selectFrom('users')
      .select('avatarKey')
      .where('username', '=', 'ada')
      .executeTakeFirstOrThrow();
    const areas = Object.keys(acme.files).map((f) => f.split('/')[0]);
    expect(new Set(areas)).toEqual(new Set(['avatars', 'workspace-logos']));
    expect(
      Object.keys(acme.files)
        .filter((f) => f.startsWith('avatars/'))
        .every((f) => f.includes(ada.avatarKey!)),
    ).toBe(true);

    const defaultFile = path.join(scratch, 'default.zip');
    await exportArchive(archived(source), defaultFile, { workspace: await workspace('default') });
    const desk = await archiveContents(defaultFile);
    expect(names(desk.tables.users).sort()).toEqual(['ada', 'carla', 'dan', 'kim', 'sam']);
    expect(desk.tables.workspaces).toEqual([expect.stringContaining('"slug":"default"')]);
    expect(Object.keys(desk.files).some((f) => f.startsWith('workspace-logos/'))).toBe(false);

    // On its new installation, Acme is all there is.
    const target = await another();
    await importArchive(archived(target), acmeFile);
    await exportOf(target);
    expect(await archiveContents(archiveFile())).toEqual(acme);
  });

  it('refuses an installation that already has accounts, and changes nothing there', async () => {
    const target = await another();
    await importArchive(archived(target), sourceArchive);
    await expect(importArchive(archived(target), sourceArchive)).rejects.toThrow(
      /already has 5 account\(s\): import only into a new, empty one/,
    );
    await exportOf(target);
    expect(await archiveContents(archiveFile())).toEqual(await archiveContents(sourceArchive));
  });

  it('refuses a damaged archive (a row edited after export): no rows, no files land', async () => {
    const damaged = await tampered(sourceArchive, 'tickets', (ndjson) => ndjson.replace('VAT', 'VTA'));
    const target = await another();
    await expect(importArchive(archived(target), damaged)).rejects.toThrow(
      /tables\/tickets\.ndjson does not match its checksum/,
    );
    const users = await target.database.db.selectFrom('users').select('id').execute();
    expect(users).toEqual([]);
    expect(fs.readdirSync(target.dataDir)).toEqual(
      fs.existsSync(path.join(target.dataDir, 'uploads')) ? ['uploads'] : [],
    );
    expect(fs.readdirSync(path.join(target.dataDir, 'uploads', 'avatars'), { recursive: true })).toEqual([]);
  });

  it('refuses an archive of another schema version, saying which Parley version to use', async () => {
    const target = await another();
    const older = { ...archived(target), schemaVersion: '2026-12-15T1000-api-tokens' };
    await expect(importArchive(older, sourceArchive)).rejects.toBeInstanceOf(ArchiveRefused);
    await expect(importArchive(older, sourceArchive)).rejects.toThrow(
      /import it with the Parley version that exported it/,
    );
  });

  it('is one command each way: npm run parley -- export, then import with the new DATABASE_URL', async () => {
    const target = await another();
    const lines: string[] = [];
    const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`error: ${line}`) };
    const file = path.join(scratch, 'by-command.zip');
    const from = { databaseUrl: source.test.url, dataDir: source.dataDir };
    expect(await runArchiveCommand(['export', '--out', file], from, io)).toBe(0);
    expect(await runArchiveCommand(['export', '--workspace', 'nope', '--out', `${file}.x`], from, io)).toBe(1);
    expect(lines.pop()).toBe('error: No workspace nope here');
    const to = { databaseUrl: target.test.url, dataDir: target.dataDir };
    expect(await runArchiveCommand(['import', file], to, io)).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^exported \d+ rows in \d+ tables and \d+ files to .*by-command\.zip$/),
      expect.stringMatching(/^imported \d+ rows and \d+ files from .*by-command\.zip$/),
    ]);
    expect(await runArchiveCommand(['import', file], to, io)).toBe(1);
    expect(lines.at(-1)).toMatch(/^error: This installation already has 5 account/);
    expect(await runArchiveCommand(['export'], from, io)).toBe(2);
  });
});
