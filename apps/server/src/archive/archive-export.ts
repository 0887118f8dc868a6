import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { once } from 'node:events';
import { sql, type RawBuilder } from 'kysely';
import yazl from 'yazl';
import type { Dialect } from '../db/database-url';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  fileEntry,
  MANIFEST_ENTRY,
  tableEntry,
  type ArchiveManifest,
} from './archive-manifest';
import { rowsInScope, storageKeyOf, UPLOAD_AREAS, type ArchiveScope } from './archive-scope';
import { digesting } from './digest-stream';
import { readCatalog, type CatalogTable, type RawDb } from './table-catalog';

export interface ArchiveSource {
  db: RawDb;
  dialect: Dialect;
  /** The installation's DATA_DIR: its `uploads/` go into the archive. */
  dataDir: string;
  /** The last migration run, which the archive names as its schema version. */
  schemaVersion: string;
}

/** Rows read per query: bounded memory, whatever the table's size. */
const PAGE = 1_000;

/**
 * Writes the whole installation to `file` as an archive (archive-manifest.ts), one table and
 * one file at a time, a page of rows at a time. Each table is read in primary key order: on a
 * quiet installation the archive is a snapshot; under writes, rows written meanwhile may or may
 * not be in it (`parley backup` takes a consistent snapshot of a live one). The file appears
 * whole or not at all.
 */
export async function exportArchive(
  source: ArchiveSource,
  file: string,
  scope: ArchiveScope = { installation: true },
): Promise<ArchiveManifest> {
  const catalog = await readCatalog(source.db, source.dialect);
  // A workspace's export takes the files its rows name; the installation's, all of them.
  const named =
    'workspace' in scope ? new Map(Object.keys(UPLOAD_AREAS).map((area) => [area, new Set<string>()])) : null;
  const zip = new yazl.ZipFile();
  const temp = `${file}.partial`;
  const written = pipeline(zip.outputStream, createWriteStream(temp, { mode: 0o600 }));
  try {
    const manifest: ArchiveManifest = {
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      schemaVersion: source.schemaVersion,
      createdAt: new Date().toISOString(),
      source: { dialect: source.dialect },
      scope,
      tables: [],
      files: [],
    };
    for (const table of catalog) {
      const keys = Object.entries(UPLOAD_AREAS).flatMap(([area, { table: name, column }]) =>
        named && name === table.name ? [{ column, into: named.get(area)! }] : [],
      );
      manifest.tables.push(await addTable(zip, source.db, table, rowsInScope(table, catalog, scope), keys));
    }
    for (const relative of await listUploads(source.dataDir)) {
      if (named && !isNamed(relative, named)) continue;
      manifest.files.push(await addFile(zip, path.join(source.dataDir, 'uploads', relative), relative));
    }
    zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2)), MANIFEST_ENTRY);
    zip.end();
    await written;
    await rename(temp, file);
    return manifest;
  } catch (error) {
    (zip.outputStream as NodeJS.ReadableStream & { destroy(): void }).destroy();
    await written.catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

/** Whether a workspace's rows name the file; a file of an area nothing names is a schema change to learn. */
function isNamed(relative: string, named: Map<string, Set<string>>): boolean {
  const [area, name] = relative.split('/') as [string, string];
  const keys = named.get(area);
  if (!keys) throw new Error(`uploads/${area}: the export does not know which rows name these files`);
  return keys.has(storageKeyOf(name));
}

async function addTable(
  zip: yazl.ZipFile,
  db: RawDb,
  table: CatalogTable,
  filter: RawBuilder<unknown> | null,
  keys: { column: string; into: Set<string> }[],
) {
  const entry = tableEntry(table.name);
  const out = new PassThrough();
  zip.addReadStream(out, entry);
  const hash = createHash('sha256');
  let rows = 0;
  for await (const page of pagesOf(db, table, filter)) {
    for (const row of page) {
      for (const { column, into } of keys) if (typeof row[column] === 'string') into.add(row[column]);
      const line = `${JSON.stringify(portableRow(table, row))}\n`;
      hash.update(line);
      rows += 1;
      if (!out.write(line)) await once(out, 'drain');
    }
  }
  out.end();
  await finished(out);
  return { name: table.name, entry, columns: table.columns, key: table.key, rows, sha256: hash.digest('hex') };
}

/** The table in primary key order, a page at a time (keyset: each page starts after the last). */
export async function* pagesOf(
  db: RawDb,
  table: CatalogTable,
  filter: RawBuilder<unknown> | null = null,
): AsyncGenerator<Record<string, unknown>[]> {
  const columns = sql.join(table.columns.map((c) => sql.ref(c)));
  const key = sql.join(table.key.map((c) => sql.ref(c)));
  let after: unknown[] | null = null;
  for (;;) {
    const conditions = [...(filter ? [filter] : []), ...(after ? [sql`(${key}) > (${sql.join(after)})`] : [])];
    const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
    const { rows } = await sql<Record<string, unknown>>`SELECT ${columns} FROM ${sql.table(table.name)} ${where}
      ORDER BY ${key} LIMIT ${sql.lit(PAGE)}`.execute(db);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE) return;
    const last: Record<string, unknown> = rows[rows.length - 1]!;
    after = table.key.map((c) => last[c]);
  }
}

/**
 * A row as the archive holds it, the same from every database: columns in name order, values
 * JSON's own. Parley stores only text and numbers (times are epoch ms, flags 0/1); anything
 * else is a schema change the archive format has to learn first.
 */
export function portableRow(table: CatalogTable, row: Record<string, unknown>): Record<string, string | number | null> {
  const out: Record<string, string | number | null> = {};
  for (const column of table.columns) {
    const value = row[column];
    if (value === null || value === undefined) out[column] = null;
    else if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) out[column] = value;
    else if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) out[column] = Number(value);
    else throw new Error(`${table.name}.${column} holds a ${typeof value} the archive cannot carry`);
  }
  return out;
}

/** Every stored upload, `<area>/<name>`, sorted; half-written temporary files left out. */
export async function listUploads(dataDir: string): Promise<string[]> {
  const root = path.join(dataDir, 'uploads');
  const found: string[] = [];
  for (const area of await readdirIfAny(root)) {
    if (!area.isDirectory() || area.name.startsWith('.')) continue; // a restore's staging folder
    for (const file of await readdirIfAny(path.join(root, area.name))) {
      if (file.isFile() && !file.name.startsWith('.')) found.push(`${area.name}/${file.name}`);
    }
  }
  return found.sort();
}

async function readdirIfAny(dir: string) {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Adds a file as `entry`; resolves once it is in, with its size and checksum. */
export async function addFile(zip: yazl.ZipFile, absolute: string, relative: string, entry = fileEntry(relative)) {
  const { stream, digest } = digesting();
  const read = createReadStream(absolute);
  read.on('error', (error) => stream.destroy(error));
  zip.addReadStream(read.pipe(stream), entry);
  await finished(stream);
  return { path: relative, ...digest() };
}
