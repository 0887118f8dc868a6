import {
  CreateInviteBodySchema,
  type CreateInviteBody,
  type CreatedInvite,
  type Invite,
  type InvitePreview,
  type InviteState,
} from '@parley/protocol';
import { recordAudit } from '../audit/audit-service';
import type { Actor, Scope } from '../auth/actor';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { builtInRoleId } from '../workspaces/member-repository';
import { findWorkspace, presentWorkspace } from '../workspaces/workspace-repository';
import {
  findInviteByToken,
  hashInviteToken,
  insertInvite,
  isUsable,
  newInviteToken,
  selectInvites,
  type InviteWithRole,
} from './invite-repository';
import type { InviteRow } from '../db/schema';

/**
 * Invite links: a workspace's way in for people it chose (`people.manage`). A link carries a role
 * and is good until it expires, is used up or revoked; the token is shown once, when made.
 */
export interface InviteDeps {
  db: Db;
  clock: Clock;
}

const iso = (ms: number) => new Date(ms).toISOString();

function stateOf(invite: InviteRow, now: number): InviteState {
  if (invite.revokedAt !== null) return 'revoked';
  if (invite.expiresAt <= now) return 'expired';
  if (invite.maxUses !== null && invite.uses >= invite.maxUses) return 'used_up';
  return 'active';
}

export const presentInvite = (invite: InviteWithRole, now: number): Invite => ({
  id: invite.id,
  role: { id: invite.roleId, name: invite.roleName },
  maxUses: invite.maxUses,
  uses: invite.uses,
  usesLeft: invite.maxUses === null ? null : Math.max(0, invite.maxUses - invite.uses),
  state: stateOf(invite, now),
  expiresAt: iso(invite.expiresAt),
  createdBy: invite.createdBy,
  createdAt: iso(invite.createdAt),
  revokedAt: invite.revokedAt === null ? null : iso(invite.revokedAt),
});

/**
 * A new invite into `ws` (the actor's workspace, or a new one an operator made: then `createdBy`
 * is the operator, who is no member there). Its row and its audit entry: pass a transaction.
 */
export async function createInvite(
  deps: InviteDeps,
  ws: Scope,
  createdBy: string,
  input: CreateInviteBody,
): Promise<CreatedInvite> {
  const body = CreateInviteBodySchema.parse(input);
  const roleId = body.roleId ?? (await builtInRoleId(deps.db, ws, body.role!));
  const role = await deps.db
    .selectFrom('roles')
    .select(['id', 'name'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', roleId)
    .executeTakeFirst();
  if (!role) throw notFound('Role');
  const now = deps.clock.now();
  const token = newInviteToken();
  const row = {
    id: newId(),
    workspaceId: ws.workspaceId,
    tokenHash: hashInviteToken(token),
    roleId: role.id,
    maxUses: body.maxUses,
    expiresAt: now + body.expiresInHours * 3_600_000,
    createdBy,
    createdAt: now,
    revokedAt: null,
  };
  await insertInvite(deps.db, row);
  await recordAudit(deps.db, ws, now, {
    actorId: createdBy,
    action: 'invite.created',
    entityType: 'invite',
    entityId: row.id,
    data: { roleId: role.id, role: role.name, maxUses: row.maxUses, expiresAt: iso(row.expiresAt) },
  });
  return {
    invite: presentInvite({ ...row, uses: 0, roleName: role.name }, now),
    token,
    path: `/join/${token}`,
  };
}

export async function listInvites(deps: InviteDeps, actor: Actor): Promise<Invite[]> {
  const now = deps.clock.now();
  return (await selectInvites(deps.db, actor).execute()).map((invite) => presentInvite(invite, now));
}

/** Revokes the invite; revoking it again is fine. Another workspace's invite: 404. */
export async function revokeInvite(deps: InviteDeps, actor: Actor, id: string): Promise<void> {
  const found = await deps.db
    .selectFrom('invites')
    .select(['id', 'revokedAt'])
    .where('workspaceId', '=', actor.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!found) throw notFound('Invite');
  if (found.revokedAt !== null) return;
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const revoked = await trx
      .updateTable('invites')
      .set({ revokedAt: now })
      .where('workspaceId', '=', actor.workspaceId)
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (Number(revoked.numUpdatedRows) === 0) return;
    await recordAudit(trx, actor, now, {
      actorId: actor.id,
      action: 'invite.revoked',
      entityType: 'invite',
      entityId: id,
    });
  });
}

/** One answer for every invite that cannot be used, so a token tells nothing but "not usable". */
export const inviteNotUsable = () => new AppError('not_found', 'This invite does not exist or can no longer be used');

/** The usable invite a token names, with its workspace (not suspended); else `inviteNotUsable`. */
export async function usableInvite(deps: InviteDeps, token: string) {
  const invite = await findInviteByToken(deps.db, token);
  if (!invite || !isUsable(invite, deps.clock.now())) throw inviteNotUsable();
  const workspace = await findWorkspace(deps.db, invite.workspaceId);
  if (!workspace || workspace.suspendedAt !== null) throw inviteNotUsable();
  return { invite, workspace };
}

/** What the join page shows: whose workspace, with which role. Public, so nothing more. */
export async function previewInvite(deps: InviteDeps, token: string): Promise<InvitePreview> {
  const { invite, workspace } = await usableInvite(deps, token);
  const role = await deps.db
    .selectFrom('roles')
    .select('name')
    .where('workspaceId', '=', invite.workspaceId)
    .where('id', '=', invite.roleId)
    .executeTakeFirst();
  if (!role) throw inviteNotUsable();
  const { name, logoUrl, accentColor } = presentWorkspace(workspace);
  return { workspace: { name, logoUrl, accentColor }, role: { name: role.name } };
}
