import type { Readable } from 'node:stream';
import yauzl from 'yauzl';

/** An archive opened for reading entries by name, in any order (a zip's directory is at its end). */
export interface ZipReader {
  has(name: string): boolean;
  /** The entry's bytes as they were stored, inflated. */
  open(name: string): Promise<Readable>;
  /** The whole entry, refused past `maxBytes` (its declared size is checked before reading). */
  readAll(name: string, maxBytes: number): Promise<Buffer>;
  close(): void;
}

export async function openZip(file: string): Promise<ZipReader> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false }, (error, opened) =>
      error ? reject(error) : resolve(opened),
    ),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      entries.set(entry.fileName, entry);
      zip.readEntry();
    });
    zip.once('end', () => resolve());
    zip.once('error', reject);
    zip.readEntry();
  });
  const entryOf = (name: string) => {
    const entry = entries.get(name);
    if (!entry) throw new Error(`The archive has no ${name}`);
    return entry;
  };
  const open = (name: string) =>
    new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entryOf(name), (error, stream) => (error ? reject(error) : resolve(stream))),
    );
  return {
    has: (name) => entries.has(name),
    open,
    async readAll(name, maxBytes) {
      if (entryOf(name).uncompressedSize > maxBytes) throw new Error(`${name} is larger than ${maxBytes} bytes`);
      const chunks: Buffer[] = [];
      for await (const chunk of await open(name)) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    },
    close: () => zip.close(),
  };
}
