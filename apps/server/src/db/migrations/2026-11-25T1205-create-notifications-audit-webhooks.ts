import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'notifications')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'varchar(64)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('read_at', TIME)
    .execute();
  await db.schema
    .createIndex('notifications_user_id_idx')
    .on('notifications')
    .columns(['user_id', 'created_at'])
    .execute();

  // No foreign keys here: the audit trail outlives the rows it speaks of.
  await createTable(db, 'audit_log')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('actor_id', ID)
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('entity_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('entity_id', ID, (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('audit_log_entity_idx')
    .on('audit_log')
    .columns(['entity_type', 'entity_id', 'created_at'])
    .execute();
  await db.schema.createIndex('audit_log_created_at_idx').on('audit_log').column('created_at').execute();

  await createTable(db, 'webhooks')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_by', ID, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('disabled_at', TIME)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhooks').execute();
  await db.schema.dropTable('audit_log').execute();
  await db.schema.dropTable('notifications').execute();
}
