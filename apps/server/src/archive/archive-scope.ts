import { sql, type RawBuilder } from 'kysely';
import type { CatalogTable } from './table-catalog';

/**
 * Rows no archive carries: people's copies of their own data (data-exports/), whose zips live
 * outside the uploads for a week. The archive holds what they were copied from.
 */
const TRANSIENT = new Set(['data_exports']);

/** What an export takes: the whole installation, or one workspace (to move it to an installation of its own). */
export type ArchiveScope = { installation: true } | { workspace: { id: string; slug: string } };

/**
 * The rows of `table` a workspace's export takes, as a condition (null: every row). Its own rows
 * and the workspace itself; the accounts of its members and of anyone its rows refer to (a
 * former member's messages keep their author); the jobs whose payload names it (a snoozed
 * ticket's wake-up, an SLA timer, a webhook delivery). Not the installation's own: operators,
 * the first-admin claim.
 */
export function rowsInScope(
  table: CatalogTable,
  catalog: readonly CatalogTable[],
  scope: ArchiveScope,
): RawBuilder<unknown> | null {
  if (TRANSIENT.has(table.name)) return sql`1 = 0`;
  if ('installation' in scope) return null;
  const id = scope.workspace.id;
  if (table.columns.includes('workspace_id')) return sql`workspace_id = ${id}`;
  switch (table.name) {
    case 'workspaces':
      return sql`id = ${id}`;
    case 'users': {
      const referring = catalog.flatMap((t) =>
        t.columns.includes('workspace_id')
          ? t.references
              .filter((r) => r.parent === 'users')
              .map((r) => sql`id IN (SELECT ${sql.ref(r.column)} FROM ${sql.table(t.name)} WHERE workspace_id = ${id})`)
          : [],
      );
      return sql`(${sql.join(referring, sql` OR `)})`;
    }
    case 'jobs':
      return sql`payload LIKE ${`%"${id}"%`}`;
    default:
      return sql`1 = 0`;
  }
}

/** Where each upload area's files are named: by a key column (the file names start with the key). */
export const UPLOAD_AREAS: Record<string, { table: string; column: string }> = {
  avatars: { table: 'users', column: 'avatar_key' },
  'workspace-logos': { table: 'workspaces', column: 'logo_key' },
  attachments: { table: 'attachments', column: 'storage_key' },
};

/** Storage keys are 32 hex digits; renditions add a suffix (`-64.webp`, `.thumb.webp`). */
export const storageKeyOf = (fileName: string) => fileName.slice(0, 32);
