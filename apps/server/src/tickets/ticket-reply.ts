import type { Message, Ticket } from '@parley/protocol';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { presentMessages, presentNewMessage } from '../conversations/message-presenter';
import { insertMessage, markMemberRead } from '../conversations/message-repository';
import { newSystemMessage } from '../conversations/system-lines';
import type { Db } from '../db/connect';
import { compiledStatement } from '../db/compiled-statement';
import { NO_SLA, type MessageRow, type TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import { newId } from '../ids';
import { attachToMessage, moveUnsentAttachments } from '../uploads/attachment-service';
import { findUserById } from '../users/user-repository';
import { findMergeOf } from './ticket-merge-repository';
import { presentTicket } from './ticket-presenter';
import { loadActor } from '../workspaces/member-repository';
import {
  findFollowUpOf,
  findTicketById,
  findTicketByConversation,
  insertTicketWithThread,
  reopenIfStill,
} from './ticket-repository';

/**
 * What a customer's reply does to their closed ticket: within the reopen window it reopens it;
 * after it, the reply opens a follow-up ticket. See docs/realtime-protocol.md [RT-REOPEN]. A
 * customer's reply to a pending or snoozed ticket makes it open again (the customer answered).
 */

/** The statuses a customer's reply ends: the ticket is open again. */
const WOKEN_BY_REPLY: ReadonlySet<TicketRow['status']> = new Set(['closed', 'pending', 'snoozed']);

/** `TICKET_REOPEN_WINDOW_DAYS`, 7 by default. */
export const DEFAULT_REOPEN_WINDOW_MS = 7 * 24 * 3600_000;

export const reopenWindowMs = (deps: ServiceDeps): number => deps.tickets?.reopenWindowMs ?? DEFAULT_REOPEN_WINDOW_MS;

/** A reply by `actor` to `ticket` now must go to a follow-up: a customer's, after the window. */
export const isPastReopenWindow = (deps: ServiceDeps, actor: Actor, ticket: TicketRow, at: number): boolean =>
  !isStaff(actor) && ticket.status === 'closed' && at - (ticket.closedAt ?? 0) > reopenWindowMs(deps);

/** The reopening a reply brought about, to publish after the commit (the assignee hears of it from the event). */
export interface Reopened {
  ticket: Ticket;
  systemMessage: Message;
}

/**
 * Inside the send's transaction, right after the reply was inserted: a customer's reply to
 * their closed, pending or snoozed ticket opens it again (a snooze's wake-up job then finds
 * nothing to do), with a system line and an audit entry; any other reply just moves the
 * ticket's time. Same transaction, so the reply and the reopening commit (and are acked)
 * together or not at all; the conditional update takes the ticket's row lock, so of two replies
 * at once exactly one reopens and the other finds it open. Costs nothing more than the
 * `updatedAt` write every ticket reply makes anyway (one conditional UPDATE instead of it).
 */
export async function touchTicketOnReply(
  trx: Db,
  actor: Actor,
  ticket: TicketRow,
  reply: MessageRow,
  at: number,
): Promise<Reopened | null> {
  if (
    !isStaff(actor) &&
    WOKEN_BY_REPLY.has(ticket.status) &&
    (await reopenIfStill(trx, actor, ticket.id, ticket.status, at))
  ) {
    const name = (await findUserById(trx, actor.id))?.displayName ?? 'The customer';
    const line = await insertMessage(
      trx,
      actor,
      newSystemMessage(
        ticket.conversationId,
        { event: 'ticket.reopened_by_reply', actor: { id: actor.id, name }, params: {} },
        at,
      ),
    );
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'ticket.status_changed',
      entityType: 'ticket',
      entityId: ticket.id,
      data: { from: ticket.status, to: 'open', byReply: reply.id },
    });
    const [systemMessage] = await presentMessages(trx, actor, [line]);
    return {
      ticket: presentTicket({ ...ticket, status: 'open', closedAt: null, snoozedUntil: null, updatedAt: at }),
      systemMessage: systemMessage!,
    };
  }
  await touchTicket(
    trx,
    { workspaceId: actor.workspaceId, ticketId: ticket.id, at },
    isStaff(actor) ? 'staff' : 'customer',
  );
  return null;
}

const touchTicket = compiledStatement(
  (trx, v: { workspaceId: string; ticketId: string; at: number }, shape: 'staff' | 'customer') =>
    trx
      .updateTable('tickets')
      // Staff's first public reply is the SLA's first response: kept once set, no extra query.
      .set((eb) =>
        shape === 'staff'
          ? { updatedAt: v.at, slaFirstRespondedAt: eb.fn.coalesce('slaFirstRespondedAt', eb.val(v.at)) }
          : { updatedAt: v.at },
      )
      .where('workspaceId', '=', v.workspaceId)
      .where('id', '=', v.ticketId),
);

/**
 * The ticket as staff's reply leaves it when that reply is its first response (the SLA's clock
 * for it stops): to publish, so badges show it met. Null for every other reply. Decided from
 * the row the sender's access check read: no query.
 */
export function firstResponseOf(actor: Actor, ticket: TicketRow, at: number): Ticket | null {
  if (!isStaff(actor) || ticket.slaFirstResponseDueAt === null || ticket.slaFirstRespondedAt !== null) return null;
  return presentTicket({ ...ticket, slaFirstRespondedAt: at, updatedAt: at });
}

