import type { Permission, Role, Workspace } from '@parley/protocol';
import { PERMISSIONS } from '@parley/protocol/constants';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { WorkspaceRow } from '../db/schema';
import { newId } from '../ids';

/** What each built-in role may do in a new workspace (the roles table is the truth afterwards). */
export const BUILT_IN_PERMISSIONS: Record<Role, Permission[]> = {
  admin: [...PERMISSIONS],
  agent: ['tickets.work', 'tickets.priority', 'notes.write'],
  customer: [],
};

const BUILT_IN_NAMES: Record<Role, string> = { admin: 'Admin', agent: 'Agent', customer: 'Customer' };

// The workspaces table is the tenant itself: looked up by id or slug, never by another workspace.
export const findWorkspace = (db: Db, id: string): Promise<WorkspaceRow | undefined> =>
  db.selectFrom('workspaces').selectAll().where('id', '=', id).executeTakeFirst();

export const findWorkspaceBySlug = (db: Db, slug: string): Promise<WorkspaceRow | undefined> =>
  db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst();

/** The installation's first workspace: where registration without a named workspace goes. */
export const findDefaultWorkspace = (db: Db): Promise<WorkspaceRow | undefined> =>
  db.selectFrom('workspaces').selectAll().orderBy('createdAt').orderBy('id').limit(1).executeTakeFirst();

/** A new workspace with its three built-in roles. */
export async function insertWorkspace(
  db: Db,
  input: { slug: string; name: string; openSignup: boolean },
  at: number,
): Promise<WorkspaceRow> {
  const row: WorkspaceRow = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    accentColor: null,
    logoKey: null,
    openSignup: input.openSignup ? 1 : 0,
    createdAt: at,
    updatedAt: at,
    suspendedAt: null,
  };
  await db.insertInto('workspaces').values(row).execute();
  for (const role of ['admin', 'agent', 'customer'] as const) {
    const id = newId();
    const name = BUILT_IN_NAMES[role];
    await db
      .insertInto('roles')
      .values({
        id,
        workspaceId: row.id,
        builtIn: role,
        name,
        nameKey: name.toLowerCase(),
        createdAt: at,
        updatedAt: at,
      })
      .execute();
    const permissions = BUILT_IN_PERMISSIONS[role].map((permission) => ({
      workspaceId: row.id,
      roleId: id,
      permission,
    }));
    if (permissions.length > 0) await db.insertInto('rolePermissions').values(permissions).execute();
  }
  return row;
}

export async function insertMember(db: Db, ws: Scope, userId: string, roleId: string, at: number): Promise<void> {
  await db
    .insertInto('workspaceMembers')
    .values({ workspaceId: ws.workspaceId, userId, roleId, createdAt: at, updatedAt: at, deactivatedAt: null })
    .execute();
}

export const presentWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  slug: row.slug,
  name: row.name,
  accentColor: row.accentColor,
  logoUrl: row.logoKey ? `/workspace-logos/${row.logoKey}` : null,
});

/** Changes a workspace's own columns; answers the row as it is afterwards (undefined: no such workspace). */
export async function updateWorkspace(
  db: Db,
  id: string,
  changes: Partial<Pick<WorkspaceRow, 'name' | 'accentColor' | 'openSignup' | 'suspendedAt'>>,
  at: number,
): Promise<WorkspaceRow | undefined> {
  await db
    .updateTable('workspaces')
    .set({ ...changes, updatedAt: at })
    .where('id', '=', id)
    .execute();
  return findWorkspace(db, id);
}

/**
 * Sets the workspace's logo key, answering the key it replaced. Compare-and-set, like avatars,
 * so of two concurrent uploads each learns the key it really replaced.
 */
export async function swapWorkspaceLogoKey(
  db: Db,
  id: string,
  next: string | null,
  at: number,
): Promise<string | null> {
  for (;;) {
    const row = await findWorkspace(db, id);
    if (!row) return null;
    const previous = row.logoKey;
    if (previous === next) return null;
    const result = await db
      .updateTable('workspaces')
      .set({ logoKey: next, updatedAt: at })
      .where('id', '=', id)
      .where((eb) => (previous === null ? eb('logoKey', 'is', null) : eb('logoKey', '=', previous)))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return previous;
  }
}
