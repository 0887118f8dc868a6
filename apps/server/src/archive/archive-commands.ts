import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, type DatabaseHandle } from '../db/connect';
import { migrateToLatest } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { CliIo } from '../operators/operator-commands';
import { exportArchive } from './archive-export';
import { importArchive } from './archive-import';
import { ArchiveRefused } from './archive-refused';
import { backupInstallation, restoreInstallation } from './installation-backup';
import { rawDb, type RawDb } from './table-catalog';

/**
 * `npm run parley -- <command>`: moving and keeping an installation (docs/backup-and-migration.md).
 * Exit codes: 0 done, 1 refused or failed (nothing changed), 2 usage error.
 */
export const USAGE = `usage: npm run parley -- <command>
  export  --out <file.zip> [--workspace <slug>]
                             the whole installation (or one workspace), portable to any database
  import  <file.zip>         an export, into a new installation (no accounts yet) on any database
  backup  --out <file.zip>   a consistent snapshot of the running installation, same database kind
  restore <file.zip>         a backup, back in place (stop the server first)
The database is DATABASE_URL's (SQLite under DATA_DIR by default); uploads are DATA_DIR's.`;

export interface Installation {
  databaseUrl: string;
  dataDir: string;
  /** Where relative file names start (npm runs a workspace's script in its own folder). */
  cwd?: string;
}

/** The schema version this code migrates to: archives and backups name it. */
export const SCHEMA_VERSION = Object.keys(migrations).at(-1)!;

export async function runArchiveCommand(argv: string[], installation: Installation, io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { out: { type: 'string' }, workspace: { type: 'string' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, given, ...extra] = positionals;
  const resolve = (name: string | undefined) => name && path.resolve(installation.cwd ?? process.cwd(), name);
  const file = resolve(given);
  const out = resolve(values.out);
  const needsOut = command === 'export' || command === 'backup';
  if (extra.length > 0 || (needsOut ? !out || file : !file || out)) return usage(io);
  if (values.workspace !== undefined && command !== 'export') return usage(io);
  const context = { ...installation, schemaVersion: SCHEMA_VERSION };
  try {
    switch (command) {
      case 'export': {
        const manifest = await withDatabase(installation, async (database) => {
          const db = rawDb(database.db);
          const scope = values.workspace ? { workspace: await workspaceNamed(db, values.workspace) } : undefined;
          return exportArchive({ ...context, db, dialect: database.dialect }, out!, scope);
        });
        const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
        const what = 'workspace' in manifest.scope ? ` of workspace ${manifest.scope.workspace.slug}` : '';
        io.out(
          `exported ${rows} rows${what} in ${manifest.tables.length} tables and ${manifest.files.length} files to ${out}`,
        );
        return 0;
      }
      case 'import': {
        const report = await withDatabase(installation, (database) =>
          importArchive({ ...context, db: rawDb(database.db), dialect: database.dialect }, file!),
        );
        io.out(`imported ${report.rows} rows and ${report.files} files from ${file}`);
        return 0;
      }
      case 'backup': {
        await withDatabase(installation, async () => {}); // migrated, as the server has it
        const manifest = await backupInstallation(context, out!);
        io.out(`backed up the ${manifest.dialect} database and ${manifest.files.length} files to ${out}`);
        return 0;
      }
      case 'restore': {
        await withDatabase(installation, async () => {}, { migrate: false }); // made, when it is missing
        const manifest = await restoreInstallation(context, file!);
        await withDatabase(installation, async () => {}); // a backup of an older version: brought up to date
        io.out(`restored the ${manifest.dialect} database and ${manifest.files.length} files of ${manifest.createdAt}`);
        return 0;
      }
      default:
        return usage(io);
    }
  } catch (error) {
    if (error instanceof ArchiveRefused) {
      io.err(error.message);
      return 1;
    }
    const missing = error as NodeJS.ErrnoException;
    if (missing.code === 'ENOENT' && missing.path) {
      io.err(`${missing.path}: no such file`);
      return 1;
    }
    throw error;
  }
}

async function withDatabase<T>(
  installation: Installation,
  work: (database: DatabaseHandle) => Promise<T>,
  { migrate = true } = {},
): Promise<T> {
  const database = await openDatabase(installation.databaseUrl);
  try {
    if (migrate) await migrateToLatest(database.db);
    return await work(database);
  } finally {
    await database.close();
  }
}

async function workspaceNamed(db: RawDb, slug: string) {
  const found = await db.selectFrom('workspaces').select(['id', 'slug']).where('slug', '=', slug).executeTakeFirst();
  if (!found) throw new ArchiveRefused(`No workspace ${slug} here`);
  return { id: String(found.id), slug: String(found.slug) };
}

function usage(io: CliIo): number {
  io.err(USAGE);
  return 2;
}
