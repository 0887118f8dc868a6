import type { Db } from '../db/connect';
import type { SessionRow } from '../db/schema';

export const insertSession = (db: Db, row: SessionRow) => db.insertInto('sessions').values(row).execute();

export const touchSession = (db: Db, familyId: string, at: number) =>
  db.updateTable('sessions').set({ lastUsedAt: at }).where('id', '=', familyId).execute();

export interface LiveSession extends SessionRow {
  workspaceSlug: string;
  workspaceName: string;
}

/** The person's sessions that can still refresh, in every workspace, most recently used first. */
export const liveSessionsOf = (db: Db, userId: string, now: number): Promise<LiveSession[]> =>
  db
    .selectFrom('sessions')
    .innerJoin('workspaces', 'workspaces.id', 'sessions.workspaceId')
    .selectAll('sessions')
    .select(['workspaces.slug as workspaceSlug', 'workspaces.name as workspaceName'])
    .where('sessions.userId', '=', userId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('refreshTokens')
          .select('refreshTokens.id')
          .whereRef('refreshTokens.familyId', '=', 'sessions.id')
          .where('refreshTokens.revokedAt', 'is', null)
          .where('refreshTokens.expiresAt', '>', now),
      ),
    )
    .orderBy('sessions.lastUsedAt', 'desc')
    .orderBy('sessions.id', 'desc')
    .execute();

export const findSessionOf = (db: Db, userId: string, id: string): Promise<SessionRow | undefined> =>
  db.selectFrom('sessions').selectAll().where('id', '=', id).where('userId', '=', userId).executeTakeFirst();

/**
 * Ends every session of the person in every workspace, but `keep` (the one asking) when given.
 * Answers the workspaces that had a session ended, whose sockets must hear of it.
 */
export async function revokeSessionsOfUser(db: Db, userId: string, at: number, keep?: string): Promise<string[]> {
  let live = db
    .selectFrom('refreshTokens')
    .select('workspaceId')
    .distinct()
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null);
  let revoke = db
    .updateTable('refreshTokens')
    .set({ revokedAt: at })
    .where('userId', '=', userId)
    .where('revokedAt', 'is', null);
  if (keep !== undefined) {
    live = live.where('familyId', '!=', keep);
    revoke = revoke.where('familyId', '!=', keep);
  }
  const workspaces = (await live.execute()).map((row) => row.workspaceId);
  await revoke.execute();
  return workspaces;
}
