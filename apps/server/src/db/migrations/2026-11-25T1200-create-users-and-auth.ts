import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'users')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('email', 'varchar(254)', (c) => c.notNull())
    .addColumn('username', 'varchar(32)', (c) => c.notNull())
    .addColumn('username_key', 'varchar(32)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    .addColumn('avatar_key', 'varchar(64)')
    .addColumn('status_text', 'varchar(140)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addColumn('deactivated_at', TIME)
    .addUniqueConstraint('users_email_key', ['email'])
    .addUniqueConstraint('users_username_key_key', ['username_key'])
    .execute();
  await db.schema.createIndex('users_display_name_idx').on('users').column('display_name').execute();

  await createTable(db, 'refresh_tokens')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('family_id', ID, (c) => c.notNull())
    .addColumn('token_hash', 'char(64)', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('rotated_at', TIME)
    .addColumn('revoked_at', TIME)
    .addUniqueConstraint('refresh_tokens_token_hash_key', ['token_hash'])
    .execute();
  await db.schema.createIndex('refresh_tokens_family_id_idx').on('refresh_tokens').column('family_id').execute();
  await db.schema.createIndex('refresh_tokens_user_id_idx').on('refresh_tokens').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('refresh_tokens').execute();
  await db.schema.dropTable('users').execute();
}
