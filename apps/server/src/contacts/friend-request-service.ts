import type { FriendRequest, FriendRequestListQuery } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';
import { notify, publishNotifications, senderOf, type StoredNotification } from '../notifications/notification-service';
import { presentPublicUser } from '../users/user-presenter';
import { findMember, type MemberRow } from '../workspaces/member-repository';
import { areContacts, isBlockedBetween } from './contact-service';
import {
  deleteContactPair,
  findFriendRequestById,
  findPendingRequest,
  listFriendRequestsOf,
  membersById,
  pairKey,
  type FriendRequestRow,
} from './contact-repository';

const pendingExists = () =>
  new AppError('conflict', 'There is already a pending friend request between you and this user');

function presentFriendRequest(row: FriendRequestRow, users: Map<string, MemberRow>): FriendRequest {
  return {
    id: row.id,
    fromUser: presentPublicUser(users.get(row.fromUserId)!),
    toUser: presentPublicUser(users.get(row.toUserId)!),
    status: row.status,
    createdAt: toIso(row.createdAt),
    respondedAt: row.respondedAt === null ? null : toIso(row.respondedAt),
  };
}

const presentOne = async (db: Db, actor: Actor, row: FriendRequestRow) =>
  presentFriendRequest(row, await membersById(db, actor, [row.fromUserId, row.toUserId]));

/**
 * Asks another member of the workspace to become contacts there; they are notified. Someone
 * who blocked the actor (or whom the actor blocked), or who is not an active member, is
 * answered like an unknown user, so a block never shows.
 */
export async function sendFriendRequest(deps: ServiceDeps, actor: Actor, userId: string): Promise<FriendRequest> {
  const { db } = deps;
  if (userId === actor.id) {
    throw new AppError('validation_failed', 'You cannot send a friend request to yourself', {
      fields: [{ in: 'body', path: 'userId', message: 'Pick someone else' }],
    });
  }
  const other = await findMember(db, actor, userId);
  if (!other || other.deactivatedAt !== null || (await isBlockedBetween(db, actor, actor.id, userId))) {
    throw notFound('User');
  }
  if (await areContacts(db, actor, actor.id, userId)) throw new AppError('conflict', 'You are already contacts');
  if (await findPendingRequest(db, actor, actor.id, userId)) throw pendingExists();

  const at = deps.clock.now();
  const row: FriendRequestRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    fromUserId: actor.id,
    toUserId: userId,
    status: 'pending',
    pendingKey: pairKey(actor, actor.id, userId),
    createdAt: at,
    respondedAt: null,
  };
  let notified: StoredNotification[];
  try {
    notified = await db.transaction().execute(async (trx) => {
      await trx.insertInto('friendRequests').values(row).execute();
      return notify(trx, actor, at, [
        {
          userId,
          kind: 'friend_request.received',
          conversationId: null,
          seq: null,
          sender: await senderOf(trx, actor, actor.id),
          ids: { requestId: row.id, fromUserId: actor.id },
        },
      ]);
    });
  } catch (error) {
    // Both users asked at once: the unique pending key let only one request in.
    if (isUniqueViolation(error)) throw pendingExists();
    throw error;
  }
  publishNotifications(deps.events, notified);
  return presentOne(db, actor, row);
}

export async function listFriendRequests(deps: ServiceDeps, actor: Actor, query: FriendRequestListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : null;
  const rows = await listFriendRequestsOf(deps.db, actor, actor.id, query, after);
  const page = rows.slice(0, query.limit);
  const users = await membersById(
    deps.db,
    actor,
    page.flatMap((r) => [r.fromUserId, r.toUserId]),
  );
  return toPage(
    rows,
    query.limit,
    (row) => presentFriendRequest(row, users),
    (row) => [row.createdAt, row.id],
  );
}

export type FriendRequestAnswer = 'accept' | 'decline' | 'cancel';

const OUTCOME = { accept: 'accepted', decline: 'declined', cancel: 'cancelled' } as const;

/**
 * The recipient accepts or declines, the sender cancels; only a pending request can be
 * answered. Accepting makes the two contacts (both rows at once) and tells the sender.
 */
export async function answerFriendRequest(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  answer: FriendRequestAnswer,
): Promise<FriendRequest> {
  const { db } = deps;
  const request = await findFriendRequestById(db, actor, id);
  if (!request || (request.fromUserId !== actor.id && request.toUserId !== actor.id)) {
    throw notFound('Friend request');
  }
  if (answer === 'cancel' && request.fromUserId !== actor.id) {
    throw new AppError('forbidden', 'Only the sender can cancel a friend request');
  }
  if (answer !== 'cancel' && request.toUserId !== actor.id) {
    throw new AppError('forbidden', `Only the recipient can ${answer} a friend request`);
  }
  if (request.status !== 'pending') {
    throw new AppError('conflict', `This friend request is already ${request.status}`);
  }

  const at = deps.clock.now();
  const status = OUTCOME[answer];
  const notified = await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('friendRequests')
      .set({ status, pendingKey: null, respondedAt: at })
      .where('workspaceId', '=', actor.workspaceId)
      .where('id', '=', request.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      // Answered meanwhile (say, cancelled while being accepted): tell what it became.
      const now = await findFriendRequestById(trx, actor, request.id);
      throw new AppError('conflict', `This friend request is already ${now?.status ?? 'gone'}`);
    }
    if (answer !== 'accept') return [];
    await deleteContactPair(trx, actor, request.fromUserId, request.toUserId);
    const workspaceId = actor.workspaceId;
    await trx
      .insertInto('contacts')
      .values([
        { workspaceId, userId: request.fromUserId, contactId: request.toUserId, createdAt: at },
        { workspaceId, userId: request.toUserId, contactId: request.fromUserId, createdAt: at },
      ])
      .execute();
    return notify(trx, actor, at, [
      {
        userId: request.fromUserId,
        kind: 'friend_request.accepted',
        conversationId: null,
        seq: null,
        sender: await senderOf(trx, actor, actor.id),
        ids: { requestId: request.id, byUserId: actor.id },
      },
    ]);
  });
  publishNotifications(deps.events, notified);
  if (answer === 'accept') {
    deps.events.publish({
      type: 'contacts.changed',
      workspaceId: actor.workspaceId,
      userIds: [request.fromUserId, request.toUserId],
      linked: true,
    });
  }
  return presentOne(db, actor, { ...request, status, pendingKey: null, respondedAt: at });
}
