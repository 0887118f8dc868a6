import type { FieldIssue, FieldValue, FieldValuesPatch, TicketStatus } from '@parley/protocol';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { listFields, readValueRows, replaceValues, type FieldRecord, type ValueRows } from './field-repository';
import { checkPatch, displayValue, fromRows, sameValue, valuesByEntity } from './field-values';

/**
 * What the ticket service asks of custom fields: the changes a `fields` patch makes (planned
 * before the transaction), writing them, and the required-for-status check, which runs inside
 * the ticket update's transaction after the writes, so "close and fill the root cause" is one
 * change and a close that leaves a required field empty is refused as a whole.
 */

export interface TicketFieldChange {
  field: FieldRecord;
  write: ValueRows;
  from: FieldValue | null;
  to: FieldValue | null;
}

/** The fields a patch changes on the ticket (same values change nothing); staff only. */
export async function planTicketFieldChanges(
  db: Db,
  actor: Actor,
  ticketId: string,
  patch: FieldValuesPatch,
): Promise<TicketFieldChange[]> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Customers give field values only when they open a ticket');
  const fields = (await listFields(db, actor, 'ticket')).filter((f) => f.archivedAt === null);
  const rows = await readValueRows(db, actor, [ticketId]);
  const current = valuesByEntity(fields, rows).get(ticketId) ?? {};
  // A value sent as it is changes nothing, and stays valid even if its option was removed since.
  const changed = Object.fromEntries(
    Object.entries(patch).filter(([key, value]) => !sameValue(current[key], value ?? undefined)),
  );
  const writes = checkPatch(fields, changed);
  const byId = new Map(fields.map((f) => [f.id, f]));
  const changes: TicketFieldChange[] = [];
  for (const write of writes) {
    const field = byId.get(write.fieldId)!;
    const from =
      fromRows(
        field,
        rows.filter((r) => r.fieldId === field.id),
      ) ?? null;
    const to =
      fromRows(
        field,
        write.rows.map((r, item) => ({
          ...r,
          item,
          fieldId: field.id,
          entityId: ticketId,
          workspaceId: actor.workspaceId,
          updatedAt: 0,
        })),
      ) ?? null;
    if (!sameValue(from ?? undefined, to ?? undefined)) changes.push({ field, write, from, to });
  }
  return changes;
}

/** The values a new ticket starts with: the fields the opener may fill (customers: visible ones). */
export async function checkNewTicketFields(db: Db, actor: Actor, patch: FieldValuesPatch | undefined) {
  const fields = (await listFields(db, actor, 'ticket')).filter(
    (f) => f.archivedAt === null && (isStaff(actor) || f.visibleToCustomers),
  );
  const writes = checkPatch(fields, patch ?? {});
  const given = new Set(writes.filter((w) => w.rows.length > 0).map((w) => w.fieldId));
  const missing = fields.filter((f) => f.requiredFor.includes('open') && !given.has(f.id));
  if (missing.length > 0) throw requiredError(missing, 'open');
  return { fields, writes };
}

export const writeTicketFields = (trx: Db, ws: Scope, ticketId: string, writes: readonly ValueRows[], at: number) =>
  writes.length === 0 ? Promise.resolve() : replaceValues(trx, ws, ticketId, writes, at);

/** Refuses (`validation_failed`, reason `required`, path `fields.KEY`) a status whose required fields are empty. */
export async function checkRequiredFields(trx: Db, ws: Scope, ticketId: string, status: TicketStatus): Promise<void> {
  const required = (await listFields(trx, ws, 'ticket')).filter(
    (f) => f.archivedAt === null && f.requiredFor.includes(status),
  );
  if (required.length === 0) return;
  const values = valuesByEntity(required, await readValueRows(trx, ws, [ticketId])).get(ticketId) ?? {};
  const missing = required.filter((f) => values[f.key] === undefined);
  if (missing.length > 0) throw requiredError(missing, status);
}

function requiredError(missing: readonly FieldRecord[], status: TicketStatus): AppError {
  const fields: FieldIssue[] = missing.map((f) => ({
    in: 'body',
    path: `fields.${f.key}`,
    reason: 'required',
    message: `${f.name} is required for ${status}`,
  }));
  return new AppError('validation_failed', `Fill ${missing.map((f) => f.name).join(', ')} first`, { fields });
}

/** The value as the system line shows it (null: cleared). */
export const shownValue = (field: FieldRecord, value: FieldValue | null): string | null =>
  value === null ? null : displayValue(field, value);
