import type { FriendRequest, FriendRequestListQuery } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { UserRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';
import { notify, publishNotifications, senderOf, type StoredNotification } from '../notifications/notification-service';
import { findUserById } from '../users/user-repository';
import { presentPublicUser } from '../users/user-presenter';
import { areContacts, isBlockedBetween } from './contact-service';
import {
  deleteContactPair,
  findFriendRequestById,
  findPendingRequest,
  listFriendRequestsOf,
  pairKey,
  usersById,
  type FriendRequestRow,
} from './contact-repository';

const pendingExists = () =>
  new AppError('conflict', 'There is already a pending friend request between you and this user');

function presentFriendRequest(row: FriendRequestRow, users: Map<string, UserRow>): FriendRequest {
  return {
    id: row.id,
    fromUser: presentPublicUser(users.get(row.fromUserId)!),
    toUser: presentPublicUser(users.get(row.toUserId)!),
    status: row.status,
    createdAt: toIso(row.createdAt),
    respondedAt: row.respondedAt === null ? null : toIso(row.respondedAt),
  };
}

const presentOne = async (db: Db, row: FriendRequestRow) =>
  presentFriendRequest(row, await usersById(db, [row.fromUserId, row.toUserId]));

/**
 * Asks another user to become contacts; they are notified. Someone who blocked the actor (or
 * whom the actor blocked) is answered like an unknown user, so a block never shows.
 */
export async function sendFriendRequest(deps: ServiceDeps, actor: Actor, userId: string): Promise<FriendRequest> {
  const { db } = deps;
  if (userId === actor.id) {
    throw new AppError('validation_failed', 'You cannot send a friend request to yourself', {
      fields: [{ in: 'body', path: 'userId', message: 'Pick someone else' }],
    });
  }
  const other = await findUserById(db, userId);
  if (!other || other.deactivatedAt !== null || (await isBlockedBetween(db, actor.id, userId))) throw notFound('User');
  if (await areContacts(db, actor.id, userId)) throw new AppError('conflict', 'You are already contacts');
  if (await findPendingRequest(db, actor.id, userId)) throw pendingExists();

  const at = deps.clock.now();
  const row: FriendRequestRow = {
    id: newId(),
    fromUserId: actor.id,
    toUserId: userId,
    status: 'pending',
    pendingKey: pairKey(actor.id, userId),
    createdAt: at,
    respondedAt: null,
  };
  let notified: StoredNotification[];
  try {
    notified = await db.transaction().execute(async (trx) => {
      await trx.insertInto('friendRequests').values(row).execute();
      return notify(trx, at, [
        {
          userId,
          kind: 'friend_request.received',
          conversationId: null,
          seq: null,
          sender: await senderOf(trx, actor.id),
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
  return presentOne(db, row);
}

export async function listFriendRequests(deps: ServiceDeps, actor: Actor, query: FriendRequestListQuery) {
  const after = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : null;
  const rows = await listFriendRequestsOf(deps.db, actor.id, query, after);
  const page = rows.slice(0, query.limit);
  const users = await usersById(
    deps.db,
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
  const request = await findFriendRequestById(db, id);
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
      .where('id', '=', request.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      // Answered meanwhile (say, cancelled while being accepted): tell what it became.
      const now = await findFriendRequestById(trx, request.id);
      throw new AppError('conflict', `This friend request is already ${now?.status ?? 'gone'}`);
    }
    if (answer !== 'accept') return [];
    await deleteContactPair(trx, request.fromUserId, request.toUserId);
    await trx
      .insertInto('contacts')
      .values([
        { userId: request.fromUserId, contactId: request.toUserId, createdAt: at },
        { userId: request.toUserId, contactId: request.fromUserId, createdAt: at },
      ])
      .execute();
    return notify(trx, at, [
      {
        userId: request.fromUserId,
        kind: 'friend_request.accepted',
        conversationId: null,
        seq: null,
        sender: await senderOf(trx, actor.id),
        ids: { requestId: request.id, byUserId: actor.id },
      },
    ]);
  });
  publishNotifications(deps.events, notified);
  if (answer === 'accept') {
    deps.events.publish({ type: 'contacts.changed', userIds: [request.fromUserId, request.toUserId], linked: true });
  }
  return presentOne(db, { ...request, status, pendingKey: null, respondedAt: at });
}
