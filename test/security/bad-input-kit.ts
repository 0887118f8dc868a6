import { ErrorBodySchema, type ErrorCode, type ServerFrame } from '@parley/protocol';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect } from 'vitest';
import { SEARCHED } from '../../apps/server/src/db/migrations/2026-12-08T0900-create-search-indexes';
import { sql } from 'kysely';
import type { DatabaseHandle, Db } from '../../apps/server/src/db/connect';
import type { TestApp } from '../../apps/server/src/testing/test-app';
import type { TestSocket } from '../../apps/server/src/testing/ws-client';

/**
 * Helpers of the bad-input suites: each case asserts the typed error a client gets *and* that
 * the database is exactly as it was, row for row, in every table.
 */

export type Snapshot = Record<string, string[]>;

const tablesOf = new WeakMap<Db, Promise<string[]>>();

/**
 * The app's tables, read once per database: not the migrator's, nor the job queue, whose rows
 * the app's own runner reschedules and removes in the background at any moment.
 */
function tableNames(db: Db): Promise<string[]> {
  let tables = tablesOf.get(db);
  if (!tables) {
    tables = db.introspection
      .getTables()
      // SQLite's full-text tables (`messages_fts` and its shadow tables) index the tables compared here.
      .then((all) =>
        all
          .map((t) => t.name)
          .filter((name) => !name.startsWith('kysely_') && name !== 'jobs' && !/_fts(_|$)/.test(name)),
      );
    tablesOf.set(db, tables);
  }
  return tables;
}

/** Every row of every table, as sorted JSON lines (row order differs per database). */
export async function snapshotDatabase(db: Db): Promise<Snapshot> {
  const names = await tableNames(db);
  const rows = await Promise.all(
    names.map((name) =>
      db
        .selectFrom(name as 'users')
        .selectAll()
        .execute(),
    ),
  );
  return Object.fromEntries(names.map((name, i) => [name, rows[i]!.map((row) => JSON.stringify(row)).sort()]));
}

/**
 * What every table holds, cheaply: a checksum per table computed by the server in one round
 * trip on MariaDB and PostgreSQL, where reading every row for each of hundreds of cases would
 * dominate the suite; the rows themselves on SQLite, which reads them in-process. Equal when
 * no row was added, removed or changed.
 */
export async function fingerprint(database: DatabaseHandle): Promise<Record<string, string | string[]>> {
  const { db } = database;
  const names = await tableNames(db);
  switch (database.dialect) {
    case 'sqlite':
      return snapshotDatabase(db);
    case 'postgres': {
      const perTable = names.map(
        (name) =>
          sql`select ${name} as name, count(*) || ':' || md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from ${sql.table(name)} t`,
      );
      const { rows } = await sql<{ name: string; sum: string }>`${sql.join(perTable, sql` union all `)}`.execute(db);
      return Object.fromEntries(rows.map((r) => [r.name, r.sum]));
    }
    case 'mysql': {
      // CHECKSUM TABLE also sums InnoDB's hidden FTS_DOC_ID of a table with a FULLTEXT index, which
      // moves without any row changing: those tables are compared by their rows instead.
      const searched = names.filter((n) => n in SEARCHED);
      const { rows } = await sql<Record<string, string>>`checksum table ${sql.join(
        names.filter((n) => !searched.includes(n)).map((n) => sql.table(n)),
      )}`.execute(db);
      // Rows are `{ Table: 'db.table', Checksum }`.
      const checksums = rows.map((r) => {
        const [table, checksum] = Object.values(r).map(String) as [string, string];
        return [table.split('.').pop()!, checksum];
      });
      const snapshots = await Promise.all(
        searched.map(async (name) => {
          const all = await db
            .selectFrom(name as 'users')
            .selectAll()
            .execute();
          return [name, all.map((row) => JSON.stringify(row)).sort()];
        }),
      );
      return Object.fromEntries([...checksums, ...snapshots]);
    }
  }
}

/**
 * The database once what was done so far has settled: notifications are written a moment
 * after the request that caused them (derived from its events), so they count as its change.
 */
async function settledFingerprint(t: TestApp) {
  // Settled: the reactions due by now have run (a closure's CSAT survey, say), and their notifications are written.
  await t.app.jobs.runDueJobs();
  await t.app.notifications.settled();
  return fingerprint(t.database);
}

/** Runs `act` and fails unless every table holds exactly the rows it held before. */
export async function withoutChange<T>(t: TestApp, act: () => Promise<T>): Promise<T> {
  const before = await settledFingerprint(t);
  const result = await act();
  expect(await settledFingerprint(t), 'the database changed').toEqual(before);
  return result;
}

/**
 * For a group of cases that must each change nothing, and so may run concurrently: takes the
 * database as it is before the group; the function answered runs a case, then checks that the
 * database still is exactly that, row for row.
 */
export function guardUnchanged(app: () => TestApp): <T>(act: () => Promise<T>) => Promise<T> {
  let baseline: Awaited<ReturnType<typeof fingerprint>> | undefined;
  beforeAll(async () => {
    baseline = await settledFingerprint(app());
  });
  return async (act) => {
    const result = await act();
    expect(await settledFingerprint(app()), 'the database changed').toEqual(baseline);
    return result;
  };
}

/**
 * The one error shape, with this status and code, as JSON (never HTML); with `field`, the
 * field at fault is named in `details.fields`.
 */
export function expectError(response: LightMyRequestResponse, status: number, code: ErrorCode, field?: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json\b/);
  const body = ErrorBodySchema.strict().parse(response.json());
  expect(body.error.code, body.error.message).toBe(code);
  if (field !== undefined) {
    const paths = body.error.details?.fields?.map((f) => f.path) ?? [];
    expect(
      paths.filter((path) => isAt(path, field)),
      body.error.message,
    ).not.toEqual([]);
  }
  return body.error;
}

/** `path` is the field, or something inside it (`attachmentIds.0` is at `attachmentIds`). */
export const isAt = (path: string, field: string) => path === field || path.startsWith(`${field}.`);

/** Sends a frame with a fresh `ref` and resolves with the `error` frame that answers it. */
export async function frameError(socket: TestSocket, frame: Record<string, unknown>) {
  const ref = `ref-${++refs}`;
  socket.send({ ...frame, ref });
  return socket.next('error', (e) => e.ref === ref);
}
let refs = 0;

/** A round trip on the socket: everything the server sent before the pong has arrived. */
export async function fence(socket: TestSocket): Promise<void> {
  const ref = `fence-${++refs}`;
  socket.send({ type: 'ping', ref });
  await socket.next('pong', (p) => p.ref === ref);
}

/** The frames of these types a socket got: for "nothing leaked" assertions. */
export const framesOf = (socket: TestSocket, ...types: Array<ServerFrame['type']>) =>
  socket.frames.filter((f) => types.includes(f.type));

/** A keyset cursor as the server encodes one, around any value: for forged cursors. */
export const forgeCursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
