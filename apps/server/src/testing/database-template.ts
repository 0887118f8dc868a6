import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { TEST_SERVICES } from '../../../../test/test-services';
import { openDatabase } from '../db/connect';
import { parseDatabaseUrl, type Dialect } from '../db/database-url';
import { migrateToLatest } from '../db/migrate';
import { migrations } from '../db/migrations';
import { createTestDatabase, TEST_DIALECT, type TestDatabase } from './test-database';

/**
 * A fresh database of its own, already migrated, for a suite that is not about migrating.
 *
 * The suites start hundreds of apps, and running fifty migrations for each was most of their
 * set-up (about 6 s on MariaDB, 3 s on PostgreSQL and 2 s on SQLite on two busy cores). So the
 * migrations run once, into a template named after the migration set, and each suite gets a copy:
 * a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL, the template's tables and
 * rows on MariaDB. The template is built by the real migrations, and `migrations.db.test.ts`
 * still runs them from nothing on every dialect; a changed migration makes a new template.
 */
export async function createMigratedTestDatabase(dialect: Dialect = TEST_DIALECT): Promise<TestDatabase> {
  const target = createTestDatabase(dialect);
  await copyMigratedTemplate(target);
  return target;
}

/** Makes `target` (named by `createTestDatabase`, not yet created) a migrated database. */
export async function copyMigratedTemplate(target: TestDatabase): Promise<void> {
  const parsed = parseDatabaseUrl(target.url);
  if (parsed.dialect === 'sqlite') fs.copyFileSync(await sqliteTemplate(), parsed.file);
  else if (parsed.dialect === 'postgres') await copyPostgresTemplate(await postgresTemplate(), parsed.database);
  else await copyMysqlTemplate(await mysqlTemplate(), parsed.database);
}

/** Names the migration set, code included, so an edited migration never reuses a stale template. */
const TEMPLATE_KEY = crypto
  .createHash('sha256')
  .update(
    Object.entries(migrations)
      .map(([name, m]) => `${name}\n${m.up.toString()}\n${m.down?.toString()}`)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 16);
const TEMPLATE_PREFIX = 'parley_template_';
const TEMPLATE_NAME = `${TEMPLATE_PREFIX}${TEMPLATE_KEY}`;

/** Built once per process (and kept between runs); concurrent builders agree through a lock or a rename. */
function once<T>(build: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= build().catch((error: unknown) => ((promise = undefined), Promise.reject(error))));
}

async function migrate(url: string): Promise<void> {
  const database = await openDatabase(url, { poolSize: 1 });
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}

const sqliteTemplate = once(async () => {
  const file = path.join(os.tmpdir(), `${TEMPLATE_NAME}.db`);
  if (fs.existsSync(file)) return file;
  const building = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}`;
  await migrate(`sqlite:${building}`);
  // Closing the last connection folded the WAL into the file: the file alone is the database.
  fs.renameSync(building, file);
  return file;
});

const postgresTemplate = once(() =>
  withPostgres(async (client) => {
    // Two workers may ask at once: one builds, the other waits for it under the same lock.
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [TEMPLATE_NAME]);
    try {
      const { rows } = await client.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname LIKE $1',
        [`${TEMPLATE_PREFIX}%`],
      );
      if (rows.some((r) => r.datname === TEMPLATE_NAME)) return TEMPLATE_NAME;
      // Templates of older migration sets go.
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}"`).catch(() => undefined);
      const building = `${TEMPLATE_NAME}_building`;
      await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await migrate(`${TEST_SERVICES.postgres.url}/${building}`);
      await retryWhileInUse(() => client.query(`ALTER DATABASE "${building}" RENAME TO "${TEMPLATE_NAME}"`));
      return TEMPLATE_NAME;
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [TEMPLATE_NAME]);
    }
  }),
);

