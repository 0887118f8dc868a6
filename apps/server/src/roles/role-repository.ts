import { PermissionSchema, type Permission, type WorkspaceRole } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { UserRole } from '../db/schema';

/** A role of one workspace, with what it may do. */
export interface RoleRecord {
  id: string;
  name: string;
  builtIn: UserRole | null;
  permissions: Permission[];
}

/** Built-in roles first, in this order; the workspace's own follow by name. */
const BUILT_IN_ORDER: Record<UserRole, number> = { admin: 0, agent: 1, customer: 2 };

/** Role names are unique per workspace without regard to case. */
export const roleNameKey = (name: string): string => name.toLowerCase();

/** Permissions as stored; a name a newer release wrote and this one does not know is left out. */
const known = (names: string[]): Permission[] =>
  names.flatMap((name) => {
    const parsed = PermissionSchema.safeParse(name);
    return parsed.success ? [parsed.data] : [];
  });

/** Every role of the workspace with its permissions and how many members have it, in list order. */
export async function listRoles(db: Db, ws: Scope): Promise<WorkspaceRole[]> {
  const [roles, permissions, counts] = await Promise.all([
    db
      .selectFrom('roles')
      .select(['id', 'name', 'nameKey', 'builtIn'])
      .where('workspaceId', '=', ws.workspaceId)
      .execute(),
    db
      .selectFrom('rolePermissions')
      .select(['roleId', 'permission'])
      .where('workspaceId', '=', ws.workspaceId)
      .execute(),
    db
      .selectFrom('workspaceMembers')
      .select((eb) => ['roleId', eb.fn.countAll<number | string>().as('count')])
      .where('workspaceId', '=', ws.workspaceId)
      .groupBy('roleId')
      .execute(),
  ]);
  const byRole = new Map<string, string[]>();
  for (const { roleId, permission } of permissions) byRole.set(roleId, [...(byRole.get(roleId) ?? []), permission]);
  const memberCounts = new Map(counts.map((c) => [c.roleId, Number(c.count)]));
  return roles
    .sort(
      (a, b) =>
        (a.builtIn ? BUILT_IN_ORDER[a.builtIn] : 3) - (b.builtIn ? BUILT_IN_ORDER[b.builtIn] : 3) ||
        a.nameKey.localeCompare(b.nameKey) ||
        a.id.localeCompare(b.id),
    )
    .map((role) => ({
      id: role.id,
      name: role.name,
      builtIn: role.builtIn,
      permissions: known(byRole.get(role.id) ?? []).sort(),
      memberCount: memberCounts.get(role.id) ?? 0,
    }));
}

/** A role of the workspace; another workspace's role id finds nothing, like an unknown one. */
export async function findRole(db: Db, ws: Scope, id: string): Promise<RoleRecord | undefined> {
  const role = await db
    .selectFrom('roles')
    .select(['id', 'name', 'builtIn'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!role) return undefined;
  const rows = await db
    .selectFrom('rolePermissions')
    .select('permission')
    .where('workspaceId', '=', ws.workspaceId)
    .where('roleId', '=', id)
    .execute();
  return { ...role, permissions: known(rows.map((r) => r.permission)).sort() };
}

/** The members (deactivated ones included) who have the role. */
export async function memberIdsOfRole(db: Db, ws: Scope, roleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('workspaceMembers')
    .select('userId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('roleId', '=', roleId)
    .execute();
  return rows.map((r) => r.userId);
}

export async function insertRole(
  db: Db,
  ws: Scope,
  role: { id: string; name: string; permissions: Permission[] },
  at: number,
): Promise<void> {
  await db
    .insertInto('roles')
    .values({
      id: role.id,
      workspaceId: ws.workspaceId,
      builtIn: null,
      name: role.name,
      nameKey: roleNameKey(role.name),
      createdAt: at,
      updatedAt: at,
    })
    .execute();
  await insertPermissions(db, ws, role.id, role.permissions);
}

export async function renameRole(db: Db, ws: Scope, id: string, name: string, at: number): Promise<void> {
  await db
    .updateTable('roles')
    .set({ name, nameKey: roleNameKey(name), updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Replaces the role's permissions with `permissions`. */
export async function setRolePermissions(
  db: Db,
  ws: Scope,
  id: string,
  permissions: Permission[],
  at: number,
): Promise<void> {
  await db.deleteFrom('rolePermissions').where('workspaceId', '=', ws.workspaceId).where('roleId', '=', id).execute();
  await insertPermissions(db, ws, id, permissions);
  await db
    .updateTable('roles')
    .set({ updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** Deletes the role (a member still having it makes the database refuse: see the service). */
export async function deleteRoleRow(db: Db, ws: Scope, id: string): Promise<void> {
  await db.deleteFrom('rolePermissions').where('workspaceId', '=', ws.workspaceId).where('roleId', '=', id).execute();
  await db.deleteFrom('roles').where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();
}

async function insertPermissions(db: Db, ws: Scope, roleId: string, permissions: Permission[]): Promise<void> {
  if (permissions.length === 0) return;
  await db
    .insertInto('rolePermissions')
    .values(permissions.map((permission) => ({ workspaceId: ws.workspaceId, roleId, permission })))
    .execute();
}

/** Takes the role's members out of every team of the workspace (a role that no longer works tickets). */
export async function removeRoleMembersFromTeams(db: Db, ws: Scope, roleId: string): Promise<void> {
  await db
    .deleteFrom('teamMembers')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', 'in', (eb) =>
      eb
        .selectFrom('workspaceMembers as wm')
        .select('wm.userId')
        .where('wm.workspaceId', '=', ws.workspaceId)
        .where('wm.roleId', '=', roleId),
    )
    .execute();
}
