import type { Kysely } from 'kysely';

/**
 * Group conversations: a topic line under the group's name (`conversations.title`), and which
 * members administer it (0/1: one integer type on every database). Direct and ticket members
 * are plain members.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('topic', 'text').execute();
  await db.schema
    .alterTable('conversation_members')
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversation_members').dropColumn('is_admin').execute();
  await db.schema.alterTable('conversations').dropColumn('topic').execute();
}
