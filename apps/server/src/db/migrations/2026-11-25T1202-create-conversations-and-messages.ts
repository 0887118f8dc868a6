import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'conversations')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('title', 'varchar(200)')
    .addColumn('last_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('direct_key', 'varchar(53)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('conversations_direct_key_key', ['direct_key'])
    .execute();

  await createTable(db, 'conversation_members')
    .addColumn('conversation_id', ID, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_members_pkey', ['conversation_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('conversation_members_user_id_idx')
    .on('conversation_members')
    .column('user_id')
    .execute();

  await createTable(db, 'messages')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('conversation_id', ID, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sender_id', ID, (c) => c.references('users.id').onDelete('set null'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('client_msg_id', 'varchar(64)')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('edited_at', TIME)
    .addColumn('deleted_at', TIME)
    // seq orders a conversation and is the clients' resume cursor: never two alike.
    .addUniqueConstraint('messages_conversation_id_seq_key', ['conversation_id', 'seq'])
    // A resend of the same client message id by the same sender is the same message.
    .addUniqueConstraint('messages_sender_id_client_msg_id_key', ['sender_id', 'client_msg_id'])
    .execute();

  await createTable(db, 'reactions')
    .addColumn('message_id', ID, (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('user_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('emoji', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pkey', ['message_id', 'user_id', 'emoji'])
    .execute();

  await createTable(db, 'attachments')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('uploader_id', ID, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', ID, (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', ID, (c) => c.references('messages.id').onDelete('set null'))
    .addColumn('storage_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_message_id_idx').on('attachments').column('message_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('attachments').execute();
  await db.schema.dropTable('reactions').execute();
  await db.schema.dropTable('messages').execute();
  await db.schema.dropTable('conversation_members').execute();
  await db.schema.dropTable('conversations').execute();
}
