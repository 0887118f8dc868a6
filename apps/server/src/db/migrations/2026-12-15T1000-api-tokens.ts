import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * API tokens (api-tokens/): a person's long-lived, scoped credentials. Only the SHA-256 of the
 * secret is kept (`secret_hash`, unique across the installation: a request names no workspace
 * before its token is known); `scopes` is a JSON array. Revoking sets `revoked_at`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'api_tokens')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('secret_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('last_used_at', TIME)
    .addColumn('revoked_at', TIME)
    .addPrimaryKeyConstraint('api_tokens_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('api_tokens_secret_key', ['secret_hash'])
    .execute();
  await db.schema.createIndex('api_tokens_user_idx').on('api_tokens').columns(['workspace_id', 'user_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('api_tokens').execute();
}
