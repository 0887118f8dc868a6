import { sql, type Kysely } from 'kysely';
import { TIME } from '../portable-ddl';

/**
 * What a reader who may not see internal notes sees of a conversation's activity: the highest
 * seq and the time of its last message that is not a note. A note moves `last_seq` and
 * `updated_at` only, so customers cannot time (or count) staff notes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('public_last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('public_updated_at', TIME, (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`
    UPDATE conversations SET
      public_last_seq = COALESCE(
        (SELECT MAX(m.seq) FROM messages m WHERE m.conversation_id = conversations.id AND m.kind <> 'note'), 0),
      public_updated_at = COALESCE(
        (SELECT MAX(m.created_at) FROM messages m WHERE m.conversation_id = conversations.id AND m.kind <> 'note'),
        conversations.created_at)
  `.execute(db);
  // Conversations without notes keep exactly the time they had (it may have moved without a message).
  await sql`
    UPDATE conversations SET public_updated_at = updated_at
    WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = conversations.id AND m.kind = 'note')
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('public_updated_at').execute();
  await db.schema.alterTable('conversations').dropColumn('public_last_seq').execute();
}
