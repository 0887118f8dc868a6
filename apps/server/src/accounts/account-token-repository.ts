import crypto from 'node:crypto';
import type { Db } from '../db/connect';
import type { AccountTokenPurpose, AccountTokenRow } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import { newId } from '../ids';

/** 256 random bits: a fast unsalted hash is enough to make a leaked table useless. */
export const newAccountToken = () => crypto.randomBytes(32).toString('base64url');
export const hashAccountToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/**
 * Stores a new token for the person, voiding every older unused one of the same purpose (in any
 * workspace): only the latest link mailed works.
 */
export async function replaceAccountToken(
  db: Db,
  row: { workspaceId: string; userId: string; purpose: AccountTokenPurpose; token: string; expiresAt: number },
  now: number,
): Promise<void> {
  // A person's tokens span the workspaces they asked from.
  await acrossWorkspaces(db)
    .updateTable('accountTokens')
    .set({ usedAt: now })
    .where('userId', '=', row.userId)
    .where('purpose', '=', row.purpose)
    .where('usedAt', 'is', null)
    .execute();
  await db
    .insertInto('accountTokens')
    .values({
      workspaceId: row.workspaceId,
      id: newId(),
      userId: row.userId,
      purpose: row.purpose,
      tokenHash: hashAccountToken(row.token),
      createdAt: now,
      expiresAt: row.expiresAt,
      usedAt: null,
    })
    .execute();
}

/** The token's row if it is of this purpose, unused and unexpired; it says nothing else. */
export async function findUsableToken(
  db: Db,
  token: string,
  purpose: AccountTokenPurpose,
  now: number,
): Promise<AccountTokenRow | undefined> {
  // Found by its hash, the secret: the workspace is what the row says.
  return acrossWorkspaces(db)
    .selectFrom('accountTokens')
    .selectAll()
    .where('tokenHash', '=', hashAccountToken(token))
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', now)
    .executeTakeFirst();
}

/** Uses the token up; false when someone else used it first (of two tabs, one wins). */
export async function useToken(db: Db, row: AccountTokenRow, now: number): Promise<boolean> {
  const result = await db
    .updateTable('accountTokens')
    .set({ usedAt: now })
    .where('workspaceId', '=', row.workspaceId)
    .where('id', '=', row.id)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
