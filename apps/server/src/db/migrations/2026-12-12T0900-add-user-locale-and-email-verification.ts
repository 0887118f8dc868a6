import type { Kysely } from 'kysely';
import { TIME } from '../portable-ddl';

/**
 * `locale`: the language of the mails a person gets ('en' or 'de'; the app sends its own when
 * the person switches). `email_verified_at`: when they proved the address is theirs; null: not yet.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('locale', 'varchar(8)', (c) => c.notNull().defaultTo('en'))
    .execute();
  await db.schema.alterTable('users').addColumn('email_verified_at', TIME).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('email_verified_at').execute();
  await db.schema.alterTable('users').dropColumn('locale').execute();
}
