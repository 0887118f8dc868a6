import { z } from 'zod';

/**
 * The wire shapes of custom field values, apart from the definitions (custom-fields.ts) so the
 * ticket schemas can carry them without importing what imports tickets.
 */

/** A field's key: a slug, unique per workspace and entity, never changed (`{{ticket.fields.KEY}}`). */
export const FieldKeySchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'Lower-case letters, digits and _, starting with a letter (at most 40)')
  .describe("The field's key, e.g. `root_cause`");

/**
 * A value as stored and shown: text, select and date (`YYYY-MM-DD`) are strings, number a
 * number, checkbox a boolean, multi-select a list of options.
 */
export const FieldValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]);
export type FieldValue = z.infer<typeof FieldValueSchema>;

/** Values by key; a field without a value is absent. */
export const FieldValuesSchema = z
  .record(z.string(), FieldValueSchema)
  .describe('Custom field values by key (fields without a value are left out)')
  .meta({ id: 'FieldValues' });
export type FieldValues = z.infer<typeof FieldValuesSchema>;

/** Values to set by key; `null` clears one. Each is checked against its field's definition. */
export const FieldValuesPatchSchema = z
  .record(FieldKeySchema, FieldValueSchema.nullable())
  .refine((v) => Object.keys(v).length <= 50, 'At most 50 fields at once')
  .describe('Custom field values to set, by key; `null` clears one')
  .meta({ id: 'FieldValuesPatch' });
export type FieldValuesPatch = z.infer<typeof FieldValuesPatchSchema>;

/**
 * One filter on a custom field of tickets, in the query string: `KEY:VALUE` (the value is; for a
 * multi-select, one of the chosen options is; text: contains, ignoring case; checkbox
 * `true`/`false`; date `YYYY-MM-DD`), `KEY:*` (has any value), `KEY:` (has none).
 */
export const FieldFilterSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}:/, 'KEY:VALUE, KEY:* or KEY:')
  .max(300);

export const FieldFiltersSchema = z
  .union([FieldFilterSchema, z.array(FieldFilterSchema).max(10)])
  .describe(
    'Custom fields of the ticket: `fields=root_cause:billing` (repeat for more, all must hold). `KEY:VALUE`: ' +
      'the value is VALUE (multi-select: one of its options is; text: contains it, ignoring case; checkbox ' +
      '`true`/`false`; date `YYYY-MM-DD`); `KEY:*`: has a value; `KEY:`: has none',
  );
export type FieldFilters = z.infer<typeof FieldFiltersSchema>;

export interface ParsedFieldFilter {
  key: string;
  /** `value`: equals (contains, for text); `any`: has a value; `none`: has none. */
  match: 'value' | 'any' | 'none';
  value: string;
}

/** The filters of a query, one list whether one or several were given. */
export function parseFieldFilters(filters: FieldFilters | undefined): ParsedFieldFilter[] {
  if (filters === undefined) return [];
  return (typeof filters === 'string' ? [filters] : filters).map((f) => {
    const at = f.indexOf(':');
    const key = f.slice(0, at);
    const value = f.slice(at + 1);
    return { key, value, match: value === '' ? 'none' : value === '*' ? 'any' : 'value' };
  });
}

/** Sort by a custom field of tickets: `KEY` ascending, `-KEY` descending; no value sorts last. */
export const FieldSortSchema = z
  .string()
  .regex(/^-?[a-z][a-z0-9_]{0,39}$/, '`KEY` or `-KEY`')
  .describe(
    'Sort by a custom field first (`KEY` ascending, `-KEY` descending; tickets without a value last), ' +
      'then by `sort`',
  );
