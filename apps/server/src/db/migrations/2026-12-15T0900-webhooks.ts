import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Webhooks (webhooks/): `webhooks` is remade (nothing ever wrote the first one), a workspace's
 * endpoints with their secrets (`previous_secret` still signs until `previous_secret_until`
 * after a rotation) and health (`failing_since`: no delivery has got through since then).
 * `webhook_deliveries` is each event sent to an endpoint: its exact body, where it stands and
 * how its last attempt went; `(webhook_id, event_id, redelivery)` is unique, so an event
 * handled twice is delivered once. `ordering_key` (a ticket) keeps one ticket's deliveries in order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhooks').execute();
  await createTable(db, 'webhooks')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('description', 'varchar(200)')
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('previous_secret', 'varchar(128)')
    .addColumn('previous_secret_until', TIME)
    .addColumn('max_concurrency', 'integer', (c) => c.notNull())
    .addColumn('disabled_at', TIME)
    .addColumn('disabled_reason', 'varchar(16)')
    .addColumn('failing_since', TIME)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhooks_pk', ['workspace_id', 'id'])
    .execute();

  await createTable(db, 'webhook_deliveries')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('id', ID, (c) => c.notNull())
    .addColumn('webhook_id', ID, (c) => c.notNull())
    .addColumn('event_id', ID, (c) => c.notNull())
    .addColumn('event_type', 'varchar(40)', (c) => c.notNull())
    .addColumn('redelivery', 'integer', (c) => c.notNull())
    .addColumn('ordering_key', ID)
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', TIME)
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('error', 'varchar(500)')
    .addColumn('duration_ms', 'integer')
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('delivered_at', TIME)
    .addPrimaryKeyConstraint('webhook_deliveries_pk', ['workspace_id', 'id'])
    .addUniqueConstraint('webhook_deliveries_event_key', ['workspace_id', 'webhook_id', 'event_id', 'redelivery'])
    .execute();
  // The log, newest first; and what the sender has still to send, in order.
  await db.schema
    .createIndex('webhook_deliveries_log_idx')
    .on('webhook_deliveries')
    .columns(['workspace_id', 'webhook_id', 'id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_pending_idx')
    .on('webhook_deliveries')
    .columns(['workspace_id', 'webhook_id', 'status', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('webhook_deliveries').execute();
  await db.schema.dropTable('webhooks').execute();
  // As 2026-11-25T1205 made it and 2026-12-03T0900 scoped it.
  await createTable(db, 'webhooks')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('url', 'varchar(2048)', (c) => c.notNull())
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('created_by', ID, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('disabled_at', TIME)
    .addColumn('workspace_id', ID, (c) => c.notNull().defaultTo(''))
    .execute();
}
