import type { Kysely } from 'kysely';
import { ID, TIME } from '../portable-ddl';

/**
 * Auto-assignment (apps/server/src/assignment): each team's mode, its default capacity and its
 * round-robin cursor (the member who got its last ticket) live on the team row, which is also
 * what an assignment locks; a member's own capacity in a team on their membership of it; an
 * agent's "away" on their workspace membership.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('teams')
    .addColumn('assignment_mode', 'varchar(16)', (c) => c.notNull().defaultTo('off'))
    .execute();
  await db.schema.alterTable('teams').addColumn('assignment_capacity', 'integer').execute();
  await db.schema.alterTable('teams').addColumn('assignment_cursor', ID).execute();
  await db.schema.alterTable('team_members').addColumn('capacity', 'integer').execute();
  await db.schema.alterTable('workspace_members').addColumn('away_since', TIME).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('workspace_members').dropColumn('away_since').execute();
  await db.schema.alterTable('team_members').dropColumn('capacity').execute();
  for (const column of ['assignment_cursor', 'assignment_capacity', 'assignment_mode']) {
    await db.schema.alterTable('teams').dropColumn(column).execute();
  }
}
