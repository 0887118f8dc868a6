import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** A file in the zip: its whole text, or its text in chunks made only as the zip reads them. */
export interface ZipEntry {
  name: string;
  content: string | (() => AsyncIterable<string>);
}

/**
 * The zip of `entries`, as a stream produced as it is read: an entry given in chunks is started
 * only when the zip reaches it and pulled no faster than the reader takes the zip, so memory
 * stays at a chunk or two however big the entry. A chunk source that fails destroys the stream
 * with its error (yazl does not watch the streams it is given, and would wait forever).
 */
export function zipOf(entries: readonly ZipEntry[], mtime: Date): Readable {
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  const sources = new Set<Readable>();
  const fail = (error: Error) => output.destroy(error);
  zip.on('error', fail);
  // A reader that gave up (a full disk) stops the chunk source in hand too: no more queries.
  output.on('close', () => sources.forEach((source) => source.destroy()));
  for (const { name, content } of entries) {
    if (typeof content === 'string') {
      zip.addBuffer(Buffer.from(content), name, { mtime });
      continue;
    }
    zip.addReadStreamLazy(name, { mtime }, (give) => {
      const source = Readable.from(asBuffers(content()), { objectMode: false });
      sources.add(source);
      source.on('error', fail);
      source.on('close', () => sources.delete(source));
      give(null, source);
    });
  }
  zip.end();
  return output;
}

async function* asBuffers(chunks: AsyncIterable<string>): AsyncIterable<Buffer> {
  for await (const chunk of chunks) yield Buffer.from(chunk);
}

/**
 * A JSON array written a page at a time, one item per line: valid JSON as a whole, and as easy
 * to read line by line as to parse at once.
 */
export async function* jsonArray(pages: AsyncIterable<readonly unknown[]>): AsyncIterable<string> {
  yield '[';
  let first = true;
  for await (const page of pages) {
    if (page.length === 0) continue;
    yield `${first ? '\n' : ',\n'}${page.map((item) => JSON.stringify(item)).join(',\n')}`;
    first = false;
  }
  yield '\n]\n';
}
