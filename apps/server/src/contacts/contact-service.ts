import type { Db } from '../db/connect';

export async function areContacts(db: Db, userId: string, otherId: string): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('userId')
    .where('userId', '=', userId)
    .where('contactId', '=', otherId)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when either user has blocked the other: then neither may request or DM the other. */
export async function isBlockedBetween(db: Db, userId: string, otherId: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blockerId')
    .where((eb) =>
      eb.or([
        eb.and([eb('blockerId', '=', userId), eb('blockedId', '=', otherId)]),
        eb.and([eb('blockerId', '=', otherId), eb('blockedId', '=', userId)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids of the user's contacts (their presence is worth knowing). */
export async function contactIdsOf(db: Db, userId: string): Promise<string[]> {
  const rows = await db.selectFrom('contacts').select('contactId').where('userId', '=', userId).execute();
  return rows.map((r) => r.contactId);
}
