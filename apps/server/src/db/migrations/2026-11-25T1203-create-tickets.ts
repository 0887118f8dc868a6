import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'tickets')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('subject', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('priority', 'varchar(16)', (c) => c.notNull())
    .addColumn('requester_id', ID, (c) => c.notNull().references('users.id'))
    .addColumn('assignee_id', ID, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('team_id', ID, (c) => c.references('teams.id').onDelete('set null'))
    .addColumn('conversation_id', ID, (c) => c.notNull().references('conversations.id'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addColumn('closed_at', TIME)
    .addUniqueConstraint('tickets_conversation_id_key', ['conversation_id'])
    .execute();
  // The list views: "mine", "assigned to me", "my team's", by status; each sorted by recency,
  // with id as the tie-breaker of the pagination cursor.
  for (const column of ['requester_id', 'assignee_id', 'team_id', 'status']) {
    await db.schema
      .createIndex(`tickets_${column}_updated_at_idx`)
      .on('tickets')
      .columns([column, 'updated_at', 'id'])
      .execute();
  }
  await db.schema.createIndex('tickets_updated_at_idx').on('tickets').columns(['updated_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('tickets').execute();
}
