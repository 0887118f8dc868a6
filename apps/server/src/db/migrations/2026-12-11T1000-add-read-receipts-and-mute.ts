import { sql, type Kysely } from 'kysely';

/**
 * "Mark unread from here" moves a member's own cursor (`last_read_seq`) back, which must not take
 * back what the others were shown: `receipt_seq` is how far they have read as others see it, and
 * only ever moves forward. `muted` (0/1): the conversation notifies them of mentions only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversation_members')
    .addColumn('receipt_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('conversation_members')
    .addColumn('muted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update conversation_members set receipt_seq = last_read_seq`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversation_members').dropColumn('muted').execute();
  await db.schema.alterTable('conversation_members').dropColumn('receipt_seq').execute();
}
