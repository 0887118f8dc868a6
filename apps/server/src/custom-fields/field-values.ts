import {
  isPlainText,
  MAX_FIELD_NUMBER,
  MAX_FIELD_TEXT,
  type FieldIssue,
  type FieldValue,
  type FieldValues,
  type FieldValuesPatch,
} from '@parley/protocol';
import type { CustomFieldValueRow } from '../db/schema';
import { AppError } from '../http/app-error';
import type { FieldRecord, ValueRows } from './field-repository';

/**
 * Values as the definitions allow them: the checks every write goes through, and the
 * conversions between wire values and the typed value rows (field-repository.ts).
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const isDate = (text: string): boolean => {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
};

const oneLine = (text: string) => isPlainText(text) && !/\p{Cc}/u.test(text.replace(/\n/g, ''));

/** Why a value does not fit its field (null: it fits), with a word for developers. */
function whyInvalid(field: FieldRecord, value: FieldValue): string | null {
  switch (field.type) {
    case 'text':
      if (typeof value !== 'string') return 'Expected text';
      if (value.trim().length > MAX_FIELD_TEXT) return `At most ${MAX_FIELD_TEXT} characters`;
      return oneLine(value) ? null : 'Text without control characters';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= MAX_FIELD_NUMBER
        ? null
        : `A number between -${MAX_FIELD_NUMBER} and ${MAX_FIELD_NUMBER}`;
    case 'select':
      return typeof value === 'string' && field.options.includes(value) ? null : "One of the field's options";
    case 'multi_select':
      return Array.isArray(value) && value.every((v) => field.options.includes(v))
        ? null
        : "A list of the field's options";
    case 'date':
      return typeof value === 'string' && isDate(value) ? null : 'A date, YYYY-MM-DD';
    case 'checkbox':
      return typeof value === 'boolean' ? null : 'true or false';
  }
}

/** A value's rows; none when it is blank (clears the field). */
export function toRows(field: FieldRecord, value: FieldValue | null): ValueRows['rows'] {
  if (value === null) return [];
  switch (field.type) {
    case 'text': {
      const text = (value as string).trim();
      return text === '' ? [] : [{ textValue: text, numberValue: null }];
    }
    case 'select':
    case 'date':
      return [{ textValue: value as string, numberValue: null }];
    case 'multi_select':
      return [...new Set(value as string[])].map((v) => ({ textValue: v, numberValue: null }));
    case 'number':
      return [{ textValue: null, numberValue: value as number }];
    case 'checkbox':
      return [{ textValue: null, numberValue: value ? 1 : 0 }];
  }
}

/** A field's value from its rows (in item order); undefined when it has none. */
export function fromRows(field: FieldRecord, rows: readonly CustomFieldValueRow[]): FieldValue | undefined {
  if (rows.length === 0) return undefined;
  const first = rows[0]!;
  switch (field.type) {
    case 'text':
    case 'select':
    case 'date':
      return first.textValue ?? undefined;
    case 'multi_select':
      return rows.map((r) => r.textValue!);
    case 'number':
      return first.numberValue ?? undefined;
    case 'checkbox':
      return first.numberValue === 1;
  }
}

/** Whether a stored value names an option the field no longer offers. */
export function isOrphaned(field: FieldRecord, value: FieldValue | undefined): boolean {
  if (value === undefined) return false;
  if (field.type === 'select') return !field.options.includes(value as string);
  if (field.type === 'multi_select') return (value as string[]).some((v) => !field.options.includes(v));
  return false;
}

/** A value as one line of text, for placeholders and panels. */
export function displayValue(field: FieldRecord, value: FieldValue): string {
  if (field.type === 'checkbox') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/**
 * The rows each field of `patch` gets, after checking every key names a field the writer may
 * set (`writable`) and every value fits; all problems in one `validation_failed`, each field
 * named as `fields.KEY`.
 */
export function checkPatch(writable: readonly FieldRecord[], patch: FieldValuesPatch): ValueRows[] {
  const byKey = new Map(writable.map((f) => [f.key, f]));
  const issues: FieldIssue[] = [];
  const out: ValueRows[] = [];
  for (const [key, value] of Object.entries(patch)) {
    const field = byKey.get(key);
    if (!field) {
      issues.push({ in: 'body', path: `fields.${key}`, reason: 'invalid', message: 'No such field' });
      continue;
    }
    const why = value === null ? null : whyInvalid(field, value);
    if (why) issues.push({ in: 'body', path: `fields.${key}`, reason: 'invalid', message: why });
    else out.push({ fieldId: field.id, rows: toRows(field, value) });
  }
  if (issues.length > 0) throw new AppError('validation_failed', 'Some field values do not fit', { fields: issues });
  return out;
}

/** The values of each entity by key, from its rows; only the fields given (the reader's). */
export function valuesByEntity(
  fields: readonly FieldRecord[],
  rows: readonly CustomFieldValueRow[],
): Map<string, FieldValues> {
  const fieldById = new Map(fields.map((f) => [f.id, f]));
  const grouped = new Map<string, Map<string, CustomFieldValueRow[]>>();
  for (const row of rows) {
    if (!fieldById.has(row.fieldId)) continue;
    const ofEntity = grouped.get(row.entityId) ?? new Map<string, CustomFieldValueRow[]>();
    grouped.set(row.entityId, ofEntity);
    ofEntity.set(row.fieldId, [...(ofEntity.get(row.fieldId) ?? []), row]);
  }
  const out = new Map<string, FieldValues>();
  for (const [entityId, byField] of grouped) {
    const values: FieldValues = {};
    for (const field of fields) {
      const value = fromRows(field, byField.get(field.id) ?? []);
      if (value !== undefined) values[field.key] = value;
    }
    out.set(entityId, values);
  }
  return out;
}

/** Two values the same (a multi-select regardless of order). */
export function sameValue(a: FieldValue | undefined, b: FieldValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && [...a].sort().join('\0') === [...b].sort().join('\0');
  return a === b;
}
