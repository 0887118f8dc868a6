import { MysqlAdapter, type Kysely } from 'kysely';
import { createTable, dropIndex, ID, TIME } from '../portable-ddl';

/**
 * The durable job queue (docs/decisions/0004-durable-jobs.md): one row per job that is due now
 * or later. A done job's row is deleted; a job that used up its attempts keeps its row, with
 * `failed_at` and `last_error`, for an operator to read. No `workspace_id` yet: workspaces come
 * later and add it with the other tenant-owned tables.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'jobs')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('run_at', TIME, (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('last_error', 'varchar(1000)')
    // Whoever runs the job holds it until `locked_until`; a node that dies loses it then.
    .addColumn('locked_by', 'varchar(64)')
    .addColumn('locked_until', TIME)
    .addColumn('failed_at', TIME)
    // Singletons and recurring jobs: at most one row per key.
    .addColumn('dedupe_key', 'varchar(191)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('jobs_dedupe_key_key', ['dedupe_key'])
    .execute();
  // The runner's one query: live jobs, soonest first.
  await db.schema.createIndex('jobs_run_at_idx').on('jobs').columns(['failed_at', 'run_at']).execute();

  // A user's quota is the sum over their uploads. MariaDB indexes every foreign key already
  // (and would then refuse to drop this index again, as the key's own).
  if (!isMysql(db)) {
    await db.schema.createIndex('attachments_uploader_id_idx').on('attachments').column('uploader_id').execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!isMysql(db)) await dropIndex(db, 'attachments_uploader_id_idx', 'attachments').execute();
  await db.schema.dropTable('jobs').execute();
}

const isMysql = (db: Kysely<unknown>) => db.getExecutor().adapter instanceof MysqlAdapter;
