import type { FriendRequestDirection, FriendRequestStatus } from '@parley/protocol';
import type { Db } from '../db/connect';
import type { FriendRequestsTable, UserRow } from '../db/schema';
import type { CursorKey } from '../http/cursor';

export type FriendRequestRow = FriendRequestsTable;

/** The one key a pair of users shares whichever of them asks: `smaller:larger`. */
export const pairKey = (a: string, b: string): string => [a, b].sort().join(':');

export const findFriendRequestById = (db: Db, id: string): Promise<FriendRequestRow | undefined> =>
  db.selectFrom('friendRequests').selectAll().where('id', '=', id).executeTakeFirst();

export const findPendingRequest = (db: Db, userId: string, otherId: string): Promise<FriendRequestRow | undefined> =>
  db.selectFrom('friendRequests').selectAll().where('pendingKey', '=', pairKey(userId, otherId)).executeTakeFirst();

/** The users with these ids, by id. */
export async function usersById(db: Db, ids: readonly string[]): Promise<Map<string, UserRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('users').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((u) => [u.id, u]));
}

/** One page (plus one row) of the user's requests, newest first; the cursor is `[createdAt, id]`. */
export function listFriendRequestsOf(
  db: Db,
  userId: string,
  filter: { direction: FriendRequestDirection; status: FriendRequestStatus; limit: number },
  after: CursorKey | null,
): Promise<FriendRequestRow[]> {
  let select = db
    .selectFrom('friendRequests')
    .selectAll()
    .where(filter.direction === 'incoming' ? 'toUserId' : 'fromUserId', '=', userId)
    .where('status', '=', filter.status);
  if (after) {
    const [createdAt, id] = after as [number, string];
    select = select.where((eb) =>
      eb.or([eb('createdAt', '<', createdAt), eb.and([eb('createdAt', '=', createdAt), eb('id', '<', id)])]),
    );
  }
  return select
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export type RelatedUserRow = UserRow & { since: number };

/** One page (plus one row) of the user's contacts, newest first; the cursor is `[since, userId]`. */
export function listContactsOf(db: Db, userId: string, limit: number, after: CursorKey | null) {
  let select = db
    .selectFrom('contacts')
    .innerJoin('users', 'users.id', 'contacts.contactId')
    .selectAll('users')
    .select('contacts.createdAt as since')
    .where('contacts.userId', '=', userId);
  if (after) {
    const [since, id] = after as [number, string];
    select = select.where((eb) =>
      eb.or([
        eb('contacts.createdAt', '<', since),
        eb.and([eb('contacts.createdAt', '=', since), eb('contacts.contactId', '<', id)]),
      ]),
    );
  }
  return select
    .orderBy('contacts.createdAt', 'desc')
    .orderBy('contacts.contactId', 'desc')
    .limit(limit + 1)
    .execute() as Promise<RelatedUserRow[]>;
}

/** One page (plus one row) of the users this user blocked, newest first; the cursor is `[since, userId]`. */
export function listBlockedBy(db: Db, userId: string, limit: number, after: CursorKey | null) {
  let select = db
    .selectFrom('blocks')
    .innerJoin('users', 'users.id', 'blocks.blockedId')
    .selectAll('users')
    .select('blocks.createdAt as since')
    .where('blocks.blockerId', '=', userId);
  if (after) {
    const [since, id] = after as [number, string];
    select = select.where((eb) =>
      eb.or([
        eb('blocks.createdAt', '<', since),
        eb.and([eb('blocks.createdAt', '=', since), eb('blocks.blockedId', '<', id)]),
      ]),
    );
  }
  return select
    .orderBy('blocks.createdAt', 'desc')
    .orderBy('blocks.blockedId', 'desc')
    .limit(limit + 1)
    .execute() as Promise<RelatedUserRow[]>;
}

/** Removes the contact rows of the pair, both directions; how many went. */
export async function deleteContactPair(db: Db, userId: string, otherId: string): Promise<number> {
  const result = await db
    .deleteFrom('contacts')
    .where((eb) =>
      eb.or([
        eb.and([eb('userId', '=', userId), eb('contactId', '=', otherId)]),
        eb.and([eb('userId', '=', otherId), eb('contactId', '=', userId)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
