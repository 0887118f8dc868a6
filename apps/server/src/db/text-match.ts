import { sql, type RawBuilder } from 'kysely';

/** LIKE pattern for a literal substring; `!` escapes, since `\` means different things per dialect. */
export const containsPattern = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** `column` contains `text`, ignoring case, on every dialect. */
export const containsText = (column: string, text: string): RawBuilder<boolean> =>
  sql<boolean>`lower(${sql.ref(column)}) like ${containsPattern(text)} escape '!'`;
