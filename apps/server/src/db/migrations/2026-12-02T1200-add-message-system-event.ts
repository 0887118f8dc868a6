import type { Kysely } from 'kysely';

/**
 * What a system message says, as JSON (`SystemEvent` in the protocol), so clients render it in
 * the reader's language. Text, not a JSON type: the three dialects agree on text, and the
 * server only writes and reads it whole. Older system messages keep null; their English body
 * is what clients show for them.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('system_event', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').dropColumn('system_event').execute();
}
