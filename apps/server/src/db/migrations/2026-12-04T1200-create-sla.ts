import { sql, type Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * SLA: one policy per workspace (its targets, business hours and escalation steps as JSON, so a
 * new option needs no migration), each ticket's clocks on the ticket row itself (the queue and
 * every `ticket.updated` present them without a join; the first staff reply sets
 * `sla_first_responded_at` in the UPDATE every reply makes anyway), and one row per escalation
 * step done, whose key makes each step happen once per ticket.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'sla_policies')
    .addColumn('workspace_id', ID, (c) => c.primaryKey())
    .addColumn('policy', 'text', (c) => c.notNull())
    .addColumn('updated_by', ID)
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .execute();
  await createTable(db, 'sla_escalations')
    .addColumn('workspace_id', ID, (c) => c.notNull())
    .addColumn('ticket_id', ID, (c) => c.notNull())
    .addColumn('step_key', 'varchar(100)', (c) => c.notNull())
    .addColumn('done_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_escalations_pk', ['workspace_id', 'ticket_id', 'step_key'])
    .execute();
  for (const [column, type] of COLUMNS) {
    await db.schema.alterTable('tickets').addColumn(column, type).execute();
  }
  await db.schema
    .alterTable('tickets')
    .addColumn('sla_paused_ms', TIME, (c) => c.notNull().defaultTo(sql`0`))
    .execute();
}

const COLUMNS = [
  ['sla_first_response_due_at', TIME],
  ['sla_first_responded_at', TIME],
  ['sla_first_response_state', 'varchar(16)'],
  ['sla_resolution_due_at', TIME],
  ['sla_resolution_state', 'varchar(16)'],
  ['sla_paused_at', TIME],
] as const;

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of [...COLUMNS.map(([c]) => c), 'sla_paused_ms']) {
    await db.schema.alterTable('tickets').dropColumn(column).execute();
  }
  await db.schema.dropTable('sla_escalations').execute();
  await db.schema.dropTable('sla_policies').execute();
}
