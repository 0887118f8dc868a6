import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Single-use links mailed to a person: `purpose` 'password_reset' or 'email_verification'. Only
 * the token's SHA-256 is kept. `workspace_id` is where the person asked from (the mail's branding
 * and link); the token is found by its hash, and a person's older tokens by `user_id`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'account_tokens')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'varchar(32)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('used_at', TIME)
    .addPrimaryKeyConstraint('account_tokens_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('account_tokens_token_hash_key', ['token_hash'])
    .execute();
  await db.schema
    .createIndex('account_tokens_user_idx')
    .on('account_tokens')
    .columns(['user_id', 'purpose', 'used_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('account_tokens').execute();
}
