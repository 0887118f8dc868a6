import type { MyWorkspace } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import type { Db } from '../db/connect';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import { unreadCountsByWorkspace } from '../notifications/notification-repository';
import { roleShownSql } from './member-repository';
import { presentWorkspace } from './workspace-repository';

/**
 * The workspaces the signed-in person is an active member of, with their role and unread count
 * in each: the switcher. Their own memberships, so it reads across workspaces by design; nothing
 * of a workspace they are not in shows.
 */
export async function listMyWorkspaces(db: Db, actor: Actor): Promise<MyWorkspace[]> {
  const [rows, unread] = await Promise.all([
    acrossWorkspaces(db)
      .selectFrom('workspaceMembers as wm')
      .innerJoin('workspaces', 'workspaces.id', 'wm.workspaceId')
      .innerJoin('roles', 'roles.id', 'wm.roleId')
      .selectAll('workspaces')
      .select(roleShownSql().as('role'))
      .where('wm.userId', '=', actor.id)
      .where('wm.deactivatedAt', 'is', null)
      .where('workspaces.suspendedAt', 'is', null)
      .orderBy('workspaces.name')
      .orderBy('workspaces.id')
      .execute(),
    unreadCountsByWorkspace(db, actor.id),
  ]);
  return rows.map(({ role, ...workspace }) => ({
    workspace: presentWorkspace(workspace),
    role,
    current: workspace.id === actor.workspaceId,
    unreadCount: unread.get(workspace.id) ?? 0,
  }));
}
