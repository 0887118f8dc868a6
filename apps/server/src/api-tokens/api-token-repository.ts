import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { ApiTokensTable } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';

export type ApiTokenRow = ApiTokensTable;

export const insertApiTokenRow = (db: Db, row: ApiTokenRow) => db.insertInto('apiTokens').values(row).execute();

/** The user's tokens still usable at `now`, newest first. */
export const listLiveTokenRows = (db: Db, ws: Scope, userId: string, now: number): Promise<ApiTokenRow[]> =>
  db
    .selectFrom('apiTokens')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', now)
    .orderBy('id', 'desc')
    .execute();

/** The token whose secret hashes to this, in whichever workspace: the request names none before it. */
export const findTokenByHash = (db: Db, secretHash: string): Promise<ApiTokenRow | undefined> =>
  acrossWorkspaces(db).selectFrom('apiTokens').selectAll().where('secretHash', '=', secretHash).executeTakeFirst();

export async function revokeTokenRow(db: Db, ws: Scope, userId: string, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('apiTokens')
    .set({ revokedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export const touchTokenRow = (db: Db, ws: Scope, id: string, at: number) =>
  db
    .updateTable('apiTokens')
    .set({ lastUsedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
