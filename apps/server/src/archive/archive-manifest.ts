import { z } from 'zod';

/**
 * An archive is a zip: `tables/<table>.ndjson` (one JSON object per row, the database's own
 * column names), `files/<area>/<name>` (the uploads, as stored under `DATA_DIR/uploads`) and,
 * last, `manifest.json`, which says what the rest is and how to check it. See
 * docs/backup-and-migration.md.
 */
export const ARCHIVE_FORMAT = 'parley-archive';
export const ARCHIVE_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';

const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/);

export const ArchiveManifestSchema = z.object({
  format: z.literal(ARCHIVE_FORMAT),
  version: z.literal(ARCHIVE_VERSION),
  /** The last migration the source had run: the target must be at the same one. */
  schemaVersion: z.string().min(1),
  createdAt: z.string(),
  source: z.object({ dialect: z.enum(['sqlite', 'mysql', 'postgres']) }),
  /** The whole installation, or one workspace of it (its rows, its people's accounts, its files). */
  scope: z.union([
    z.object({ installation: z.literal(true) }),
    z.object({ workspace: z.object({ id: z.string(), slug: z.string() }) }),
  ]),
  /** In load order: a table's parents come before it. */
  tables: z.array(
    z.object({
      name: z.string().regex(/^[a-z0-9_]+$/),
      entry: z.string(),
      columns: z.array(z.string().regex(/^[a-z0-9_]+$/)),
      key: z.array(z.string()),
      rows: z.number().int().nonnegative(),
      sha256: Sha256Schema,
    }),
  ),
  files: z.array(
    z.object({
      /** Relative to `DATA_DIR/uploads`, `<area>/<name>`: nothing that could climb out of it. */
      path: z.string().regex(/^[a-z0-9-]+\/[A-Za-z0-9_-][A-Za-z0-9._-]*$/),
      bytes: z.number().int().nonnegative(),
      sha256: Sha256Schema,
    }),
  ),
});
export type ArchiveManifest = z.infer<typeof ArchiveManifestSchema>;

export const tableEntry = (table: string) => `tables/${table}.ndjson`;
export const fileEntry = (relative: string) => `files/${relative}`;
