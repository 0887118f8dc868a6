import { sql, type ExpressionBuilder, type InferResult, type Selectable } from 'kysely';
import { isStaff, type Actor } from '../auth/actor';
import type { ConversationsTable, Database, TicketsTable } from '../db/schema';
import type { Db } from '../db/connect';
import { compiledStatement } from '../db/compiled-statement';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { teamIdsOf } from '../teams/team-service';
import { canSeeInternalNotes, canSeeTicket, ticketReach } from '../tickets/ticket-policy';
import { findTicketByConversation } from '../tickets/ticket-repository';
import { hasPermissionSql } from '../workspaces/member-repository';

export interface ConversationAccess {
  conversation: Selectable<ConversationsTable>;
  /** The ticket this conversation is the thread of, if it is one. */
  ticket: Selectable<TicketsTable> | null;
  /** Whether internal notes are visible to (and writable by) this actor here. */
  seesNotes: boolean;
  /** Asked with `intent.clientMsgId`: whether the actor already sent a message under it (a resend). */
  alreadySent?: boolean;
  /** The actor's own cursors here, as they were read; null when not a member (yet). */
  membership: { lastReadSeq: number; receiptSeq: number } | null;
  /**
   * Asked with `intent.standing` (or `write`) in a direct conversation: whether the other member is
   * there with no block between the two, so that what the actor does here reaches them.
   */
  peerReachable?: boolean;
}

export interface AccessIntent {
  /**
   * The actor means to write (send, edit, react, upload, type): in a direct conversation the
   * two must still be allowed to talk, as when the conversation was opened.
   */
  write?: boolean;
  /**
   * A send's idempotency key: whether the actor already used it is asked in the same query as
   * the conversation, one round trip less per send (most sends are not resends).
   */
  clientMsgId?: string;
  /** In a direct conversation, also tell whether the other member is reachable (`peerReachable`). */
  standing?: boolean;
}

/**
 * The one gate to a conversation, for REST routes, uploads and socket frames alike. A ticket
 * thread is open to whoever may see the ticket; a direct or group conversation to its members
 * only (admins included: private chats stay private). Anything else is `404 not_found`.
 *
 * Writing into a direct conversation also needs what opening one needs: no block either way
 * and, for a customer, that the other is still a contact, or staff (who may write to anyone,
 * so a customer may answer them). Otherwise `403 forbidden`: the
 * conversation stays readable (it is the actor's own history), so a 404 would be a lie; the
 * message is the same whoever blocked whom.
 */
export async function accessConversation(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  intent: AccessIntent = {},
): Promise<ConversationAccess> {
  const { clientMsgId, write = false, standing = false } = intent;
  const shape = `${write ? 'w' : ''}${standing ? 's' : ''}${clientMsgId !== undefined ? 'c' : ''}`;
  const values = { workspaceId: actor.workspaceId, actorId: actor.id, conversationId, clientMsgId: clientMsgId ?? '' };
  const rows = (await runAccessQuery(deps.db, values, shape)).rows as InferResult<ReturnType<typeof accessQuery>>;
  const first = rows[0];
  if (!first) throw notFound('Conversation');
  const {
    alreadySent: sent,
    memberId: _m,
    memberLastReadSeq: _l,
    memberReceiptSeq: _r,
    memberIsStaff: _s,
    memberBlocked: _b,
    memberIsContact: _c,
    ...conversation
  } = first;
  const alreadySent = isTrue(sent);
  const own = rows.find((row) => row.memberId === actor.id);
  const membership = own
    ? { lastReadSeq: Number(own.memberLastReadSeq), receiptSeq: Number(own.memberReceiptSeq) }
    : null;

  if (conversation.kind === 'ticket') {
    const ticket = await findTicketByConversation(deps.db, actor, conversationId);
    const teamIds = ticketReach(actor) === 'teams' ? await teamIdsOf(deps.db, actor) : [];
    if (!ticket || !canSeeTicket(actor, ticket, teamIds)) throw notFound('Conversation');
    return { conversation, ticket, seesNotes: canSeeInternalNotes(actor), alreadySent, membership };
  }

  if (!own) throw notFound('Conversation');
  const other = rows.find((row) => row.memberId !== null && row.memberId !== actor.id);
  const peerReachable = conversation.kind === 'direct' && other !== undefined && !isTrue(other.memberBlocked);
  if (conversation.kind === 'direct' && write) {
    const mayTalk =
      !other ||
      (!isTrue(other.memberBlocked) &&
        (isStaff(actor) || isTrue(other.memberIsStaff) || isTrue(other.memberIsContact)));
    if (!mayTalk) {
      throw new AppError('forbidden', 'You can no longer write in this conversation');
    }
  }
  return {
    conversation,
    ticket: null,
    seesNotes: false,
    alreadySent,
    membership,
    ...((write || standing) && { peerReachable }),
  };
}

