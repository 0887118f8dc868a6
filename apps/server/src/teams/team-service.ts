import type { Db } from '../db/connect';

/** The teams a user belongs to; agents see the tickets of these teams. */
export async function listTeamIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('teamMembers').select('teamId').where('userId', '=', userId).execute();
  return rows.map((r) => r.teamId);
}

export async function isTeamMember(db: Db, teamId: string, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('teamMembers')
    .select('userId')
    .where('teamId', '=', teamId)
    .where('userId', '=', userId)
    .executeTakeFirst();
  return row !== undefined;
}
