import { createInterface } from 'node:readline';
import { MANIFEST_ENTRY, type ArchiveManifest } from '../archive/archive-manifest';
import { openZip } from '../archive/zip-reader';

/**
 * What an archive holds, modulo order: its schema version, each table's rows as sorted lines,
 * each upload's checksum. Two installations hold the same when their exports' contents are equal.
 */
export async function archiveContents(file: string) {
  const zip = await openZip(file);
  try {
    const manifest = JSON.parse((await zip.readAll(MANIFEST_ENTRY, 1 << 26)).toString()) as ArchiveManifest;
    const tables: Record<string, string[]> = {};
    for (const table of manifest.tables) {
      const lines: string[] = [];
      for await (const line of createInterface({ input: await zip.open(table.entry) })) lines.push(line);
      tables[table.name] = lines.sort();
    }
    const files = Object.fromEntries(manifest.files.map((f) => [f.path, f.sha256]));
    return { schemaVersion: manifest.schemaVersion, tables, files };
  } finally {
    zip.close();
  }
}
