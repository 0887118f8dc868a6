import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CamelCasePlugin,
  Kysely,
  MysqlDialect,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Dialect as KyselyDialect,
} from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { prepareRepeatedStatements } from './prepared-statements';
import { parseDatabaseUrl, type DatabaseTarget, type Dialect } from './database-url';
import type { Database } from './schema';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: Dialect;
  /** Answers when the database answers a trivial query; throws otherwise. */
  ping(): Promise<void>;
  /**
   * Opens every connection of the pool now (MariaDB/PostgreSQL), so the first burst of work
   * after start does not wait for connections to be made one by one.
   */
  warm(): Promise<void>;
  /** The connection pool right now, for the metrics. */
  poolStats(): PoolStats;
  close(): Promise<void>;
}

export interface PoolStats {
  /** Connections open, in use or idle. */
  total: number;
  /** Unknown on SQLite: its one connection is shared, and Kysely queues queries on it internally. */
  idle?: number;
  /** Queries waiting for a connection to come free. */
  waiting?: number;
}

export interface OpenDatabaseOptions {
  /** Told about connections the database dropped while idle (they are replaced on next use). */
  onIdleError?: (error: Error) => void;
  /** MariaDB/PostgreSQL: create the named database when the server says it does not exist. */
  createIfMissing?: boolean;
  poolSize?: number;
}

/** Connects to whichever database `url` names and checks that it answers. */
export async function openDatabase(url: string, options: OpenDatabaseOptions = {}): Promise<DatabaseHandle> {
  const target = parseDatabaseUrl(url);
  const { createIfMissing = true, poolSize = 10, onIdleError } = options;
  let handle = createHandle(target, poolSize, onIdleError);
  try {
    await handle.ping();
  } catch (error) {
    await handle.close();
    if (!(createIfMissing && target.dialect !== 'sqlite' && isUnknownDatabase(error))) throw error;
    await createDatabase(target);
    handle = createHandle(target, poolSize, onIdleError);
    await handle.ping();
  }
  return handle;
}

function createHandle(target: DatabaseTarget, poolSize: number, onIdleError?: (error: Error) => void): DatabaseHandle {
  const { dialect, poolStats } = createDialect(target, poolSize, onIdleError);
  const db = new Kysely<Database>({ dialect, plugins: [new CamelCasePlugin()] });
  return {
    db,
    dialect: target.dialect,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    // Asked all at once, each query takes a connection of its own while the pool has room.
    warm: async () => {
      await Promise.all(Array.from({ length: poolSize }, () => sql`select 1`.execute(db)));
    },
    poolStats,
    close: once(() => db.destroy()),
  };
}

