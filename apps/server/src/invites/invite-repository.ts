import crypto from 'node:crypto';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { InviteRow } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';

/** Invite tokens are 256 random bits: a fast unsalted hash is enough to make a leaked table useless. */
export const newInviteToken = (): string => crypto.randomBytes(32).toString('base64url');
export const hashInviteToken = (token: string): string => crypto.createHash('sha256').update(token).digest('hex');

export async function insertInvite(db: Db, row: Omit<InviteRow, 'uses'>): Promise<void> {
  await db.insertInto('invites').values(row).execute();
}

/** A workspace's invites with their role's name, newest first. */
export const selectInvites = (db: Db, ws: Scope) =>
  db
    .selectFrom('invites')
    .innerJoin('roles', 'roles.id', 'invites.roleId')
    .where('invites.workspaceId', '=', ws.workspaceId)
    .where('roles.workspaceId', '=', ws.workspaceId)
    .selectAll('invites')
    .select('roles.name as roleName')
    .orderBy('invites.createdAt', 'desc')
    .orderBy('invites.id', 'desc');

export type InviteWithRole = InviteRow & { roleName: string };

/**
 * The invite a token names, in whichever workspace it is: the token is the secret, so it is
 * found by its hash alone (as refresh tokens are), before anyone is signed in there.
 */
export const findInviteByToken = (db: Db, token: string): Promise<InviteRow | undefined> =>
  acrossWorkspaces(db)
    .selectFrom('invites')
    .selectAll()
    .where('tokenHash', '=', hashInviteToken(token))
    .executeTakeFirst();

/**
 * Takes one use of the invite if it is still good at `now`: one conditional UPDATE, so of many
 * concurrent uses of a three-use invite exactly three win. Call it in the transaction that
 * creates the membership, so a use that fails later is given back by the rollback.
 */
export async function takeInviteUse(db: Db, invite: Scope & { id: string }, now: number): Promise<boolean> {
  const result = await db
    .updateTable('invites')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', invite.id)
    .where('workspaceId', '=', invite.workspaceId)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', now)
    .where((eb) => eb.or([eb('maxUses', 'is', null), eb('uses', '<', eb.ref('maxUses'))]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Whether the invite could be used at `now` (a read: `takeInviteUse` decides for real). */
export const isUsable = (invite: InviteRow, now: number): boolean =>
  invite.revokedAt === null && invite.expiresAt > now && (invite.maxUses === null || invite.uses < invite.maxUses);
