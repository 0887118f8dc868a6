import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Email channels (email-inbox/): `email_channels`, a workspace's support addresses (unique across
 * the installation: inbound mail is routed by address), and `email_messages`, the mails of each
 * conversation's email thread with their Message-IDs, unique per workspace through `header_hash`
 * (SHA-256 of the normalised id; a Message-ID may be up to 998 characters). `tickets.channel`
 * says where a ticket came from; tickets so far came from the app.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'email_channels')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('address', 'varchar(200)', (c) => c.notNull())
    .addColumn('name', 'varchar(100)')
    .addColumn('team_id', ID)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('email_channels_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('email_channels_address_key', ['address'])
    .execute();

  await createTable(db, 'email_messages')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('channel_id', ID, (c) => c.notNull())
    .addColumn('conversation_id', ID, (c) => c.notNull())
    .addColumn('message_id', ID)
    .addColumn('direction', 'varchar(3)', (c) => c.notNull())
    .addColumn('header_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('header_id', 'varchar(500)', (c) => c.notNull())
    .addColumn('from_address', 'varchar(200)')
    .addColumn('auth_results', 'varchar(200)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('email_messages_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('email_messages_header_key', ['workspace_id', 'header_hash'])
    .execute();
  await db.schema
    .createIndex('email_messages_by_conversation_idx')
    .on('email_messages')
    .columns(['workspace_id', 'conversation_id', 'created_at'])
    .execute();
  await db.schema
    .createIndex('email_messages_by_sender_idx')
    .on('email_messages')
    .columns(['workspace_id', 'from_address', 'created_at'])
    .execute();

  await db.schema
    .alterTable('tickets')
    .addColumn('channel', 'varchar(8)', (c) => c.notNull().defaultTo('app'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').dropColumn('channel').execute();
  await db.schema.dropTable('email_messages').execute();
  await db.schema.dropTable('email_channels').execute();
}
