import type { Db } from '../db/connect';
import type { Scope } from './actor';
import type { RefreshTokenRow } from '../db/schema';

export const insertRefreshToken = (db: Db, row: RefreshTokenRow) =>
  db.insertInto('refreshTokens').values(row).execute();

export const findRefreshTokenByHash = (db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> =>
  db.selectFrom('refreshTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();

/** Marks a live token used. False when it was not live: someone else used it first. */
export async function markRefreshTokenRotated(db: Db, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('refreshTokens')
    .set({ rotatedAt: at })
    .where('id', '=', id)
    .where('rotatedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export const revokeRefreshTokenFamily = (db: Db, familyId: string, at: number) =>
  db
    .updateTable('refreshTokens')
    .set({ revokedAt: at })
    .where('familyId', '=', familyId)
    .where('revokedAt', 'is', null)
    .execute();

/** Ends every session of the user in this workspace (their sessions elsewhere go on). */
export const revokeRefreshTokensOfUser = (db: Db, ws: Scope, userId: string, at: number) =>
  db
    .updateTable('refreshTokens')
    .set({ revokedAt: at })
    .where('userId', '=', userId)
    .where('workspaceId', '=', ws.workspaceId)
    .where('revokedAt', 'is', null)
    .execute();

/** The workspace the user signed in to most recently, among those where they are an active member. */
export async function lastSignedInWorkspace(db: Db, userId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('refreshTokens')
    .innerJoin('workspaceMembers as wm', (join) =>
      join.onRef('wm.workspaceId', '=', 'refreshTokens.workspaceId').onRef('wm.userId', '=', 'refreshTokens.userId'),
    )
    .select('refreshTokens.workspaceId')
    .where('refreshTokens.userId', '=', userId)
    .where('wm.deactivatedAt', 'is', null)
    .orderBy('refreshTokens.createdAt', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.workspaceId;
}