function createDialect(
  target: DatabaseTarget,
  poolSize: number,
  onIdleError?: (error: Error) => void,
): { dialect: KyselyDialect; poolStats: () => PoolStats } {
  switch (target.dialect) {
    case 'sqlite': {
      if (target.file !== ':memory:') fs.mkdirSync(path.dirname(target.file), { recursive: true });
      const database = new SqliteDatabase(target.file);
      database.pragma('journal_mode = WAL');
      database.pragma('foreign_keys = ON');
      // An acked message must survive a power cut, not only a crash: fsync every commit.
      database.pragma('synchronous = FULL');
      // Another process (a migration, the CLI) may hold the write lock briefly: wait, don't fail.
      database.pragma('busy_timeout = 5000');
      // SQLite's own lower() folds ASCII only; searches must ignore the case of "Ä" as elsewhere.
      database.function('lower', { deterministic: true }, (text: unknown) =>
        typeof text === 'string' ? text.toLowerCase() : text,
      );
      // A group's numbers as one blob of doubles (reports' percentiles, sorted in JS): a year of
      // tickets crosses into JS as a few blobs, ~2x faster than as 100,000 row objects.
      database.aggregate('parley_values', {
        start: () => [] as number[],
        step: (values: number[], value: unknown) => {
          if (value !== null) values.push(Number(value));
        },
        result: (values: number[]) => Buffer.from(Float64Array.from(values).buffer),
      });
      return {
        dialect: new SqliteDialect({ database: withStatementCache(database) }),
        poolStats: () => ({ total: 1 }),
      };
    }
    case 'mysql': {
      const pool = createMysqlPool({
        uri: target.url.href,
        connectionLimit: poolSize,
        connectTimeout: CONNECT_TIMEOUT_MS,
        charset: 'utf8mb4',
        timezone: 'Z',
        // BIGINT (epoch ms) and DECIMAL come back as numbers, as on the other dialects.
        supportBigNumbers: true,
        decimalNumbers: true,
      });
      return { dialect: new MysqlDialect({ pool }), poolStats: () => mysqlPoolStats(pool) };
    }
    case 'postgres': {
      const pool = new pg.Pool({
        connectionString: target.url.href,
        max: poolSize,
        types: { getTypeParser },
        // Without a limit a request waits forever for a server that does not answer; with one it
        // gets `503 unavailable` and can retry.
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
        // Connections stay open while idle (node-postgres closes them after 10 s by default): a
        // connection made again prepares its statements again, in the next burst's way.
        idleTimeoutMillis: 0,
      });
      // An idle connection the server drops (restart, failover) is replaced on next use. Without
      // a listener, node-postgres would rethrow this and take the whole process down.
      pool.on('error', (error) => onIdleError?.(error));
      const prepare = prepareRepeatedStatements();
      // The same for a connection that is checked out between two queries (in a transaction):
      // node-postgres only listens on idle ones. The query in progress fails on its own.
      pool.on('connect', (client) => {
        client.on('error', (error) => onIdleError?.(error));
        // Every query here is short. PostgreSQL compiles one it estimates as costly (a report by
        // label, whose label unnesting it guesses at 100 rows per ticket) for ~190 ms of a ~330 ms
        // run. A SET, not a startup option, which poolers such as PgBouncer refuse. Queued before
        // the connection's first query; if it fails, the connection is broken and that query says so.
        client.query('SET jit = off').catch(() => undefined);
        prepare(client);
      });
      return {
        dialect: new PostgresDialect({ pool }),
        poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
      };
    }
  }
}

/**
 * mysql2's pool has no public counters, so read its queues (mysql2 is pinned; the metrics test
 * on MariaDB fails if an upgrade renames them).
 */
function mysqlPoolStats(pool: object): PoolStats {
  type Queue = { length: number };
  const queues = pool as { _allConnections: Queue; _freeConnections: Queue; _connectionQueue: Queue };
  return {
    total: queues._allConnections.length,
    idle: queues._freeConnections.length,
    waiting: queues._connectionQueue.length,
  };
}

/**
 * Kysely prepares every query anew, and preparing was a tenth of the server's CPU in the dm
 * benchmark (docs/performance.md). better-sqlite3 statements are reusable, so keep the most
 * recently used ones by SQL text. Kysely runs one query at a time on the connection, so a
 * statement is never in use twice at once.
 */
function withStatementCache(database: SqliteDatabase.Database, size = 500) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement)
        cache.delete(sql); // re-inserted below: Map order is recency order
      else statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > size) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/** How long opening a connection to MariaDB/PostgreSQL may take before the request fails. */
const CONNECT_TIMEOUT_MS = 5_000;

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/** node-postgres returns BIGINT and NUMERIC as strings; our values (ms, counts) fit a double. */
function getTypeParser(oid: number, format?: 'text' | 'binary') {
  if (oid === PG_INT8 || oid === PG_NUMERIC) return (value: string) => Number(value);
  return pg.types.getTypeParser(oid, format as 'text');
}

function isUnknownDatabase(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ER_BAD_DB_ERROR' || code === '3D000';
}

async function createDatabase(target: Extract<DatabaseTarget, { dialect: 'mysql' | 'postgres' }>): Promise<void> {
  // The name passed parseDatabaseUrl's identifier check, so it is safe to splice in.
  if (target.dialect === 'mysql') {
    const server = new URL(target.url.href);
    server.pathname = '/';
    const connection = await mysql.createConnection({ uri: server.href });
    try {
      await connection.query(
        `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
      );
    } finally {
      await connection.end();
    }
    return;
  }
  const server = new URL(target.url.href);
  server.pathname = '/postgres';
  const client = new pg.Client({ connectionString: server.href });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${target.database}"`);
  } catch (error) {
    // 42P04: created meanwhile by a sibling process.
    if ((error as { code?: string }).code !== '42P04') throw error;
  } finally {
    await client.end();
  }
}

/** Closing twice (a shutdown racing a test's cleanup) is not an error. */
function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
