import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'teams')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('name_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('description', 'varchar(500)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('teams_name_key_key', ['name_key'])
    .execute();

  await createTable(db, 'team_members')
    .addColumn('team_id', ID, (c) => c.notNull().references('teams.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('team_members_pkey', ['team_id', 'user_id'])
    .execute();
  await db.schema.createIndex('team_members_user_id_idx').on('team_members').column('user_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('team_members').execute();
  await db.schema.dropTable('teams').execute();
}
