import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';

export interface CurrentAccess {
  roleId: string;
  /** The role's permissions, sorted and joined: equal strings, equal rights. */
  permissions: string;
  active: boolean;
  teamIds: string[];
}

/**
 * Role, permissions, active flag and teams of many members of one workspace in two queries:
 * what the sockets of these users were granted must still hold. A user missing from the map is
 * no (active) member any more.
 */
export async function currentAccessOf(db: Db, ws: Scope, userIds: string[]): Promise<Map<string, CurrentAccess>> {
  if (userIds.length === 0) return new Map();
  const [members, teams] = await Promise.all([
    db
      .selectFrom('workspaceMembers as wm')
      .innerJoin('users', 'users.id', 'wm.userId')
      .innerJoin('workspaces', 'workspaces.id', 'wm.workspaceId')
      .leftJoin('rolePermissions as rp', (join) =>
        join.onRef('rp.roleId', '=', 'wm.roleId').on('rp.workspaceId', '=', ws.workspaceId),
      )
      .select(['wm.userId', 'wm.roleId', 'rp.permission'])
      .select((eb) =>
        eb
          .and([
            eb('wm.deactivatedAt', 'is', null),
            eb('users.deactivatedAt', 'is', null),
            eb('workspaces.suspendedAt', 'is', null),
          ])
          .as('active'),
      )
      .where('wm.workspaceId', '=', ws.workspaceId)
      .where('wm.userId', 'in', userIds)
      .execute(),
    db
      .selectFrom('teamMembers')
      .select(['userId', 'teamId'])
      .where('workspaceId', '=', ws.workspaceId)
      .where('userId', 'in', userIds)
      .execute(),
  ]);
  const permissions = new Map<string, string[]>();
  const access = new Map<string, CurrentAccess>();
  for (const row of members) {
    if (row.permission) permissions.set(row.userId, [...(permissions.get(row.userId) ?? []), row.permission]);
    // EXISTS-style booleans come back as 0/1 on SQLite and MariaDB.
    access.set(row.userId, { roleId: row.roleId, permissions: '', active: Boolean(Number(row.active)), teamIds: [] });
  }
  for (const [userId, entry] of access) entry.permissions = (permissions.get(userId) ?? []).sort().join(' ');
  for (const { userId, teamId } of teams) access.get(userId)?.teamIds.push(teamId);
  return access;
}

/** An actor's permissions in the form `CurrentAccess` compares them. */
export const permissionKey = (permissions: Iterable<string>): string => [...permissions].sort().join(' ');
