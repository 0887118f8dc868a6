import type { CustomFieldEntity, CustomFieldType, TicketStatus } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { CustomFieldRow, CustomFieldValueRow } from '../db/schema';

/** A stored definition, its JSON parsed. */
export interface FieldRecord {
  id: string;
  entity: CustomFieldEntity;
  key: string;
  name: string;
  type: CustomFieldType;
  options: string[];
  requiredFor: TicketStatus[];
  visibleToCustomers: boolean;
  position: number;
  archivedAt: number | null;
  createdAt: number;
  updatedAt: number;
}

const fromRow = (row: CustomFieldRow): FieldRecord => ({
  id: row.id,
  entity: row.entity,
  key: row.key,
  name: row.name,
  type: row.type,
  options: JSON.parse(row.options) as string[],
  requiredFor: JSON.parse(row.requiredFor) as TicketStatus[],
  visibleToCustomers: Number(row.visibleToCustomers) === 1,
  position: Number(row.position),
  archivedAt: row.archivedAt === null ? null : Number(row.archivedAt),
  createdAt: Number(row.createdAt),
  updatedAt: Number(row.updatedAt),
});

const toColumns = (f: FieldRecord) => ({
  name: f.name,
  type: f.type,
  options: JSON.stringify(f.options),
  requiredFor: JSON.stringify(f.requiredFor),
  visibleToCustomers: f.visibleToCustomers ? 1 : 0,
  position: f.position,
  archivedAt: f.archivedAt,
  updatedAt: f.updatedAt,
});

/** The workspace's fields in position order, optionally of one entity. */
export async function listFields(db: Db, ws: Scope, entity?: CustomFieldEntity): Promise<FieldRecord[]> {
  let select = db.selectFrom('customFields').selectAll().where('workspaceId', '=', ws.workspaceId);
  if (entity) select = select.where('entity', '=', entity);
  const rows = await select.orderBy('position').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function findField(db: Db, ws: Scope, id: string): Promise<FieldRecord | undefined> {
  const row = await db
    .selectFrom('customFields')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && fromRow(row);
}

export async function insertField(db: Db, ws: Scope, field: FieldRecord): Promise<void> {
  await db
    .insertInto('customFields')
    .values({
      id: field.id,
      workspaceId: ws.workspaceId,
      entity: field.entity,
      key: field.key,
      createdAt: field.createdAt,
      ...toColumns(field),
    })
    .execute();
}

export async function updateField(db: Db, ws: Scope, field: FieldRecord): Promise<void> {
  await db
    .updateTable('customFields')
    .set(toColumns(field))
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', field.id)
    .execute();
}

export async function setFieldPosition(db: Db, ws: Scope, id: string, position: number, at: number): Promise<void> {
  await db
    .updateTable('customFields')
    .set({ position, updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Whether any ticket or customer has a value of the field. */
export async function fieldHasValues(db: Db, ws: Scope, fieldId: string): Promise<boolean> {
  const row = await db
    .selectFrom('customFieldValues')
    .select('fieldId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('fieldId', '=', fieldId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Every stored value row of these tickets or customers, in item order. */
export async function readValueRows(db: Db, ws: Scope, entityIds: readonly string[]): Promise<CustomFieldValueRow[]> {
  if (entityIds.length === 0) return [];
  const rows = await db
    .selectFrom('customFieldValues')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('entityId', 'in', [...entityIds])
    .orderBy('item')
    .execute();
  return rows.map((r) => ({
    ...r,
    item: Number(r.item),
    numberValue: r.numberValue === null ? null : Number(r.numberValue),
  }));
}

/** The value rows a field will have on an entity from now on (none: cleared). */
export interface ValueRows {
  fieldId: string;
  rows: Array<{ textValue: string | null; numberValue: number | null }>;
}

export async function replaceValues(
  trx: Db,
  ws: Scope,
  entityId: string,
  values: readonly ValueRows[],
  at: number,
): Promise<void> {
  for (const { fieldId, rows } of values) {
    await trx
      .deleteFrom('customFieldValues')
      .where('workspaceId', '=', ws.workspaceId)
      .where('entityId', '=', entityId)
      .where('fieldId', '=', fieldId)
      .execute();
    if (rows.length === 0) continue;
    await trx
      .insertInto('customFieldValues')
      .values(rows.map((r, item) => ({ workspaceId: ws.workspaceId, fieldId, entityId, item, updatedAt: at, ...r })))
      .execute();
  }
}
