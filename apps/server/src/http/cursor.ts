import { isPlainText } from '@parley/protocol';
import { AppError } from './app-error';

export type CursorKey = Array<string | number>;

/**
 * Keyset pagination cursors: the sort key of the last row of a page, opaque to clients.
 * Rows inserted meanwhile never shift a later page, unlike OFFSET.
 */
export const encodeCursor = (key: CursorKey): string => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string, shape: ReadonlyArray<'string' | 'number'>): CursorKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === shape.length && key.every((v, i) => isKeyPart(v, shape[i]!))) {
      return key as CursorKey;
    }
  } catch {
    // fall through to the same answer as a well-formed but foreign cursor
  }
  throw new AppError('validation_failed', 'Invalid cursor', {
    fields: [{ in: 'querystring', path: 'cursor', message: 'Not a cursor from this list' }],
  });
}

/**
 * Only what the server itself puts in a cursor: whole numbers a BIGINT holds exactly (PostgreSQL
 * refuses to compare a BIGINT with 1.5 or 1e300) and text every database can compare (no NUL).
 */
function isKeyPart(value: unknown, type: 'string' | 'number'): boolean {
  return type === 'number' ? Number.isSafeInteger(value) : typeof value === 'string' && isPlainText(value);
}

/** Splits `limit + 1` fetched rows into the page and the next page's cursor. */
export function toPage<Row, Item>(
  rows: Row[],
  limit: number,
  present: (row: Row) => Item,
  keyOf: (row: Row) => CursorKey,
) {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map(present),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null,
  };
}
