import type { Kysely } from 'kysely';
import { createTable, ID, TIME } from '../portable-ddl';

/**
 * Custom fields (docs/decisions/0009-custom-fields.md): admin-defined fields of tickets and
 * customers, and their values.
 *
 * `custom_fields` holds the definitions; `key` is unique per workspace and entity and never
 * changes (placeholders and the API name fields by it). `options` and `required_for` are JSON
 * text. `custom_field_values` is typed for filtering and sorting: text, select and date values
 * (ISO `YYYY-MM-DD`, which sorts as text) in `text_value`, numbers and checkboxes (1/0) in
 * `number_value`, one row per chosen option of a multi-select (`item` 0, 1, ...; 0 for every
 * other type). `entity_id` is a ticket or a user id; no foreign key, since it is either.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await createTable(db, 'custom_fields')
    .addColumn('id', ID, (c) => c.primaryKey())
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('entity', 'varchar(20)', (c) => c.notNull())
    .addColumn('key', 'varchar(40)', (c) => c.notNull())
    .addColumn('name', 'varchar(400)', (c) => c.notNull())
    .addColumn('type', 'varchar(20)', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('required_for', 'text', (c) => c.notNull())
    .addColumn('visible_to_customers', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('archived_at', TIME)
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addUniqueConstraint('custom_fields_workspace_entity_key_key', ['workspace_id', 'entity', 'key'])
    .execute();

  await createTable(db, 'custom_field_values')
    .addColumn('workspace_id', ID, (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
    .addColumn('field_id', ID, (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
    .addColumn('entity_id', ID, (c) => c.notNull())
    .addColumn('item', 'integer', (c) => c.notNull())
    .addColumn('text_value', 'varchar(500)')
    .addColumn('number_value', 'double precision')
    .addColumn('updated_at', TIME, (c) => c.notNull())
    .addPrimaryKeyConstraint('custom_field_values_pkey', ['workspace_id', 'entity_id', 'field_id', 'item'])
    .execute();
  // Filters and sorts: the values of one field, by value.
  await db.schema
    .createIndex('custom_field_values_text_idx')
    .on('custom_field_values')
    .columns(['workspace_id', 'field_id', 'text_value'])
    .execute();
  await db.schema
    .createIndex('custom_field_values_number_idx')
    .on('custom_field_values')
    .columns(['workspace_id', 'field_id', 'number_value'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('custom_field_values').execute();
  await db.schema.dropTable('custom_fields').execute();
}
