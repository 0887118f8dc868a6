import { sql, type Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Things an installation has exactly once, such as its first admin. Two registrations at once
 * both saw "no users yet" and both became admin; the primary key on `name` lets only one of
 * them claim the role, on every dialect.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'installation_claims')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .execute();
  // An installation that already has users has had its first admin: the oldest admin, else the oldest user.
  await sql`
    INSERT INTO installation_claims (name, user_id, created_at)
    SELECT 'first_admin', id, created_at FROM users
    ORDER BY CASE WHEN role = 'admin' THEN 0 ELSE 1 END, created_at, id
    LIMIT 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('installation_claims').execute();
}
