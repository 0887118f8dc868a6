import type { Db } from '../db/connect';
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

export const revokeRefreshTokensOfUser = (db: Db, userId: string, at: number) =>
  db
    .updateTable('refreshTokens')
    .set({ revokedAt: at })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .execute();
