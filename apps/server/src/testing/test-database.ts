import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { TEST_SERVICES } from '../../../../test/test-services';
import type { Dialect } from '../db/database-url';

/** The dialect this test project runs against (set per Vitest project; SQLite by default). */
export const TEST_DIALECT = (process.env.PARLEY_TEST_DIALECT ?? 'sqlite') as Dialect;

export interface TestDatabase {
  url: string;
  /** Removes the database and everything in it. */
  drop(): Promise<void>;
}

/**
 * A database of its own for one suite, so suites run in parallel and in any order. It does not
 * exist yet on MariaDB/PostgreSQL: `openDatabase` creates it, as it would for a new install.
 */
export function createTestDatabase(dialect: Dialect = TEST_DIALECT): TestDatabase {
  const name = `parley_test_${crypto.randomBytes(6).toString('hex')}`;
  switch (dialect) {
    case 'sqlite': {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-test-'));
      return {
        url: `sqlite:${path.join(dir, `${name}.db`)}`,
        drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
      };
    }
    case 'mysql':
      return {
        url: `${TEST_SERVICES.mysql.url}/${name}`,
        drop: async () => {
          const connection = await mysql.createConnection({ uri: TEST_SERVICES.mysql.url });
          await connection.query(`DROP DATABASE IF EXISTS \`${name}\``).finally(() => connection.end());
        },
      };
    case 'postgres':
      return {
        url: `${TEST_SERVICES.postgres.url}/${name}`,
        drop: async () => {
          const client = new pg.Client({ connectionString: `${TEST_SERVICES.postgres.url}/postgres` });
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).finally(() => client.end());
        },
      };
  }
}
