import path from 'node:path';

export type Dialect = 'sqlite' | 'mysql' | 'postgres';

export type DatabaseTarget =
  { dialect: 'sqlite'; file: string } | { dialect: 'mysql' | 'postgres'; url: URL; database: string };

/** Database names we create ourselves must be plain identifiers: no quoting games. */
const DATABASE_NAME = /^[A-Za-z0-9_]{1,63}$/;

/**
 * `sqlite:./data/parley.db`, `sqlite:///abs/path.db`, `sqlite::memory:`,
 * `mysql://user:pass@host:3306/db` (also `mariadb://`), `postgres://user@host:5432/db`.
 */
export function parseDatabaseUrl(raw: string, baseDir = process.cwd()): DatabaseTarget {
  if (raw.startsWith('sqlite:')) {
    const rest = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === ':memory:') return { dialect: 'sqlite', file: ':memory:' };
    if (rest === '') throw new Error('DATABASE_URL "sqlite:" needs a file path, e.g. sqlite:./data/parley.db');
    return { dialect: 'sqlite', file: path.resolve(baseDir, rest) };
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`DATABASE_URL is not a URL: expected sqlite:, mysql:// or postgres://`);
  }
  const dialect = (
    { 'mysql:': 'mysql', 'mariadb:': 'mysql', 'postgres:': 'postgres', 'postgresql:': 'postgres' } as const
  )[url.protocol as 'mysql:'];
  if (!dialect)
    throw new Error(`DATABASE_URL scheme "${url.protocol}" is not one of sqlite:, mysql://, mariadb://, postgres://`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!DATABASE_NAME.test(database)) {
    throw new Error(`DATABASE_URL must name a database of letters, digits and "_" (got "${database}")`);
  }
  return { dialect, url, database };
}
