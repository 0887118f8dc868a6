import type { Kysely } from 'kysely';
import { createTable, dropIndex, ID, TIME } from '../portable-ddl';

/**
 * CSAT and reports. One survey row per closure of a ticket (unique by its closing time), with
 * the ticket's team, assignee and priority as they were when it closed, so reports group answers
 * by who handled the ticket without a join. Reports read the ticket rows themselves (created,
 * closed, first response and SLA columns) through two covering indexes, so a range of days is
 * read from an index alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'csat_surveys')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull())
    .addColumn('ticket_id', ID, (c) => c.notNull())
    .addColumn('requester_id', ID, (c) => c.notNull())
    .addColumn('closed_at', TIME, (c) => c.notNull())
    .addColumn('team_id', ID)
    .addColumn('assignee_id', ID)
    .addColumn('priority', 'varchar(16)', (c) => c.notNull())
    .addColumn('asked_at', TIME, (c) => c.notNull())
    .addColumn('score', 'integer')
    .addColumn('comment', 'text')
    .addColumn('answered_at', TIME)
    .execute();
  await db.schema
    .createIndex('csat_surveys_ticket_closure_key')
    .on('csat_surveys')
    .columns(['workspace_id', 'ticket_id', 'closed_at'])
    .unique()
    .execute();
  await db.schema
    .createIndex('csat_surveys_answered_idx')
    .on('csat_surveys')
    .columns(['workspace_id', 'answered_at'])
    .execute();
  // Covering: a report reads the index alone, never the (wide) ticket rows.
  await db.schema
    .createIndex('tickets_created_at_idx')
    .on('tickets')
    .columns([
      'workspace_id',
      'created_at',
      'sla_first_responded_at',
      'sla_first_response_due_at',
      'sla_first_response_state',
      'sla_resolution_state',
      'team_id',
      'assignee_id',
      'priority',
    ])
    .execute();
  await db.schema
    .createIndex('tickets_closed_at_idx')
    .on('tickets')
    .columns(['workspace_id', 'closed_at', 'created_at', 'team_id', 'assignee_id', 'priority'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await dropIndex(db, 'tickets_closed_at_idx', 'tickets').execute();
  await dropIndex(db, 'tickets_created_at_idx', 'tickets').execute();
  await db.schema.dropTable('csat_surveys').execute();
}
