import type { Conversation } from '@parley/protocol';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import { toIso } from '../clock';
import { areContacts, isBlockedBetween } from '../contacts/contact-service';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ConversationRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';
import { teamIdsOf } from '../teams/team-service';
import { canSeeInternalNotes, ticketReach, visibleTicketsFilter } from '../tickets/ticket-policy';
import { presentPublicUser } from '../users/user-presenter';
import { loadActor, selectMembers, type MemberRow } from '../workspaces/member-repository';
import { scopedKey } from '../workspaces/scoped-key';
import { accessConversation, blockBetween, isTrue } from './conversation-access';
import { notifyLevelOf } from './unread-service';
import { presentMessages } from './message-presenter';
import { findMembership } from './message-repository';
import { hasLabel } from '../labels/label-repository';
import { labelsOf } from '../labels/label-service';
import { countUnread, countUnreadMentions, lastVisibleMessages } from './thread-summaries';

/**
 * The actor's conversations, most recently active first: direct chats they are in, and the
 * threads of tickets they are in and may still see. Each with members, last message and
 * unread count, computed for the whole page in a few queries.
 */
export async function listConversations(
  deps: ServiceDeps,
  actor: Actor,
  page: { cursor?: string | undefined; limit: number; labelId?: string | undefined },
) {
  const { db } = deps;
  if (page.labelId !== undefined && !isStaff(actor)) throw new AppError('forbidden', 'Labels are for staff');
  const teamIds = ticketReach(actor) === 'teams' ? await teamIdsOf(db, actor) : [];
  // Whoever may not see notes sees the conversations move by the messages they can see only.
  const activity = canSeeInternalNotes(actor) ? 'updatedAt' : 'publicUpdatedAt';
  const after = page.cursor ? decodeCursor(page.cursor, ['number', 'string']) : null;
  let select = db
    .selectFrom('conversations')
    .innerJoin('conversationMembers as me', (join) =>
      join
        .onRef('me.conversationId', '=', 'conversations.id')
        .on('me.workspaceId', '=', actor.workspaceId)
        .on('me.userId', '=', actor.id),
    )
    .leftJoin('tickets', (join) =>
      join.onRef('tickets.conversationId', '=', 'conversations.id').on('tickets.workspaceId', '=', actor.workspaceId),
    )
    .selectAll('conversations')
    .select(['me.lastReadSeq', 'me.muted', 'tickets.id as ticketId'])
    .where('conversations.workspaceId', '=', actor.workspaceId)
    .where((eb) =>
      eb.or([eb('conversations.kind', '!=', 'ticket'), visibleTicketsFilter(actor, teamIds)(eb as never)]),
    );
  if (page.labelId !== undefined) {
    const labelId = page.labelId;
    select = select.where((eb) => hasLabel(eb as never, 'conversations', labelId));
  }
  if (after) {
    const [updatedAt, id] = after as [number, string];
    select = select.where((eb) =>
      eb.or([
        eb(`conversations.${activity}`, '<', updatedAt),
        eb.and([eb(`conversations.${activity}`, '=', updatedAt), eb('conversations.id', '<', id)]),
      ]),
    );
  }
  const rows = await select
    .orderBy(`conversations.${activity}`, 'desc')
    .orderBy('conversations.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const items = await presentConversations(db, actor, rows.slice(0, page.limit));
  const byId = new Map(items.map((c) => [c.id, c]));
  return toPage(
    rows,
    page.limit,
    (row) => byId.get(row.id)!,
    (row) => [row[activity], row.id],
  );
}

export async function getConversation(deps: ServiceDeps, actor: Actor, conversationId: string): Promise<Conversation> {
  const access = await accessConversation(deps, actor, conversationId);
  const member = await findMembership(deps.db, actor, conversationId, actor.id);
  const [conversation] = await presentConversations(deps.db, actor, [
    {
      ...access.conversation,
      lastReadSeq: member?.lastReadSeq ?? 0,
      muted: member?.muted ?? 0,
      ticketId: access.ticket?.id ?? null,
    },
  ]);
  return conversation!;
}

type ConversationListRow = ConversationRow & { lastReadSeq: number; muted: number; ticketId: string | null };

async function presentConversations(db: Db, actor: Actor, rows: ConversationListRow[]): Promise<Conversation[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const hideNotes = !canSeeInternalNotes(actor);
  const [members, lastMessages, unreadOf, mentionsOf, labelsById] = await Promise.all([
    listMembersWithReads(db, actor, ids, hideNotes),
    lastVisibleMessages(db, actor, ids, hideNotes),
    countUnread(db, actor, ids, hideNotes),
    countUnreadMentions(db, actor, ids, hideNotes),
    // Labels are internal: staff get the page's in one query, customers none.
    isStaff(actor) ? labelsOf({ db }, actor, ids) : null,
  ]);
  const membersOf = groupBy(members, (m) => m.conversationId);
  const presented = new Map((await presentMessages(db, actor, lastMessages)).map((m) => [m.conversationId, m]));
  return rows.map((row) => {
    const rowMembers = membersOf.get(row.id) ?? [];
    return {
      id: row.id,
      kind: row.kind,
      ticketId: row.ticketId,
      title: row.title,
      topic: row.topic,
      members: rowMembers.map(({ member }) => presentPublicUser(member)),
      adminIds: rowMembers.flatMap(({ member, admin }) => (admin ? [member.id] : [])),
      readSeqs: Object.fromEntries(
        rowMembers.flatMap(({ member, readSeq }) =>
          member.id === actor.id ? [[member.id, row.lastReadSeq]] : readSeq === null ? [] : [[member.id, readSeq]],
        ),
      ),
      lastMessage: presented.get(row.id) ?? null,
      lastSeq: hideNotes ? row.publicLastSeq : row.lastSeq,
      lastReadSeq: row.lastReadSeq,
      unreadCount: unreadOf.get(row.id) ?? 0,
      mentionCount: mentionsOf.get(row.id) ?? 0,
      muted: Number(row.muted) > 0,
      notify: notifyLevelOf(row.muted),
      updatedAt: toIso(hideNotes ? row.publicUpdatedAt : row.updatedAt),
      ...(labelsById && { labels: labelsById.get(row.id) ?? [] }),
    };
  });
}

/**
 * The members of these conversations, each with how far they read as the actor may know it:
 * not at all across a block (either way); for a reader who may not see notes, up to the last
 * message they can see (a staff cursor may rest on a note, and would give it away).
 */
async function listMembersWithReads(db: Db, actor: Actor, conversationIds: string[], hideNotes: boolean) {
  const members = selectMembers(db, actor).as('u');
  const rows = await db
    .selectFrom('conversationMembers as m')
    .innerJoin(members, 'u.id', 'm.userId')
    .selectAll('u')
    .select((eb) => [
      'm.conversationId',
      'm.receiptSeq as rawReadSeq',
      'm.isAdmin',
      blockBetween(eb, actor).as('blocked'),
    ])
    // Backwards along (conversation_id, seq) from the cursor to the first message that is not a note.
    .$if(hideNotes, (q) =>
      q.select((eb) =>
        eb
          .selectFrom('messages as pm')
          .select('pm.seq')
          .where('pm.workspaceId', '=', actor.workspaceId)
          .whereRef('pm.conversationId', '=', 'm.conversationId')
          .whereRef('pm.seq', '<=', 'm.receiptSeq')
          .where('pm.kind', '!=', 'note')
          .orderBy('pm.seq', 'desc')
          .limit(1)
          .as('publicReadSeq'),
      ),
    )
    .where('m.workspaceId', '=', actor.workspaceId)
    .where('m.conversationId', 'in', conversationIds)
    // Members who joined in the same millisecond (a ticket's requester and its first taker) in one
    // order every time: a plan the database is free to change must not reorder them.
    .orderBy('m.createdAt')
    .orderBy('m.userId')
    .execute();
  return rows.map(({ conversationId, rawReadSeq, isAdmin, blocked, publicReadSeq, ...member }) => ({
    conversationId,
    member: member as MemberRow,
    admin: isTrue(isAdmin),
    readSeq: isTrue(blocked) ? null : hideNotes ? Number(publicReadSeq ?? 0) : rawReadSeq,
  }));
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * The one direct conversation between the actor and another user, created on first use.
 * Customers write to their contacts; agents and admins to anyone. A block either way hides
 * the other user entirely.
 */
export async function openDirectConversation(
  deps: ServiceDeps,
  actor: Actor,
  userId: string,
): Promise<{ conversation: Conversation; created: boolean }> {
  const { db } = deps;
  if (userId === actor.id) {
    throw new AppError('validation_failed', 'You cannot message yourself', {
      fields: [{ in: 'body', path: 'userId', message: 'Pick someone else' }],
    });
  }
  // Someone of another workspace, or deactivated here, does not exist for the actor.
  const other = await loadActor(db, actor, userId);
  if (!other || (await isBlockedBetween(db, actor, actor.id, userId))) throw notFound('User');
  if (!isStaff(actor) && !(await areContacts(db, actor, actor.id, userId))) {
    throw new AppError('forbidden', 'Customers can message their contacts only');
  }
  const directKey = scopedKey(actor, [actor.id, userId].sort().join(':'));
  const existing = await findDirect(db, actor, directKey);
  if (existing) return { conversation: await getConversation(deps, actor, existing), created: false };

  const at = deps.clock.now();
  const id = newId();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values({
          id,
          workspaceId: actor.workspaceId,
          kind: 'direct',
          title: null,
          directKey,
          createdAt: at,
          updatedAt: at,
          publicUpdatedAt: at,
        })
        .execute();
      await trx
        .insertInto('conversationMembers')
        .values(
          [actor.id, userId].map((memberId) => ({
            workspaceId: actor.workspaceId,
            conversationId: id,
            userId: memberId,
            lastReadSeq: 0,
            createdAt: at,
          })),
        )
        .execute();
    });
  } catch (error) {
    const raced = isUniqueViolation(error) && (await findDirect(db, actor, directKey));
    if (!raced) throw error;
    return { conversation: await getConversation(deps, actor, raced), created: false };
  }
  const conversation = await getConversation(deps, actor, id);
  // Both members (the actor's other tabs too) hear of it now, not at their next refresh.
  const forOther = await getConversation(deps, other, id);
  const { workspaceId } = actor;
  deps.events.publish({ workspaceId, type: 'conversation.created', userId: actor.id, conversation });
  deps.events.publish({ workspaceId, type: 'conversation.created', userId, conversation: forOther });
  return { conversation, created: true };
}

async function findDirect(db: Db, ws: Scope, directKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('conversations')
    .select('id')
    .where('workspaceId', '=', ws.workspaceId)
    .where('directKey', '=', directKey)
    .executeTakeFirst();
  return row?.id;
}
