import { createInterface } from 'node:readline';
import { sql, type Transaction } from 'kysely';
import type { ArchiveSource } from './archive-export';
import { ArchiveManifestSchema, MANIFEST_ENTRY, type ArchiveManifest } from './archive-manifest';
import { ArchiveRefused } from './archive-refused';
import { readCatalog, type RawTables } from './table-catalog';
import { checking, stageUploads } from './upload-staging';
import { openZip, type ZipReader } from './zip-reader';

export type ArchiveTarget = ArchiveSource;

export interface ImportReport {
  rows: number;
  files: number;
}

/** Cells per INSERT: under every database's limit on bound parameters. */
const CELLS_PER_INSERT = 10_000;
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/**
 * Loads an archive into an installation that has no accounts yet (a new one, migrated to the
 * archive's schema version, on any of the three databases): its uploads first, then every row
 * in one transaction, each entry checked against the manifest's checksum and count as it
 * streams. Any problem undoes the lot: the rows roll back, the files written are removed.
 */
export async function importArchive(target: ArchiveTarget, file: string): Promise<ImportReport> {
  const zip = await openZip(file);
  try {
    const manifest = await readManifest(zip);
    await checkFits(target, manifest);
    const uploads = await stageUploads(zip, target.dataDir, manifest.files, { overwrite: false });
    await uploads.place();
    try {
      const rows = await target.db.transaction().execute(async (trx) => {
        // A new installation has its migrations' defaults (a workspace, its roles): the archive's replace them.
        for (const table of [...manifest.tables].reverse()) await trx.deleteFrom(table.name).execute();
        let count = 0;
        for (const table of manifest.tables) count += await loadTable(trx, zip, table);
        return count;
      });
      return { rows, files: manifest.files.length };
    } catch (error) {
      await uploads.unplace();
      throw error;
    }
  } finally {
    zip.close();
  }
}

async function readManifest(zip: ZipReader): Promise<ArchiveManifest> {
  if (!zip.has(MANIFEST_ENTRY)) throw new ArchiveRefused(`Not a Parley archive: it has no ${MANIFEST_ENTRY}`);
  const parsed = ArchiveManifestSchema.safeParse(
    parseJson((await zip.readAll(MANIFEST_ENTRY, MAX_MANIFEST_BYTES)).toString()),
  );
  if (!parsed.success) throw new ArchiveRefused(`Not a Parley archive this version reads: ${parsed.error.message}`);
  return parsed.data;
}

/** Same schema, same tables and columns, and nobody here yet. */
async function checkFits(target: ArchiveTarget, manifest: ArchiveManifest) {
  if (manifest.schemaVersion !== target.schemaVersion) {
    throw new ArchiveRefused(
      `The archive is of schema ${manifest.schemaVersion}, this installation of ${target.schemaVersion}: ` +
        'import it with the Parley version that exported it (then upgrade)',
    );
  }
  const here = new Map((await readCatalog(target.db, target.dialect)).map((t) => [t.name, t.columns.join(',')]));
  const there = new Map(manifest.tables.map((t) => [t.name, t.columns.join(',')]));
  const differ = [...new Set([...here.keys(), ...there.keys()])].filter((name) => here.get(name) !== there.get(name));
  if (differ.length > 0)
    throw new ArchiveRefused(`The archive's tables differ from this installation's: ${differ.join(', ')}`);
  const { rows } = await sql<{ n: number | string }>`SELECT COUNT(*) AS n FROM users`.execute(target.db);
  const accounts = Number(rows[0]!.n);
  if (accounts > 0) {
    throw new ArchiveRefused(`This installation already has ${accounts} account(s): import only into a new, empty one`);
  }
}

async function loadTable(trx: Transaction<RawTables>, zip: ZipReader, table: ArchiveManifest['tables'][number]) {
  const check = checking(table.entry, table.sha256);
  const lines = createInterface({ input: (await zip.open(table.entry)).pipe(check.stream), crlfDelay: Infinity });
  const perInsert = Math.max(1, Math.min(500, Math.floor(CELLS_PER_INSERT / table.columns.length)));
  const expected = table.columns.join(',');
  let batch: Record<string, unknown>[] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await trx
      .insertInto(table.name)
      .values(batch as never)
      .execute();
    batch = [];
  };
  for await (const line of lines) {
    const row = parseRow(line, table.entry, count + 1);
    if (Object.keys(row).join(',') !== expected) {
      throw new ArchiveRefused(`${table.entry} line ${count + 1} has other columns than the manifest says`);
    }
    batch.push(row);
    count += 1;
    if (batch.length >= perInsert) await flush();
  }
  await flush();
  check.verify();
  if (count !== table.rows)
    throw new ArchiveRefused(`${table.entry} has ${count} rows, the manifest says ${table.rows}`);
  return count;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // the schema says what is wrong with that
  }
}

function parseRow(line: string, entry: string, lineNumber: number): Record<string, unknown> {
  const row = parseJson(line);
  if (row !== null && typeof row === 'object' && !Array.isArray(row)) return row as Record<string, unknown>;
  throw new ArchiveRefused(`${entry} line ${lineNumber} is not a row`);
}
