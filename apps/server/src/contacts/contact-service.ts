import type { BlockedUserPage, BlockListQuery, ContactListQuery, ContactPage } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { presentPublicUser } from '../users/user-presenter';
import { findMember } from '../workspaces/member-repository';
import { deleteContactPair, listBlockedBy, listContactsOf, pairKey, type RelatedUserRow } from './contact-repository';

/** Contacts, blocks and friend requests are per workspace: the same two people may be contacts in one only. */
export async function areContacts(db: Db, ws: Scope, userId: string, otherId: string): Promise<boolean> {
  const row = await db
    .selectFrom('contacts')
    .select('userId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where('contactId', '=', otherId)
    .executeTakeFirst();
  return row !== undefined;
}

/** True when either user has blocked the other in the workspace: then neither may request or DM the other there. */
export async function isBlockedBetween(db: Db, ws: Scope, userId: string, otherId: string): Promise<boolean> {
  const row = await db
    .selectFrom('blocks')
    .select('blockerId')
    .where('workspaceId', '=', ws.workspaceId)
    .where((eb) =>
      eb.or([
        eb.and([eb('blockerId', '=', userId), eb('blockedId', '=', otherId)]),
        eb.and([eb('blockerId', '=', otherId), eb('blockedId', '=', userId)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}

/** The ids of the user's contacts in the workspace (their presence is worth knowing). */
export async function contactIdsOf(db: Db, ws: Scope, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('contacts')
    .select('contactId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .execute();
  return rows.map((r) => r.contactId);
}

const presentRelated = (row: RelatedUserRow) => ({ user: presentPublicUser(row), since: toIso(row.since) });

export async function listContacts(deps: ServiceDeps, actor: Actor, query: ContactListQuery): Promise<ContactPage> {
  const after = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : null;
  const rows = await listContactsOf(deps.db, actor, actor.id, query.limit, after);
  return toPage(rows, query.limit, presentRelated, (row) => [row.since, row.id]);
}

/** Ends a contact for both users. */
export async function removeContact(deps: ServiceDeps, actor: Actor, userId: string): Promise<void> {
  const { db } = deps;
  if (!(await areContacts(db, actor, actor.id, userId))) throw notFound('Contact');
  await deleteContactPair(db, actor, actor.id, userId);
  deps.events.publish({
    type: 'contacts.changed',
    workspaceId: actor.workspaceId,
    userIds: [actor.id, userId],
    linked: false,
  });
}

export async function listBlocks(deps: ServiceDeps, actor: Actor, query: BlockListQuery): Promise<BlockedUserPage> {
  const after = query.cursor ? decodeCursor(query.cursor, ['number', 'string']) : null;
  const rows = await listBlockedBy(deps.db, actor, actor.id, query.limit, after);
  return toPage(rows, query.limit, presentRelated, (row) => [row.since, row.id]);
}

/**
 * Blocks a member of the workspace (again is fine): they stop being a contact, and any pending
 * request between the two is cancelled. From then on neither can request or message the other
 * in this workspace.
 */
export async function blockUser(deps: ServiceDeps, actor: Actor, userId: string): Promise<void> {
  const { db } = deps;
  const ws = actor.workspaceId;
  if (userId === actor.id) {
    throw new AppError('validation_failed', 'You cannot block yourself', {
      fields: [{ in: 'params', path: 'userId', message: 'Pick someone else' }],
    });
  }
  if (!(await findMember(db, actor, userId))) throw notFound('User');
  const blocked = await db
    .selectFrom('blocks')
    .select('blockerId')
    .where('workspaceId', '=', ws)
    .where('blockerId', '=', actor.id)
    .where('blockedId', '=', userId)
    .executeTakeFirst();
  if (blocked) return;
  const at = deps.clock.now();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('blocks')
        .values({ workspaceId: ws, blockerId: actor.id, blockedId: userId, createdAt: at })
        .execute();
      await deleteContactPair(trx, actor, actor.id, userId);
      await trx
        .updateTable('friendRequests')
        .set({ status: 'cancelled', pendingKey: null, respondedAt: at })
        .where('workspaceId', '=', ws)
        .where('pendingKey', '=', pairKey(actor, actor.id, userId))
        .execute();
    });
  } catch (error) {
    // A second tap raced us: that one did all of the above.
    if (!isUniqueViolation(error)) throw error;
  }
  deps.events.publish({ type: 'contacts.changed', workspaceId: ws, userIds: [actor.id, userId], linked: false });
}

export async function unblockUser(deps: ServiceDeps, actor: Actor, userId: string): Promise<void> {
  const result = await deps.db
    .deleteFrom('blocks')
    .where('workspaceId', '=', actor.workspaceId)
    .where('blockerId', '=', actor.id)
    .where('blockedId', '=', userId)
    .executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw notFound('Block');
}
