import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Staff notes about a customer (`customer_notes`: listed per customer, newest first) and the
 * record of each ticket merge (`ticket_merges`: one row per merged source ticket, so a merge
 * happens once and a retried request finds it; see docs/decisions/0010-ticket-merge.md).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'customer_notes')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('customer_id', ID, (c) => c.notNull())
    .addColumn('author_id', ID)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_notes_workspace_customer_idx')
    .on('customer_notes')
    .columns(['workspace_id', 'customer_id', 'created_at'])
    .execute();

  await createTable(db, 'ticket_merges')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('source_ticket_id', ID, (c) => c.notNull())
    .addColumn('target_ticket_id', ID, (c) => c.notNull())
    .addColumn('merged_by', ID)
    .addColumn('copied_messages', 'integer', (c) => c.notNull())
    .addColumn('merged_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_merges_pkey', ['workspace_id', 'source_ticket_id'])
    .execute();
  await db.schema
    .createIndex('ticket_merges_workspace_target_idx')
    .on('ticket_merges')
    .columns(['workspace_id', 'target_ticket_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ticket_merges').execute();
  await db.schema.dropTable('customer_notes').execute();
}
