import type { FriendRequestDirection, FriendRequestStatus } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { FriendRequestsTable } from '../db/schema';
import type { CursorKey } from '../http/cursor';
import { selectMembers, type MemberRow } from '../workspaces/member-repository';
import { scopedKey } from '../workspaces/scoped-key';

export type FriendRequestRow = FriendRequestsTable;

/**
 * The one key a pair of users shares in a workspace whichever of them asks:
 * `<workspaceId>/smaller:larger` (the pair may have their own request in another workspace).
 */
export const pairKey = (ws: Scope, a: string, b: string): string => scopedKey(ws, [a, b].sort().join(':'));

export const findFriendRequestById = (db: Db, ws: Scope, id: string): Promise<FriendRequestRow | undefined> =>
  db
    .selectFrom('friendRequests')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

export const findPendingRequest = (
  db: Db,
  ws: Scope,
  userId: string,
  otherId: string,
): Promise<FriendRequestRow | undefined> =>
  db
    .selectFrom('friendRequests')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('pendingKey', '=', pairKey(ws, userId, otherId))
    .executeTakeFirst();

/** The members of the workspace with these ids, by id. */
export async function membersById(db: Db, ws: Scope, ids: readonly string[]): Promise<Map<string, MemberRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await selectMembers(db, ws).where('users.id', 'in', unique).execute();
  return new Map(rows.map((u) => [u.id, u]));
}

/** One page (plus one row) of the user's requests in the workspace, newest first; the cursor is `[createdAt, id]`. */
export function listFriendRequestsOf(
  db: Db,
  ws: Scope,
  userId: string,
  filter: { direction: FriendRequestDirection; status: FriendRequestStatus; limit: number },
  after: CursorKey | null,
): Promise<FriendRequestRow[]> {
  let select = db
    .selectFrom('friendRequests')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
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

export type RelatedUserRow = MemberRow & { since: number };

/** One page (plus one row) of the user's contacts in the workspace, newest first; the cursor is `[since, userId]`. */
export function listContactsOf(db: Db, ws: Scope, userId: string, limit: number, after: CursorKey | null) {
  let select = selectMembers(db, ws)
    .innerJoin('contacts', (join) =>
      join.onRef('contacts.contactId', '=', 'users.id').on('contacts.workspaceId', '=', ws.workspaceId),
    )
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

/** One page (plus one row) of the users this user blocked in the workspace, newest first; the cursor is `[since, userId]`. */
export function listBlockedBy(db: Db, ws: Scope, userId: string, limit: number, after: CursorKey | null) {
  let select = selectMembers(db, ws)
    .innerJoin('blocks', (join) =>
      join.onRef('blocks.blockedId', '=', 'users.id').on('blocks.workspaceId', '=', ws.workspaceId),
    )
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

/** Removes the contact rows of the pair in the workspace, both directions; how many went. */
export async function deleteContactPair(db: Db, ws: Scope, userId: string, otherId: string): Promise<number> {
  const result = await db
    .deleteFrom('contacts')
    .where('workspaceId', '=', ws.workspaceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('userId', '=', userId), eb('contactId', '=', otherId)]),
        eb.and([eb('userId', '=', otherId), eb('contactId', '=', userId)]),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
