import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../http/app-error';

/**
 * Uploaded bytes live on disk under `DATA_DIR/uploads/<area>/`, named by random keys only:
 * nothing a user typed ever becomes part of a path. Files appear whole or not at all (written
 * to a temporary name, flushed, then renamed), so a reader never sees half a file.
 */
export type UploadArea = 'avatars' | 'attachments' | 'workspace-logos';

/** 128 random bits as 32 hex digits: unguessable, and safe in any file system. */
export const newStorageKey = (): string => randomBytes(16).toString('hex');

const STORAGE_KEY = /^[0-9a-f]{32}$/;

export interface FileStore {
  /** Absolute path of a stored file: `key` must be a storage key, `suffix` a fixed literal. */
  pathOf(area: UploadArea, key: string, suffix?: string): string;
  /** Writes the whole buffer or stream, then moves it into place. Resolves to the size. */
  write(file: string, data: Buffer | Readable): Promise<number>;
  /**
   * Removes files, as far as it can; never fails. Every caller is cleaning up (after a failure,
   * or files a committed change superseded): a file left behind is an unreferenced orphan, while
   * failing the request would report a change as failed that had already happened.
   */
  remove(...files: string[]): Promise<void>;
  /**
   * Removes files, failing if one is still there afterwards (a missing file is fine). For the
   * clean-up jobs, which retry: a row is deleted only once its files are gone.
   */
  purge(...files: string[]): Promise<void>;
  /** A stream of the file and its size, or null when there is no such file. */
  read(file: string): Promise<{ stream: ReadStream; size: number } | null>;
}

export function createFileStore(dataDir: string): FileStore {
  const root = path.join(dataDir, 'uploads');
  return {
    pathOf(area, key, suffix = '') {
      // Belt and braces: routes validate keys, but no caller can build a path outside the root.
      if (!STORAGE_KEY.test(key) || !/^[a-z0-9.-]*$/.test(suffix)) throw new Error(`Bad storage key ${key}`);
      return path.join(root, area, key + suffix);
    },
    write: writeAtomically,
    async remove(...files) {
      await Promise.allSettled(files.map((f) => rm(f, { force: true })));
    },
    async purge(...files) {
      await Promise.all(files.map((f) => rm(f, { force: true })));
    },
    async read(file) {
      try {
        const stats = await stat(file);
        if (!stats.isFile()) return null;
        return { stream: createReadStream(file), size: stats.size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
  };
}

/**
 * Writes `data` to a temporary name beside `file`, flushes it, then renames it into place; on any
 * failure the temporary file goes. Answers the size. Data exports write their zips this way too.
 */
export async function writeAtomically(file: string, data: Buffer | Readable): Promise<number> {
  const dir = path.dirname(file);
  const temp = path.join(dir, `.tmp-${randomBytes(8).toString('hex')}`);
  try {
    await mkdir(dir, { recursive: true });
    if (Buffer.isBuffer(data)) {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
    } else {
      await pipeline(data, createWriteStream(temp, { flags: 'wx', mode: 0o600 }));
      const handle = await open(temp, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const { size } = await stat(temp);
    await rename(temp, file);
    return size;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {}); // on a read-only disk there is nothing to remove
    throw storageError(error);
  }
}

/** A full or unwritable disk is the server's trouble, not the request's: say so plainly. */
function storageError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new AppError('insufficient_storage', 'The server has no room to store this file; nothing was stored');
  }
  // Every path here is built by the server, so a missing folder (a recursive mkdir on a
  // read-only disk says ENOENT) means the storage is broken too, not the request.
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ENOTDIR') {
    return new AppError('unavailable', 'Files cannot be stored right now; nothing was stored');
  }
  return error;
}
