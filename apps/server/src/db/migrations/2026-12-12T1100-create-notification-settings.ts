import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * `notification_settings`: how a person of a workspace wants to hear of things outside the app
 * (no row: the defaults). Levels per channel are `all`, `mentions` or `none`; `email_off` lists
 * the email categories they unsubscribed from (JSON array); quiet hours are minutes of the day
 * in `time_zone`; `emailed_up_to` is how far their notifications have been mailed (the digest
 * mails entries updated after it). A conversation's own level is `conversation_members.muted`:
 * 0 all, 1 mentions, 2 none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'notification_settings')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('push_level', 'varchar(10)', (c) => c.notNull())
    .addColumn('email_level', 'varchar(10)', (c) => c.notNull())
    .addColumn('email_off', 'varchar(200)', (c) => c.notNull())
    .addColumn('quiet_from', 'integer')
    .addColumn('quiet_to', 'integer')
    .addColumn('time_zone', 'varchar(64)')
    .addColumn('emailed_up_to', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('notification_settings_pk', ['workspace_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notification_settings').execute();
}
