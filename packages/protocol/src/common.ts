import { z } from 'zod';

/** Every id on the wire is a ULID string, whatever the database. */
export const IdSchema = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'Expected a ULID id');
export type Id = z.infer<typeof IdSchema>;

/** ISO-8601 UTC timestamp, e.g. `2026-11-25T12:00:00.000Z`. */
export const TimestampSchema = z.iso.datetime();

export const RoleSchema = z.enum(['admin', 'agent', 'customer']);
export type Role = z.infer<typeof RoleSchema>;
