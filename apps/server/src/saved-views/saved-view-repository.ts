import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { SavedViewsTable } from '../db/schema';

export type SavedViewRow = SavedViewsTable;

const views = (db: Db, ws: Scope) => db.selectFrom('savedViews').where('workspaceId', '=', ws.workspaceId);

/** The workspace's shared views and the reader's personal ones, by position. */
export async function listViewsOf(db: Db, ws: Scope, userId: string): Promise<SavedViewRow[]> {
  const rows = await views(db, ws)
    .selectAll()
    .where((eb) => eb.or([eb('scope', '=', 'shared'), eb('ownerId', '=', userId)]))
    .orderBy('position')
    .orderBy('id')
    .execute();
  return rows.map(normalized);
}

/** One view the reader may see (shared, or their own); undefined otherwise. */
export async function findViewOf(db: Db, ws: Scope, userId: string, id: string): Promise<SavedViewRow | undefined> {
  const row = await views(db, ws)
    .selectAll()
    .where('id', '=', id)
    .where((eb) => eb.or([eb('scope', '=', 'shared'), eb('ownerId', '=', userId)]))
    .executeTakeFirst();
  return row && normalized(row);
}

/** After the last view of the workspace. */
export async function nextViewPosition(db: Db, ws: Scope): Promise<number> {
  const row = await views(db, ws)
    .select((eb) => eb.fn.max<number>('position').as('last'))
    .executeTakeFirst();
  return row?.last == null ? 0 : Number(row.last) + 1;
}

export async function insertView(db: Db, row: SavedViewRow): Promise<void> {
  await db.insertInto('savedViews').values(row).execute();
}

export async function updateView(db: Db, ws: Scope, row: SavedViewRow): Promise<void> {
  await db
    .updateTable('savedViews')
    .set({
      ownerId: row.ownerId,
      scope: row.scope,
      name: row.name,
      filter: row.filter,
      sort: row.sort,
      sortField: row.sortField,
      position: row.position,
      updatedAt: row.updatedAt,
    })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', row.id)
    .execute();
}

export async function deleteView(db: Db, ws: Scope, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('savedViews')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** MariaDB and PostgreSQL answer bigints as strings. */
const normalized = (row: SavedViewRow): SavedViewRow => ({
  ...row,
  position: Number(row.position),
  createdAt: Number(row.createdAt),
  updatedAt: Number(row.updatedAt),
});
