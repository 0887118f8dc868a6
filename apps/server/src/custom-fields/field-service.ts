import type {
  CreateCustomFieldBody,
  CustomField,
  CustomFieldEntity,
  CustomFieldList,
  CustomFieldListQuery,
  EntityFieldValues,
  FieldValues,
  ReorderCustomFieldsBody,
  SetFieldValuesBody,
  UpdateCustomFieldBody,
} from '@parley/protocol';
import { can, isStaff, type Actor, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { loadActor } from '../workspaces/member-repository';
import {
  fieldHasValues,
  findField,
  insertField,
  listFields,
  readValueRows,
  replaceValues,
  setFieldPosition,
  updateField,
  type FieldRecord,
} from './field-repository';
import { checkPatch, displayValue, isOrphaned, valuesByEntity } from './field-values';

/**
 * Custom field definitions (kept by `settings.manage`) and customers' values. Tickets' values
 * are written by the ticket service (ticket-fields.ts), in the ticket update's transaction.
 */

export const presentField = (f: FieldRecord): CustomField => ({
  id: f.id,
  entity: f.entity,
  key: f.key,
  name: f.name,
  type: f.type,
  options: f.options,
  requiredFor: f.requiredFor,
  visibleToCustomers: f.visibleToCustomers,
  position: f.position,
  archived: f.archivedAt !== null,
  createdAt: toIso(f.createdAt),
  updatedAt: toIso(f.updatedAt),
});

/** The fields a reader sees values of: live ones; for customers only those marked visible. */
export const readableBy = (actor: Actor, fields: readonly FieldRecord[]): FieldRecord[] =>
  fields.filter((f) => f.archivedAt === null && (isStaff(actor) || f.visibleToCustomers));

/** Staff see every definition (archived ones on request); customers the visible, live ones. */
export async function listCustomFields(
  deps: ServiceDeps,
  actor: Actor,
  query: CustomFieldListQuery,
): Promise<CustomFieldList> {
  const fields = await listFields(deps.db, actor, query.entity);
  const shown = isStaff(actor) && query.archived === 'true' ? fields : readableBy(actor, fields);
  return { items: shown.map(presentField) };
}

export async function createCustomField(
  deps: ServiceDeps,
  actor: Actor,
  body: CreateCustomFieldBody,
): Promise<CustomField> {
  const at = deps.clock.now();
  try {
    const field = await deps.db.transaction().execute(async (trx) => {
      const existing = await listFields(trx, actor, body.entity);
      const field: FieldRecord = {
        id: newId(),
        entity: body.entity,
        key: body.key,
        name: body.name,
        type: body.type,
        options: body.options ?? [],
        requiredFor: body.requiredFor ?? [],
        visibleToCustomers: body.visibleToCustomers ?? false,
        position: existing.reduce((max, f) => Math.max(max, f.position + 1), 0),
        archivedAt: null,
        createdAt: at,
        updatedAt: at,
      };
      await insertField(trx, actor, field);
      await audit(trx, actor, at, 'custom_field.created', field, { key: field.key, type: field.type });
      return field;
    });
    return presentField(field);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw fieldConflict([{ in: 'body', path: 'key', message: 'A field of this entity has this key already' }]);
  }
}

/**
 * Renames, options, required statuses, visibility and archiving change freely: values stay as
 * they are (a removed option's values are kept, shown as orphaned). A type change would
 * reinterpret stored values, so it is refused (409) while the field has any.
 */
export async function updateCustomField(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateCustomFieldBody,
): Promise<CustomField> {
  const at = deps.clock.now();
  const field = await deps.db.transaction().execute(async (trx) => {
    const before = await findField(trx, actor, id);
    if (!before) throw notFound('Field');
    const type = body.type ?? before.type;
    const options = body.options ?? (body.type && !isSelect(type) ? [] : before.options);
    const issues = [];
    if (isSelect(type) !== options.length > 0) {
      issues.push({
        in: 'body' as const,
        path: 'options',
        reason: 'invalid' as const,
        message: 'Selects need options, and only selects have them',
      });
    }
    const requiredFor = body.requiredFor ?? before.requiredFor;
    if (before.entity !== 'ticket' && requiredFor.length > 0) {
      issues.push({
        in: 'body' as const,
        path: 'requiredFor',
        reason: 'invalid' as const,
        message: 'Only ticket fields are required for a status',
      });
    }
    if (issues.length > 0)
      throw new AppError('validation_failed', 'The field does not fit together', { fields: issues });
    if (type !== before.type && (await fieldHasValues(trx, actor, id))) {
      throw new AppError('conflict', 'The field has values; its type cannot change (add a new field instead)', {
        fields: [{ in: 'body', path: 'type', reason: 'invalid', message: 'The field has values' }],
      });
    }
    const field: FieldRecord = {
      ...before,
      name: body.name ?? before.name,
      type,
      options,
      requiredFor,
      visibleToCustomers: body.visibleToCustomers ?? before.visibleToCustomers,
      archivedAt: body.archived === undefined ? before.archivedAt : body.archived ? (before.archivedAt ?? at) : null,
      updatedAt: at,
    };
    await updateField(trx, actor, field);
    await audit(trx, actor, at, 'custom_field.updated', field, changedOf(before, field));
    return field;
  });
  return presentField(field);
}

const isSelect = (type: FieldRecord['type']) => type === 'select' || type === 'multi_select';

function changedOf(before: FieldRecord, after: FieldRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['name', 'type', 'options', 'requiredFor', 'visibleToCustomers', 'archivedAt'] as const) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = { from: before[k], to: after[k] };
  }
  return out;
}