function copyPostgresTemplate(template: string, name: string): Promise<void> {
  return withPostgres(async (client) => {
    await retryWhileInUse(() => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
  });
}

async function withPostgres<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${TEST_SERVICES.postgres.url}/postgres` });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** PostgreSQL refuses to copy or rename a database while a connection to it is still closing. */
async function retryWhileInUse(work: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await work();
      return;
    } catch (error) {
      // 55006: "source database is being accessed by other users".
      if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

interface MysqlTemplate {
  name: string;
  /** CREATE TABLE statements, foreign keys included. */
  tables: string[];
  /** Tables the migrations put rows in. */
  withRows: string[];
}

const mysqlTemplate = once(() =>
  withMysql(async (connection): Promise<MysqlTemplate> => {
    await connection.query('SELECT GET_LOCK(?, 300)', [TEMPLATE_NAME]);
    try {
      if (!(await mysqlTemplateIsWhole(connection))) {
        const [schemas] = await connection.query<mysql.RowDataPacket[]>(
          'SELECT schema_name AS name FROM information_schema.schemata WHERE schema_name LIKE ?',
          [`${TEMPLATE_PREFIX}%`],
        );
        for (const { name } of schemas) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await migrate(`${TEST_SERVICES.mysql.url}/${TEMPLATE_NAME}`);
      }
      return await readMysqlTemplate(connection);
    } finally {
      await connection.query('SELECT RELEASE_LOCK(?)', [TEMPLATE_NAME]);
    }
  }),
);

/**
 * MariaDB has no RENAME DATABASE to publish a template only once built, so a build that died
 * half-way is told by its migrations table: each migration's row is written as it finishes.
 */
async function mysqlTemplateIsWhole(connection: mysql.Connection): Promise<boolean> {
  try {
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT COUNT(*) AS n FROM \`${TEMPLATE_NAME}\`.kysely_migration`,
    );
    return Number(rows[0]!.n) === Object.keys(migrations).length;
  } catch {
    return false;
  }
}

async function readMysqlTemplate(connection: mysql.Connection): Promise<MysqlTemplate> {
  const [others] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT (SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = ?)
          + (SELECT COUNT(*) FROM information_schema.routines WHERE routine_schema = ?) AS n`,
    [TEMPLATE_NAME, TEMPLATE_NAME],
  );
  // A copy of tables alone would silently lack them; say so where the fix belongs.
  if (Number(others[0]!.n) > 0) throw new Error('the MariaDB test template cannot copy triggers or routines yet');
  const [tables] = await connection.query<mysql.RowDataPacket[]>(
    `SELECT table_name AS name, table_type AS type FROM information_schema.tables
      WHERE table_schema = ? ORDER BY table_name`,
    [TEMPLATE_NAME],
  );
  if (tables.some((t) => t.type !== 'BASE TABLE')) throw new Error('the MariaDB test template cannot copy views yet');
  const statements: string[] = [];
  const withRows: string[] = [];
  for (const { name } of tables) {
    const [created] = await connection.query<mysql.RowDataPacket[]>(
      `SHOW CREATE TABLE \`${TEMPLATE_NAME}\`.\`${name}\``,
    );
    statements.push(String(created[0]!['Create Table']));
    const [rows] = await connection.query<mysql.RowDataPacket[]>(
      `SELECT 1 FROM \`${TEMPLATE_NAME}\`.\`${name}\` LIMIT 1`,
    );
    if (rows.length > 0) withRows.push(String(name));
  }
  return { name: TEMPLATE_NAME, tables: statements, withRows };
}

function copyMysqlTemplate(template: MysqlTemplate, name: string): Promise<void> {
  return withMysql(async (connection) => {
    // One round trip: the tables in any order (foreign keys checked once all exist), then the rows.
    await connection.query(
      [
        `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
        `USE \`${name}\``,
        'SET foreign_key_checks = 0',
        ...template.tables,
        ...template.withRows.map((t) => `INSERT INTO \`${t}\` SELECT * FROM \`${template.name}\`.\`${t}\``),
      ].join(';\n'),
    );
  });
}

async function withMysql<T>(work: (connection: mysql.Connection) => Promise<T>): Promise<T> {
  const connection = await mysql.createConnection({ uri: TEST_SERVICES.mysql.url, multipleStatements: true });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}
