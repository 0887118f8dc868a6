import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Canned responses: a reply kept ready by a person (`personal`), for a team, or for the whole
 * workspace. `owner_key` names who it belongs to (`u:<user>`, `t:<team>` or `w`), so one unique
 * key keeps shortcuts unique per owner on every dialect (a NULL in a unique key would not).
 * A team's responses go with the team, a person's with the account (foreign keys cascade).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'canned_responses')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('scope', 'varchar(20)', (c) => c.notNull())
    .addColumn('owner_id', ID, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('team_id', ID, (c) => c.references('teams.id').onDelete('cascade'))
    .addColumn('owner_key', 'varchar(40)', (c) => c.notNull())
    .addColumn('shortcut', 'varchar(40)', (c) => c.notNull())
    .addColumn('title', 'varchar(400)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('usage_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_by', ID)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('canned_responses_owner_shortcut_key', ['workspace_id', 'owner_key', 'shortcut'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('canned_responses').execute();
}