export async function reorderCustomFields(
  deps: ServiceDeps,
  actor: Actor,
  body: ReorderCustomFieldsBody,
): Promise<CustomFieldList> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const fields = await listFields(trx, actor, body.entity);
    const known = new Set(fields.map((f) => f.id));
    const given = new Set(body.ids);
    if (given.size !== body.ids.length || given.size !== known.size || body.ids.some((id) => !known.has(id))) {
      throw new AppError('validation_failed', 'Name every field of the entity once, in the new order', {
        fields: [{ in: 'body', path: 'ids', reason: 'invalid', message: 'Every field once, no other ids' }],
      });
    }
    for (const [position, id] of body.ids.entries()) await setFieldPosition(trx, actor, id, position, at);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'custom_field.reordered',
      entityType: 'custom_field',
      entityId: body.ids[0] ?? actor.workspaceId,
      data: { entity: body.entity, ids: body.ids },
    });
  });
  return { items: (await listFields(deps.db, actor, body.entity)).map(presentField) };
}

function audit(trx: Db, actor: Actor, at: number, action: string, field: FieldRecord, data: Record<string, unknown>) {
  return recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'custom_field',
    entityId: field.id,
    data: { key: field.key, ...data },
  });
}

/** The reader's values of each ticket (or customer) of `ids`: live fields, visible ones for customers. */
export async function readFieldValues(
  db: Db,
  actor: Actor,
  entity: CustomFieldEntity,
  ids: readonly string[],
): Promise<Map<string, FieldValues>> {
  if (ids.length === 0) return new Map();
  const [fields, rows] = await Promise.all([listFields(db, actor, entity), readValueRows(db, actor, ids)]);
  return valuesByEntity(readableBy(actor, fields), rows);
}

/**
 * Display strings by key for each of `ids` (tickets or customers), for canned-response
 * placeholders (`{{ticket.fields.KEY}}`) and the customer context panel: every live field with a
 * value, as one line of text (`Yes`/`No`, options joined by `, `). `customerVisibleOnly` leaves
 * internal fields out, for text a customer will read.
 */
export async function fieldValuesFor(
  db: Db,
  scope: Scope,
  entity: CustomFieldEntity,
  ids: readonly string[],
  { customerVisibleOnly = false }: { customerVisibleOnly?: boolean } = {},
): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>(ids.map((id) => [id, {}]));
  if (ids.length === 0) return out;
  const [all, rows] = await Promise.all([listFields(db, scope, entity), readValueRows(db, scope, ids)]);
  const fields = all.filter((f) => f.archivedAt === null && (!customerVisibleOnly || f.visibleToCustomers));
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const [id, values] of valuesByEntity(fields, rows)) {
    out.set(id, Object.fromEntries(Object.entries(values).map(([k, v]) => [k, displayValue(byKey.get(k)!, v)])));
  }
  return out;
}

/** A customer of the workspace, for staff; anyone else is not found. */
async function customerOf(db: Db, actor: Actor, userId: string): Promise<Actor> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Only staff read and set customer fields');
  const member = await loadActor(db, actor, userId);
  if (!member || isStaff(member)) throw notFound('Customer');
  return member;
}

async function customerValues(db: Db, actor: Actor, userId: string): Promise<EntityFieldValues> {
  const fields = readableBy(actor, await listFields(db, actor, 'customer'));
  const values = valuesByEntity(fields, await readValueRows(db, actor, [userId])).get(userId) ?? {};
  return { fields: values, orphaned: orphanedKeys(fields, values) };
}

export const orphanedKeys = (fields: readonly FieldRecord[], values: FieldValues): string[] =>
  fields.filter((f) => isOrphaned(f, values[f.key])).map((f) => f.key);

export async function getCustomerFields(deps: ServiceDeps, actor: Actor, userId: string): Promise<EntityFieldValues> {
  await customerOf(deps.db, actor, userId);
  return customerValues(deps.db, actor, userId);
}

/** Staff set a customer's field values (`null` clears one); audited per field; staff sockets hear the change. */
export async function setCustomerFields(
  deps: ServiceDeps,
  actor: Actor,
  userId: string,
  body: SetFieldValuesBody,
): Promise<EntityFieldValues> {
  await customerOf(deps.db, actor, userId);
  if (!can(actor, 'tickets.work')) throw new AppError('forbidden', 'Only staff set customer fields');
  const at = deps.clock.now();
  const changed = await deps.db.transaction().execute(async (trx) => {
    let changed = false;
    const fields = (await listFields(trx, actor, 'customer')).filter((f) => f.archivedAt === null);
    const writes = checkPatch(fields, body.fields);
    const before = valuesByEntity(fields, await readValueRows(trx, actor, [userId])).get(userId) ?? {};
    await replaceValues(trx, actor, userId, writes, at);
    const after = valuesByEntity(fields, await readValueRows(trx, actor, [userId])).get(userId) ?? {};
    for (const f of fields) {
      if (JSON.stringify(before[f.key] ?? null) === JSON.stringify(after[f.key] ?? null)) continue;
      changed = true;
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'user.field_changed',
        entityType: 'user',
        entityId: userId,
        data: { key: f.key, from: before[f.key] ?? null, to: after[f.key] ?? null },
      });
    }
    return changed;
  });
  const values = await customerValues(deps.db, actor, userId);
  if (changed) deps.events.publish({ workspaceId: actor.workspaceId, type: 'customer.fields_changed', userId, values });
  return values;
}

/** A ticket's values of every live field, for Parley's own checks (automation conditions). */
export async function ticketFieldValues(db: Db, ws: Scope, ticketId: string): Promise<FieldValues> {
  const [all, rows] = await Promise.all([listFields(db, ws, 'ticket'), readValueRows(db, ws, [ticketId])]);
  return (
    valuesByEntity(
      all.filter((f) => f.archivedAt === null),
      rows,
    ).get(ticketId) ?? {}
  );
}
