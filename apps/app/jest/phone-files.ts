import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-phone-files-'));

/** A file in the phone's storage, as a picker reports it: a `file://` address. */
export function phoneFile(name: string, content: Buffer | string): string {
  const file = path.join(folder, `${Date.now()}-${name}`);
  fs.writeFileSync(file, content);
  return pathToFileURL(file).href;
}

/** The smallest PNG there is: one transparent pixel. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
