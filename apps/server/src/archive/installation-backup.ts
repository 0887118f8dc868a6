import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import SqliteDatabase from 'better-sqlite3';
import yazl from 'yazl';
import { z } from 'zod';
import { parseDatabaseUrl, type DatabaseTarget } from '../db/database-url';
import { addFile, listUploads } from './archive-export';
import { parseJson } from './archive-import';
import { ArchiveRefused } from './archive-refused';
import { stageUploads, unpackChecked } from './upload-staging';
import { openZip } from './zip-reader';

/**
 * `parley backup` / `parley restore`: the installation as it is, on the same kind of database
 * (to move to another kind, export and import instead). A backup is a zip of the database's
 * own snapshot (SQLite's online backup API, `pg_dump`, `mariadb-dump`: each consistent while
 * the server runs), the uploads, and `backup.json` with checksums.
 */
export interface Installation {
  databaseUrl: string;
  dataDir: string;
  schemaVersion: string;
}

const BACKUP_ENTRY = 'backup.json';
const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);
const BackupManifestSchema = z.object({
  format: z.literal('parley-backup'),
  version: z.literal(1),
  dialect: z.enum(['sqlite', 'mysql', 'postgres']),
  schemaVersion: z.string(),
  createdAt: z.string(),
  database: z.object({ entry: z.string(), bytes: z.number().int(), sha256: Sha256Schema }),
  files: z.array(
    z.object({
      path: z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/),
      bytes: z.number().int(),
      sha256: Sha256Schema,
    }),
  ),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;

const DUMP_ENTRY = { sqlite: 'database.sqlite', postgres: 'database.pgdump', mysql: 'database.sql' } as const;

export async function backupInstallation(installation: Installation, file: string): Promise<BackupManifest> {
  const target = parseDatabaseUrl(installation.databaseUrl);
  const work = await mkdtemp(path.join(os.tmpdir(), 'parley-backup-'));
  const partial = `${file}.partial`;
  try {
    const dump = path.join(work, DUMP_ENTRY[target.dialect]);
    await snapshot(target, dump);
    const zip = new yazl.ZipFile();
    const written = pipeline(zip.outputStream, createWriteStream(partial, { mode: 0o600 }));
    const database = await addFile(zip, dump, DUMP_ENTRY[target.dialect], DUMP_ENTRY[target.dialect]);
    const files = [];
    for (const relative of await listUploads(installation.dataDir)) {
      files.push(await addFile(zip, path.join(installation.dataDir, 'uploads', relative), relative));
    }
    const manifest: BackupManifest = {
      format: 'parley-backup',
      version: 1,
      dialect: target.dialect,
      schemaVersion: installation.schemaVersion,
      createdAt: new Date().toISOString(),
      database: { entry: database.path, bytes: database.bytes, sha256: database.sha256 },
      files,
    };
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), BACKUP_ENTRY);
    zip.end();
    await written;
    await rename(partial, file);
    return manifest;
  } finally {
    await rm(partial, { force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * Puts the installation back as the backup has it: the database replaced whole, the backup's
 * uploads written (others already there stay). Stop the server first: SQLite's file is
 * swapped under it. Everything is checked before anything is replaced.
 */
export async function restoreInstallation(installation: Installation, file: string): Promise<BackupManifest> {
  const target = parseDatabaseUrl(installation.databaseUrl);
  const zip = await openZip(file);
  const work = await mkdtemp(path.join(os.tmpdir(), 'parley-restore-'));
  try {
    if (!zip.has(BACKUP_ENTRY)) throw new ArchiveRefused(`Not a Parley backup: it has no ${BACKUP_ENTRY}`);
    const parsed = BackupManifestSchema.safeParse(parseJson((await zip.readAll(BACKUP_ENTRY, 64 << 20)).toString()));
    if (!parsed.success) throw new ArchiveRefused(`Not a Parley backup this version reads: ${parsed.error.message}`);
    const manifest = parsed.data;
    if (manifest.dialect !== target.dialect) {
      throw new ArchiveRefused(
        `This is a ${manifest.dialect} backup and DATABASE_URL is ${target.dialect}: ` +
          'to move between databases, use `parley export` and `parley import`',
      );
    }
    const dump = path.join(work, DUMP_ENTRY[target.dialect]);
    await unpackChecked(zip, manifest.database.entry, dump, manifest.database);
    const uploads = await stageUploads(zip, installation.dataDir, manifest.files, { overwrite: true });
    try {
      await replaceDatabase(target, dump);
    } catch (error) {
      await uploads.discard();
      throw error;
    }
    await uploads.place();
    return manifest;
  } finally {
    zip.close();
    await rm(work, { recursive: true, force: true });
  }
}

async function snapshot(target: DatabaseTarget, dump: string): Promise<void> {
  if (target.dialect === 'sqlite') {
    if (target.file === ':memory:') throw new ArchiveRefused('An in-memory database has nothing to back up');
    const source = new SqliteDatabase(target.file, { readonly: true, fileMustExist: true });
    try {
      await source.backup(dump);
    } finally {
      source.close();
    }
  } else if (target.dialect === 'postgres') {
    const { url, env } = withoutPassword(target.url, 'PGPASSWORD');
    await run(['pg_dump'], ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, `--dbname=${url}`], {
      env,
    });
  } else {
    const { args, env } = mysqlArgs(target);
    await run(['mariadb-dump', 'mysqldump'], ['--single-transaction', '--routines', '--triggers', ...args], {
      env,
      stdoutTo: dump,
    });
  }
}

async function replaceDatabase(target: DatabaseTarget, dump: string): Promise<void> {
  if (target.dialect === 'sqlite') {
    const check = new SqliteDatabase(dump);
    try {
      const result = check.pragma('integrity_check', { simple: true });
      if (result !== 'ok')
        throw new ArchiveRefused(`The backup's database fails its integrity check: ${String(result)}`);
    } finally {
      check.close();
    }
    const staged = `${target.file}.restoring`;
    await pipeline(createReadStream(dump), createWriteStream(staged, { mode: 0o600 }));
    // The old write-ahead log belongs to the old file: replayed over the new one it would corrupt it.
    await rm(`${target.file}-wal`, { force: true });
    await rm(`${target.file}-shm`, { force: true });
    await rename(staged, target.file);
  } else if (target.dialect === 'postgres') {
    const { url, env } = withoutPassword(target.url, 'PGPASSWORD');
    const args = ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--dbname=${url}`];
    await run(['pg_restore'], [...args, dump], { env });
  } else {
    const { args, env } = mysqlArgs(target);
    await run(['mariadb', 'mysql'], args, { env, stdinFrom: dump });
  }
}

/** The password goes to the tool by environment, not on its command line (`ps` shows those). */
function withoutPassword(url: URL, variable: string) {
  const bare = new URL(url.href);
  const password = decodeURIComponent(bare.password);
  bare.password = '';
  return { url: bare.href, env: password ? { [variable]: password } : {} };
}

function mysqlArgs(target: Extract<DatabaseTarget, { url: URL }>) {
  const { url, env } = withoutPassword(target.url, 'MYSQL_PWD');
  const parsed = new URL(url);
  const args = [
    `--host=${parsed.hostname}`,
    `--port=${parsed.port || '3306'}`,
    `--user=${decodeURIComponent(parsed.username) || 'root'}`,
    '--default-character-set=utf8mb4',
    target.database,
  ];
  return { args, env };
}

/** Runs the first of `names` installed; fails with what it printed when it exits non-zero. */
async function run(
  names: string[],
  args: string[],
  options: { env: Record<string, string>; stdoutTo?: string; stdinFrom?: string },
): Promise<void> {
  const name = await firstInstalled(names);
  const child = spawn(name, args, {
    env: { ...process.env, ...options.env },
    stdio: [options.stdinFrom ? 'pipe' : 'ignore', options.stdoutTo ? 'pipe' : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 4096) stderr += chunk.toString();
  });
  const piped = [
    options.stdoutTo ? pipeline(child.stdout!, createWriteStream(options.stdoutTo, { mode: 0o600 })) : null,
    options.stdinFrom ? pipeline(createReadStream(options.stdinFrom), child.stdin!) : null,
  ];
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  await Promise.all(piped);
  if (code !== 0) throw new Error(`${name} failed (exit ${code}): ${stderr.trim()}`);
}

async function firstInstalled(names: string[]): Promise<string> {
  for (const name of names) {
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      if (dir && (await stat(path.join(dir, name)).catch(() => null))?.isFile()) return name;
    }
  }
  throw new ArchiveRefused(`${names.join(' or ')} is not installed: see docs/backup-and-migration.md`);
}
