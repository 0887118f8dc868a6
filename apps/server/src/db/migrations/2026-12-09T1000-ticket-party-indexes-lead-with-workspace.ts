import { sql, SqliteAdapter, type Kysely } from 'kysely';

const PARTIES = ['requester_id', 'assignee_id', 'team_id'] as const;

/**
 * SQLite only: the tickets' requester, assignee and team indexes lead with `workspace_id`, as
 * the workspace's other list indexes do (2026-12-03T0900). Every query names its workspace, and
 * SQLite, without statistics, took the workspace's own index for "the tickets of this assignee"
 * and read all of them (100,000 tickets: ~150 ms). PostgreSQL and MariaDB choose by statistics,
 * and MariaDB needs those columns first in an index for their foreign keys.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const party of PARTIES) await replace(db, party, ['workspace_id', party, 'updated_at', 'id']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return;
  for (const party of PARTIES) await replace(db, party, [party, 'updated_at', 'id']);
}

async function replace(db: Kysely<unknown>, party: string, columns: string[]) {
  const name = `tickets_${party}_updated_at_idx`;
  await sql`DROP INDEX ${sql.raw(name)}`.execute(db);
  await db.schema.createIndex(name).on('tickets').columns(columns).execute();
}