/**
 * Where a late reply to `closed` goes when it already has a follow-up: the newest ticket of
 * its chain (each ticket has one follow-up at most). Undefined: none yet, open one. Walked only
 * for replies to tickets closed past the window, one indexed lookup per link.
 */
export async function findNewestFollowUp(db: Db, ws: Scope, closed: TicketRow): Promise<TicketRow | undefined> {
  let newest: TicketRow | undefined;
  for (let next = await findFollowUpOf(db, ws, closed.id); next; next = await findFollowUpOf(db, ws, next.id)) {
    newest = next;
  }
  return newest;
}

export interface FollowUpReply {
  clientMsgId: string;
  body: string;
  attachmentIds: string[];
}

/**
 * Opens a follow-up of `closed` carrying the customer's reply as its first message, in one
 * transaction: the reply is never acked without its ticket, nor the ticket made without it.
 * It keeps the old ticket's subject, priority, team and (active) assignee, who hears of it from
 * the event. Fails
 * with a unique violation when another reply opened the follow-up first; the caller then
 * sends into that one.
 */
export async function openFollowUp(
  deps: ServiceDeps,
  actor: Actor,
  closed: TicketRow,
  reply: FollowUpReply,
  at: number,
): Promise<{ created: DomainEvent & { type: 'ticket.updated' }; message: Message }> {
  // The assignee keeps it if they are still active staff of the workspace.
  const assignee = closed.assigneeId ? await loadActor(deps.db, actor, closed.assigneeId) : undefined;
  const ticket: TicketRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    subject: closed.subject,
    description: '',
    status: 'open',
    priority: closed.priority,
    priorityRank: closed.priorityRank,
    requesterId: closed.requesterId,
    assigneeId: assignee && isStaff(assignee) ? assignee.id : null,
    teamId: closed.teamId,
    conversationId: newId(),
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    snoozedUntil: null,
    followUpOf: closed.id,
    channel: closed.channel,
    ...NO_SLA,
    labelIds: null,
  };
  // A new ticket (`from: null`) with `followUpOf`: its assignee hears of it as a follow-up.
  const created: DomainEvent = {
    workspaceId: actor.workspaceId,
    type: 'ticket.updated',
    ticket: presentTicket(ticket),
    change: { byUserId: actor.id, from: null },
  };
  return deps.db.transaction().execute(async (trx) => {
    await insertTicketWithThread(trx, ticket);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'ticket.created',
      entityType: 'ticket',
      entityId: ticket.id,
      data: { subject: ticket.subject, priority: ticket.priority, teamId: ticket.teamId, followUpOf: closed.id },
    });
    const message = await insertMessage(trx, actor, {
      conversationId: ticket.conversationId,
      senderId: actor.id,
      kind: 'text',
      body: reply.body,
      clientMsgId: reply.clientMsgId,
      at,
    });
    await moveUnsentAttachments(
      trx,
      actor,
      reply.attachmentIds,
      actor.id,
      closed.conversationId,
      ticket.conversationId,
    );
    await attachToMessage(trx, actor, {
      attachmentIds: reply.attachmentIds,
      conversationId: ticket.conversationId,
      uploaderId: actor.id,
      messageId: message.id,
    });
    await markMemberRead(trx, actor, ticket.conversationId, actor.id, message.seq, at);
    if (ticket.assigneeId) await markMemberRead(trx, actor, ticket.conversationId, ticket.assigneeId, 0, at);
    await deps.reactions.record(trx, created, at);
    return {
      created,
      message: await presentNewMessage(trx, actor, message, {
        withAttachments: reply.attachmentIds.length > 0,
        replyTo: null,
      }),
    };
  });
}

/**
 * The ticket a customer's reply to `ticket` goes to instead, because it was merged into it (and
 * is still closed): [RT-REOPEN]. That ticket's own reopen window, merge and follow-ups then
 * apply. Looked up only for a customer's reply to a closed ticket: one key lookup.
 */
export async function mergedInto(db: Db, actor: Actor, ticket: TicketRow): Promise<TicketRow | undefined> {
  if (isStaff(actor) || ticket.status !== 'closed') return undefined;
  const merge = await findMergeOf(db, actor, ticket.id);
  return merge && findTicketById(db, actor, merge.targetTicketId);
}

/**
 * Whether a reply sent to the thread `sentToConversationId` may have landed in
 * `landedConversationId`: a ticket it leads to through merges and follow-ups (a few links, walked
 * only for a resend whose original is elsewhere). A resend of a reply that moved is the same reply.
 */
export async function repliesLeadTo(db: Db, ws: Scope, sentToConversationId: string, landedConversationId: string) {
  const start = await findTicketByConversation(db, ws, sentToConversationId);
  const queue = start ? [start] : [];
  for (let walked = 0; queue.length > 0 && walked < 50; walked++) {
    const ticket = queue.shift()!;
    const merge = await findMergeOf(db, ws, ticket.id);
    const next = [
      merge && (await findTicketById(db, ws, merge.targetTicketId)),
      await findFollowUpOf(db, ws, ticket.id),
    ];
    for (const later of next) {
      if (!later) continue;
      if (later.conversationId === landedConversationId) return true;
      queue.push(later);
    }
  }
  return false;
}
