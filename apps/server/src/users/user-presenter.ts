import type { Me, PublicUser } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso } from '../clock';
import type { WorkspaceRow } from '../db/schema';
import type { MemberRow } from '../workspaces/member-repository';
import { presentWorkspace } from '../workspaces/workspace-repository';

export const avatarUrl = (avatarKey: string | null): string | null => (avatarKey ? `/avatars/${avatarKey}` : null);

export function presentMe(user: MemberRow, actor: Actor, workspace: WorkspaceRow): Me {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    roleId: user.roleId,
    roleName: user.roleName,
    permissions: [...actor.permissions].sort(),
    workspace: presentWorkspace(workspace),
    avatarUrl: avatarUrl(user.avatarKey),
    statusText: user.statusText,
    awaySince: user.awaySince === null ? null : toIso(user.awaySince),
    locale: user.locale,
    emailVerified: user.emailVerifiedAt !== null,
    createdAt: toIso(user.createdAt),
  };
}

export function presentPublicUser(user: MemberRow): PublicUser {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    roleId: user.roleId,
    roleName: user.roleName,
    avatarUrl: avatarUrl(user.avatarKey),
    statusText: user.statusText,
    bot: Number(user.bot) === 1,
  };
}
