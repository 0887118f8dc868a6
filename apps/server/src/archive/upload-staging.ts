import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileEntry, type ArchiveManifest } from './archive-manifest';
import { ArchiveRefused } from './archive-refused';
import { digesting } from './digest-stream';
import type { ZipReader } from './zip-reader';

type StoredFile = ArchiveManifest['files'][number];

/** Uploads unpacked and checked, beside where they go, not yet in place. */
export interface StagedUploads {
  /** Moves them into place (each a rename); the paths placed. */
  place(): Promise<string[]>;
  /** Removes what `place` put there again (an import undone). */
  unplace(): Promise<void>;
  /** Removes the staging folder (whatever was not placed). */
  discard(): Promise<void>;
}

export const uploadPath = (dataDir: string, relative: string) => path.join(dataDir, 'uploads', ...relative.split('/'));

/**
 * Unpacks the archive's uploads into a staging folder under `DATA_DIR/uploads` (so placing them
 * is a rename), each checked against its size and checksum: nothing is in place until every one
 * has passed. Without `overwrite`, a file already there with the same bytes (an import on the
 * machine that exported) is left alone, and one with other bytes is refused.
 */
export async function stageUploads(
  zip: ZipReader,
  dataDir: string,
  files: StoredFile[],
  { overwrite }: { overwrite: boolean },
): Promise<StagedUploads> {
  // Dot-named: the export and the upload areas pass over it.
  const staging = path.join(dataDir, 'uploads', `.staging-${randomBytes(6).toString('hex')}`);
  const discard = () => rm(staging, { recursive: true, force: true });
  const toPlace: StoredFile[] = [];
  try {
    for (const stored of files) {
      if (!overwrite && (await isAlreadyThere(dataDir, stored))) continue;
      const staged = path.join(staging, ...stored.path.split('/'));
      await mkdir(path.dirname(staged), { recursive: true });
      await unpackChecked(zip, fileEntry(stored.path), staged, stored);
      toPlace.push(stored);
    }
  } catch (error) {
    await discard();
    throw error;
  }
  const placed: string[] = [];
  return {
    async place() {
      for (const stored of toPlace) {
        const destination = uploadPath(dataDir, stored.path);
        await mkdir(path.dirname(destination), { recursive: true });
        await rename(path.join(staging, ...stored.path.split('/')), destination);
        placed.push(stored.path);
      }
      await discard();
      return placed;
    },
    async unplace() {
      await Promise.all(placed.map((p) => rm(uploadPath(dataDir, p), { force: true })));
    },
    discard,
  };
}

async function isAlreadyThere(dataDir: string, stored: StoredFile): Promise<boolean> {
  const existing = await readFile(uploadPath(dataDir, stored.path)).catch(() => null);
  if (!existing) return false;
  if (createHash('sha256').update(existing).digest('hex') === stored.sha256) return true;
  throw new ArchiveRefused(`uploads/${stored.path} is already there with other contents`);
}

/** Copies an entry out to `file`, refusing it (and removing the file) when it is not what the manifest says. */
export async function unpackChecked(
  zip: ZipReader,
  entry: string,
  file: string,
  expected: { sha256: string; bytes?: number },
): Promise<void> {
  const check = checking(entry, expected.sha256);
  try {
    await pipeline(await zip.open(entry), check.stream, createWriteStream(file, { mode: 0o600 }));
    check.verify(expected.bytes);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
}

/** Hashes and counts what passes through; `verify` compares with what the manifest says. */
export function checking(entry: string, sha256: string) {
  const { stream, digest } = digesting();
  return {
    stream,
    verify(expectedBytes?: number) {
      const got = digest();
      if (got.sha256 !== sha256 || (expectedBytes !== undefined && got.bytes !== expectedBytes)) {
        throw new ArchiveRefused(`${entry} does not match its checksum: the archive is damaged`);
      }
    },
  };
}
