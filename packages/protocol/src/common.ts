import { z } from 'zod';

/** Every id on the wire is a ULID string, whatever the database. */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Expected a ULID id');
export type Id = z.infer<typeof IdSchema>;

/** ISO-8601 UTC timestamp, e.g. `2026-11-25T12:00:00.000Z`. */
export const TimestampSchema = z.iso.datetime();

export const RoleSchema = z.enum(['admin', 'agent', 'customer']);
export type Role = z.infer<typeof RoleSchema>;

/**
 * In `u` mode a well-formed surrogate pair is one code point, so only an unpaired half matches.
 * A regex rather than `String.prototype.isWellFormed`, which not every client's engine has.
 */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Text no database of ours keeps as sent: see PlainTextSchema. */
export const isPlainText = (text: string): boolean => !text.includes('\u0000') && !LONE_SURROGATE.test(text);

/**
 * Text a person typed (a subject, a message, a search): any Unicode, kept exactly as sent,
 * except what no database stores faithfully. PostgreSQL refuses NUL in text, and every driver
 * turns an unpaired UTF-16 surrogate into U+FFFD, so such text would fail on one database and
 * come back changed on another. It is refused up front instead, the same everywhere.
 */
export const PlainTextSchema = z
  .string()
  .refine((text) => !text.includes('\u0000'), 'Must not contain the NUL character (U+0000)')
  .refine((text) => !LONE_SURROGATE.test(text), 'Must be well-formed Unicode: no unpaired surrogate (U+D800–U+DFFF)');

/** Embeddings, overrides and isolates: they reorder whatever text is displayed after them. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;

/**
 * Text that names someone or something and is shown inline wherever they appear: display
 * names, status lines, team names. One line, no control characters, and none of the
 * bidirectional controls that make "Sam\u202Eevil" read differently from what it is, here or
 * in the system messages it is spliced into. Right-to-left scripts are of course welcome.
 */
export const NameTextSchema = PlainTextSchema.refine(
  (text) => !/\p{Cc}/u.test(text),
  'Must be one line without control characters',
).refine(
  (text) => !BIDI_CONTROL.test(text),
  'Must not contain bidirectional control characters (U+202A–U+202E, U+2066–U+2069)',
);
