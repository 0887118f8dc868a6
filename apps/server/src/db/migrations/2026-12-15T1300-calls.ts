import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Calls (decision 0016): one row per call with its state, and a row per person in it or rung.
 * `version` makes each change a conditional UPDATE (two nodes deciding at once: one wins, the
 * other reads again). `live_key` is the conversation's id while the call is not over and null
 * after: its unique index allows one live call per conversation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'calls')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('conversation_id', ID, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(8)', (c) => c.notNull())
    .addColumn('state', 'varchar(8)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('started_by', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('started_at', TIME, (c) => c.notNull())
    .addColumn('answered_at', TIME)
    .addColumn('ended_at', TIME)
    .addColumn('end_reason', 'varchar(16)')
    .addColumn('live_key', ID)
    .addPrimaryKeyConstraint('calls_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('calls_live_key', ['workspace_id', 'live_key'])
    .execute();
  await createTable(db, 'call_participants')
    .addColumn('workspace_id', ID, (c) => c.notNull())
    .addColumn('call_id', ID, (c) => c.notNull())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('state', 'varchar(16)', (c) => c.notNull())
    .addColumn('joined_at', TIME)
    .addPrimaryKeyConstraint('call_participants_pk', ['workspace_id', 'call_id', 'user_id'])
    .addForeignKeyConstraint(
      'call_participants_call_fk',
      ['workspace_id', 'call_id'],
      'calls',
      ['workspace_id', 'id'],
      (fk) => fk.onDelete('cascade'),
    )
    .execute();
  // The calls not over yet, across workspaces (the sweep for people whose node died): a few rows
  // of a table that keeps every call ever made.
  await db.schema.createIndex('calls_state_idx').on('calls').columns(['state']).execute();
  // "Is Sam in a call already?" and "Sam's live calls" (a client back after a reconnect).
  await db.schema
    .createIndex('call_participants_user_idx')
    .on('call_participants')
    .columns(['workspace_id', 'user_id', 'state'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('call_participants').execute();
  await db.schema.dropTable('calls').execute();
}
