import fs from 'node:fs/promises';
import path from 'node:path';
import type { KeyValueStorage } from '../storage';

/** Node storage for the CLI: one JSON file, written atomically (temp file, then rename). */
export function fileStorage(file: string): KeyValueStorage {
  let items: Record<string, string> | undefined;
  const load = async (): Promise<Record<string, string>> =>
    (items ??= await fs
      .readFile(file, 'utf8')
      .then((text) => JSON.parse(text) as Record<string, string>)
      .catch(() => ({}) as Record<string, string>));
  let writing = Promise.resolve();
  const save = () => {
    writing = writing.then(async () => {
      await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const temp = `${file}.${process.pid}.tmp`;
      await fs.writeFile(temp, JSON.stringify(items), { mode: 0o600 });
      await fs.rename(temp, file);
    });
    return writing;
  };
  return {
    getItem: async (key) => (await load())[key] ?? null,
    setItem: async (key, value) => {
      (await load())[key] = value;
      await save();
    },
    removeItem: async (key) => {
      delete (await load())[key];
      await save();
    },
  };
}
