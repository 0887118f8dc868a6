import type { Kysely } from 'kysely';

/**
 * Bots (bots/): `users.bot` 1 marks a workspace's bot account, which has no usable password and
 * acts through API tokens only; everything that shows a person shows it as a bot.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('bot', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('bot').execute();
}
