import { parseFieldFilters, type FieldFilters, type ParsedFieldFilter } from '@parley/protocol';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { isStaff, type Actor } from '../auth/actor';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { containsText } from '../db/text-match';
import { AppError } from '../http/app-error';
import { listFields, type FieldRecord } from './field-repository';

/**
 * Filtering and sorting tickets by custom fields (`fields=KEY:VALUE`, `sortField=KEY|-KEY`).
 * The filter is plain SQL over the filter's text (the field is found by key in the query), so
 * anything holding a `TicketCountsQuery` (saved views) filters the same without a look-up.
 */

type TicketsEb = ExpressionBuilder<Database, 'tickets'>;

/** One field filter as a condition on `tickets`: a value row of the (live) field with that key matches. */
export function fieldFilterCondition(eb: TicketsEb, filter: ParsedFieldFilter): Expression<SqlBool> {
  let values = eb
    .selectFrom('customFieldValues as cfv')
    .innerJoin('customFields as cf', (join) =>
      join.onRef('cf.id', '=', 'cfv.fieldId').onRef('cf.workspaceId', '=', 'cfv.workspaceId'),
    )
    .select('cfv.entityId')
    .whereRef('cfv.workspaceId', '=', 'tickets.workspaceId')
    .whereRef('cfv.entityId', '=', 'tickets.id')
    .where('cf.entity', '=', 'ticket')
    .where('cf.key', '=', filter.key)
    .where('cf.archivedAt', 'is', null);
  if (filter.match === 'value') {
    const v = filter.value;
    const number = Number(v);
    values = values.where((w) =>
      w.or([
        w.and([w('cf.type', '=', 'text'), containsText('cfv.textValue', v)]),
        w.and([w('cf.type', 'in', ['select', 'multi_select', 'date']), w('cfv.textValue', '=', v)]),
        ...(v.trim() !== '' && Number.isFinite(number)
          ? [w.and([w('cf.type', '=', 'number'), w('cfv.numberValue', '=', number)])]
          : []),
        ...(v === 'true' || v === 'false'
          ? [w.and([w('cf.type', '=', 'checkbox'), w('cfv.numberValue', '=', v === 'true' ? 1 : 0)])]
          : []),
      ]),
    );
  }
  return filter.match === 'none' ? eb.not(eb.exists(values)) : eb.exists(values);
}

/** Every field filter of a query, as conditions (all must hold). */
export const fieldFilterConditions = (eb: TicketsEb, filters: FieldFilters | undefined): Expression<SqlBool>[] =>
  parseFieldFilters(filters).map((f) => fieldFilterCondition(eb, f));

/** A sort by a field's value: which column, which way; no value sorts last either way. */
export interface FieldSort {
  field: FieldRecord;
  direction: 'asc' | 'desc';
  column: 'textValue' | 'numberValue';
}

/**
 * Checks the field filters and sort of a query name fields the reader may see (customers:
 * visible ones): an unknown or internal key is a 400 naming it, so a customer cannot probe
 * internal values by filtering. Answers the sort, if any.
 */
export async function checkFieldQuery(
  db: Db,
  actor: Actor,
  query: { fields?: FieldFilters | undefined; sortField?: string | undefined },
): Promise<FieldSort | null> {
  const filters = parseFieldFilters(query.fields);
  if (filters.length === 0 && !query.sortField) return null;
  const fields = (await listFields(db, actor, 'ticket')).filter(
    (f) => f.archivedAt === null && (isStaff(actor) || f.visibleToCustomers),
  );
  const byKey = new Map(fields.map((f) => [f.key, f]));
  for (const filter of filters) {
    if (!byKey.has(filter.key)) throw unknownField('fields', filter.key);
  }
  if (!query.sortField) return null;
  const desc = query.sortField.startsWith('-');
  const key = desc ? query.sortField.slice(1) : query.sortField;
  const field = byKey.get(key);
  if (!field) throw unknownField('sortField', key);
  return {
    field,
    direction: desc ? 'desc' : 'asc',
    column: field.type === 'number' || field.type === 'checkbox' ? 'numberValue' : 'textValue',
  };
}

const unknownField = (path: string, key: string) =>
  new AppError('validation_failed', `No ticket field ${key}`, {
    fields: [{ in: 'querystring', path, reason: 'invalid', message: `No ticket field with the key ${key}` }],
  });
