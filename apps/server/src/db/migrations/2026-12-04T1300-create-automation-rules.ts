import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Automation rules (event → conditions → actions, in `position` order) and their runs.
 *
 * `event`, `conditions` and `actions` are JSON text, validated by the protocol schemas on the
 * way in and out. `rule_runs` makes a rule run at most once per event: its key is the rule and
 * the event's key (the reaction job's id, or a timer's ticket and start), so a job that runs
 * twice does nothing twice.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'automation_rules')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('name', 'varchar(400)', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('event', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('automation_rules_workspace_position_idx')
    .on('automation_rules')
    .columns(['workspace_id', 'position'])
    .execute();

  await createTable(db, 'rule_runs')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('rule_id', ID, (c) => c.notNull().references('automation_rules.id').onDelete('cascade'))
    .addColumn('event_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('ticket_id', ID, (c) => c.notNull())
    .addColumn('ran_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_runs_pkey', ['workspace_id', 'rule_id', 'event_key'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rule_runs').execute();
  await db.schema.dropTable('automation_rules').execute();
}
