import type { Kysely } from 'kysely';
import { setVarcharLength } from '../portable-ddl';

/**
 * `teams.name_key` is the name lower-cased, and lower-casing can lengthen text: "İ" (U+0130)
 * becomes "i" + U+0307. A valid 64-character name can have a 128-character key, which MariaDB and
 * PostgreSQL refused with an error (SQLite, which ignores lengths, took it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await setVarcharLength(db, 'teams', 'name_key', 128);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setVarcharLength(db, 'teams', 'name_key', 64);
}
