import type { ReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createFileStore, newStorageKey, writeAtomically } from '../uploads/file-store';

/**
 * Where data exports' zips live: `DATA_DIR/exports/<key>.zip`, named by random keys only, written
 * whole or not at all (temporary name, flush, rename), so a download never gets half a zip.
 */
export interface ExportFiles {
  /** 128 random bits as 32 hex digits, for a new export. */
  newKey(): string;
  /** Writes the stream as the key's zip; answers its size. */
  write(key: string, data: Readable): Promise<number>;
  /** The key's zip and its size, or null when it is not there. */
  read(key: string): Promise<{ stream: ReadStream; size: number } | null>;
  /** Removes the key's zip; fails if it is still there afterwards (a missing one is fine). */
  purge(key: string): Promise<void>;
  /** Removes temporary files older than `before` that a write cut short by a crash left behind. */
  removeAbandoned(before: number): Promise<void>;
}

const KEY = /^[0-9a-f]{32}$/;
const TEMPORARY = /^\.tmp-/;

export function createExportFiles(dataDir: string): ExportFiles {
  const root = path.join(dataDir, 'exports');
  // Read and removed as uploads are; only the folder differs.
  const files = createFileStore(dataDir);
  const pathOf = (key: string) => {
    // Keys come from our own rows, but no caller can build a path outside the folder.
    if (!KEY.test(key)) throw new Error(`Bad export key ${key}`);
    return path.join(root, `${key}.zip`);
  };
  return {
    newKey: newStorageKey,
    write: (key, data) => writeAtomically(pathOf(key), data),
    read: (key) => files.read(pathOf(key)),
    purge: (key) => files.purge(pathOf(key)),
    async removeAbandoned(before) {
      const names = await readdir(root).catch(() => [] as string[]);
      for (const name of names.filter((n) => TEMPORARY.test(n))) {
        const file = path.join(root, name);
        const stats = await stat(file).catch(() => null);
        if (stats && stats.mtimeMs < before) await rm(file, { force: true });
      }
    },
  };
}
