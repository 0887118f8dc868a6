import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Installation operators and workspace invites.
 *
 * `operators` lists the accounts that may create, suspend and delete workspaces; only the
 * operator CLI sets it (docs/decisions/0007-operators.md). `invites` are a workspace's links to
 * join it with a role: the token itself is never stored, only its SHA-256.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'operators')
    .addColumn('user_id', ID, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .execute();

  await createTable(db, 'invites')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_id', ID, (c) => c.notNull().references('roles.id').onDelete('cascade'))
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', TIME, (c) => c.notNull())
    .addColumn('created_by', ID, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('revoked_at', TIME)
    .addUniqueConstraint('invites_token_hash_key', ['token_hash'])
    .execute();
  await db.schema
    .createIndex('invites_workspace_created_idx')
    .on('invites')
    .columns(['workspace_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('invites').execute();
  await db.schema.dropTable('operators').execute();
}
