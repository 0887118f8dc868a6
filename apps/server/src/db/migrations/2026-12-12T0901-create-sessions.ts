import { sql, type Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * What a person sees of their sign-ins: one row per refresh-token family (`id` is the family's
 * id), with the device's user agent and when it last got tokens. Whether a session is alive stays
 * the refresh tokens' business; this only describes it. Listed per person across their
 * workspaces, so its key is the family id and its index leads with the user (like refresh_tokens).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'sessions')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('user_agent', 'varchar(255)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('last_used_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').columns(['user_id', 'last_used_at']).execute();
  // The sessions already signed in: one row per family that still has an unrevoked token, from
  // its first token (signed in) to its newest (last refreshed).
  await sql`
    insert into sessions (id, workspace_id, user_id, user_agent, created_at, last_used_at)
    select family_id, min(workspace_id), min(user_id), null, min(created_at), max(created_at)
    from refresh_tokens where revoked_at is null group by family_id`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sessions').execute();
}
