import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * The website chat widget (widget/): `chat_widgets`, a workspace's widgets (`key` public and
 * unique across the installation: a visitor's page names it before any workspace is known;
 * `allowed_origins` a JSON array), and `widget_guests`, the visitors who chatted (each a user
 * without a usable password), with the verified identity the host site passed (`external_id`,
 * unique per widget) and the email they gave. `last_client_msg_id` makes a repeated first
 * message open one chat.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'chat_widgets')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('key', 'varchar(40)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)', (c) => c.notNull())
    .addColumn('allowed_origins', 'text', (c) => c.notNull())
    .addColumn('team_id', ID)
    .addColumn('greeting', 'varchar(500)')
    .addColumn('identity_secret', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('chat_widgets_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('chat_widgets_key_key', ['key'])
    .execute();

  await createTable(db, 'widget_guests')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull())
    .addColumn('widget_id', ID, (c) => c.notNull())
    .addColumn('external_id', 'varchar(200)')
    .addColumn('contact_email', 'varchar(254)')
    .addColumn('last_client_msg_id', 'varchar(64)')
    .addColumn('last_ticket_id', ID)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('widget_guests_pk', ['workspace_id', 'user_id'])
    .addUniqueConstraint('widget_guests_external_key', ['workspace_id', 'widget_id', 'external_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('widget_guests').execute();
  await db.schema.dropTable('chat_widgets').execute();
}
