import { sql, type RawBuilder } from 'kysely';

/** LIKE pattern for a literal substring; `!` escapes, since `\` means different things per dialect. */
export const containsPattern = (text: string) => `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;

/**
 * `column` contains `text`, ignoring case, on every dialect. The database lower-cases both
 * sides with the same function, so a text always finds itself even where its case rules differ
 * from JavaScript's (PostgreSQL and MariaDB lower "İ" to "i", JavaScript to "i" + U+0307).
 */
export const containsText = (column: string, text: string): RawBuilder<boolean> =>
  sql<boolean>`lower(${sql.ref(column)}) like lower(${containsPattern(text)}) escape '!'`;
