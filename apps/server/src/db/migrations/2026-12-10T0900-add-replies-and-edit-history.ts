import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Replies and edit history. `messages.reply_to_id`: the message of the same conversation a
 * message answers (no foreign key: a reply outlives nothing, messages are soft-deleted).
 * `message_edits`: one row per edit with the text it replaced, read per message oldest first;
 * a deletion removes them with the text.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('reply_to_id', ID).execute();
  await createTable(db, 'message_edits')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('message_id', ID, (c) => c.notNull())
    .addColumn('editor_id', ID)
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('edited_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_edits_workspace_message_idx')
    .on('message_edits')
    .columns(['workspace_id', 'message_id', 'edited_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_edits').execute();
  await db.schema.alterTable('messages').dropColumn('reply_to_id').execute();
}