/**
 * One round trip for a direct or group conversation: the conversation with the actor's own
 * membership row and, in a direct one, the other member's row with the pair's standing. Its
 * shape says what else: `w` a write's standing, `s` the block only, `c` the resend check.
 */
const accessQuery = (
  db: Db,
  v: { workspaceId: string; actorId: string; conversationId: string; clientMsgId: string },
  shape: string,
) => {
  const actor = { workspaceId: v.workspaceId, id: v.actorId };
  const write = shape.includes('w');
  return db
    .selectFrom('conversations as c')
    .leftJoin('conversationMembers as m', (join) =>
      join
        .onRef('m.workspaceId', '=', 'c.workspaceId')
        .onRef('m.conversationId', '=', 'c.id')
        .on((eb) => eb.or([eb('m.userId', '=', actor.id), eb('c.kind', '=', 'direct')])),
    )
    .selectAll('c')
    .select(['m.userId as memberId', 'm.lastReadSeq as memberLastReadSeq', 'm.receiptSeq as memberReceiptSeq'])
    .$if(write || shape.includes('s'), (q) => q.select((eb) => blockBetween(eb, actor).as('memberBlocked')))
    .$if(write, (q) =>
      q.select((eb) => [
        hasPermissionSql(actor, 'm.userId', 'tickets.work').as('memberIsStaff'),
        eb
          .exists(
            eb
              .selectFrom('contacts')
              .select('contacts.userId')
              .where('contacts.workspaceId', '=', actor.workspaceId)
              .where('contacts.userId', '=', actor.id)
              .whereRef('contacts.contactId', '=', 'm.userId'),
          )
          .as('memberIsContact'),
      ]),
    )
    .$if(shape.includes('c'), (q) =>
      q.select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('messages')
              .select('messages.id')
              .where('messages.workspaceId', '=', actor.workspaceId)
              .where('messages.senderId', '=', actor.id)
              .where('messages.clientMsgId', '=', v.clientMsgId),
          )
          .as('alreadySent'),
      ),
    )
    .where('c.workspaceId', '=', actor.workspaceId)
    .where('c.id', '=', v.conversationId);
};
const runAccessQuery = compiledStatement(accessQuery);

/**
 * The other members whose presence a subscriber hears about: everyone in the conversation
 * but the actor, and but anyone a block stands between (either way).
 */
export async function listPresencePeers(deps: ServiceDeps, actor: Actor, conversationId: string): Promise<string[]> {
  const { rows } = await presencePeers(deps.db, { workspaceId: actor.workspaceId, actorId: actor.id, conversationId });
  return rows.map((r) => r.userId as string);
}

const presencePeers = compiledStatement((db, v: { workspaceId: string; actorId: string; conversationId: string }) =>
  db
    .selectFrom('conversationMembers as m')
    .select('m.userId')
    .where('m.workspaceId', '=', v.workspaceId)
    .where('m.conversationId', '=', v.conversationId)
    .where('m.userId', '!=', v.actorId)
    .where((eb) => eb.not(blockBetween(eb, { workspaceId: v.workspaceId, id: v.actorId }))),
);

/**
 * Whether a block stands between the actor and the user in `userColumn` (member `m` by default),
 * either way (the blocks key, twice).
 */
export const blockBetween = <DB, TB extends keyof DB>(
  eb: ExpressionBuilder<DB, TB>,
  actor: Pick<Actor, 'workspaceId' | 'id'>,
  userColumn = 'm.userId',
) => {
  const scope = eb as unknown as ExpressionBuilder<Database, never>;
  const other = sql.ref<string>(userColumn);
  return scope.exists(
    scope
      .selectFrom('blocks')
      .select('blocks.blockerId')
      .where('blocks.workspaceId', '=', actor.workspaceId)
      .where((b) =>
        b.or([
          b.and([b('blocks.blockerId', '=', actor.id), b('blocks.blockedId', '=', other)]),
          b.and([b('blocks.blockerId', '=', other), b('blocks.blockedId', '=', actor.id)]),
        ]),
      ),
  );
};

/** EXISTS comes back as a boolean (PostgreSQL) or 0/1 (SQLite, MariaDB). */
export const isTrue = (value: unknown) => value === true || Number(value) === 1;
