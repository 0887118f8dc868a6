import type { MergeTicketResult, SystemEvent } from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { inOneTransaction } from '../assignment/team-transaction';
import { insertMessage, markMemberRead } from '../conversations/message-repository';
import { presentMessages } from '../conversations/message-presenter';
import { newSystemMessage } from '../conversations/system-lines';
import { isUniqueViolation } from '../db/constraint-errors';
import type { Db } from '../db/connect';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { teamIdsOf } from '../teams/team-service';
import { findUserById } from '../users/user-repository';
import { canSeeTicket, ticketReach } from './ticket-policy';
import { presentTicket } from './ticket-presenter';
import { findTicketById } from './ticket-repository';
import { updateTicket } from './ticket-service';
import {
  appendCopies,
  findMergeOf,
  insertMerge,
  listMembers,
  listMessagesToCopy,
  touchTicket,
} from './ticket-merge-repository';

/** A ticket the actor may work, or 404 (another workspace's, or one they may not see). */
async function workableTicket(db: Db, actor: Actor, id: string): Promise<TicketRow> {
  const ticket = await findTicketById(db, actor, id);
  const teamIds = ticketReach(actor) === 'teams' ? await teamIdsOf(db, actor) : [];
  if (!ticket || !canSeeTicket(actor, ticket, teamIds)) throw notFound('Ticket');
  return ticket;
}

/**
 * Merges ticket `sourceId` into `intoTicketId` (docs/decisions/0010-ticket-merge.md): the
 * source's messages and notes are appended to the target's thread, in their time order, after
 * a line saying what was merged; the source is closed (through the ticket update path) with a
 * line naming the target. Only tickets of the same requester merge, so nobody gains or loses
 * access. One transaction; a retry of the same merge answers the same result and copies nothing.
 */
export async function mergeTickets(
  deps: ServiceDeps,
  actor: Actor,
  sourceId: string,
  intoTicketId: string,
): Promise<MergeTicketResult> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Only staff merge tickets');
  const source = await workableTicket(deps.db, actor, sourceId);
  const target = await workableTicket(deps.db, actor, intoTicketId);
  if (source.id === target.id) throw invalidTarget('A ticket cannot be merged into itself');
  const done = await findMergeOf(deps.db, actor, source.id);
  if (done) return alreadyMerged(deps, actor, done, source, target);
  if (source.requesterId !== target.requesterId) {
    throw invalidTarget('Only tickets of the same requester can be merged');
  }
  if (await findMergeOf(deps.db, actor, target.id)) {
    throw new AppError('conflict', 'That ticket was merged into another one; merge into that one');
  }
  if (target.status === 'closed')
    throw new AppError('conflict', 'Reopen the ticket first: closed tickets take no merge');
  try {
    return await merge(deps, actor, source, target);
  } catch (error) {
    // The same merge, retried while the first was still running: the first one's result.
    if (!isUniqueViolation(error)) throw error;
    const merged = await findMergeOf(deps.db, actor, source.id);
    if (!merged) throw error;
    return alreadyMerged(deps, actor, merged, source, target);
  }
}

const invalidTarget = (message: string) =>
  new AppError('validation_failed', message, { fields: [{ in: 'body', path: 'intoTicketId', message }] });

async function alreadyMerged(
  deps: ServiceDeps,
  actor: Actor,
  merged: { targetTicketId: string; copiedMessages: number },
  source: TicketRow,
  target: TicketRow,
): Promise<MergeTicketResult> {
  if (merged.targetTicketId !== target.id) {
    throw new AppError('conflict', 'This ticket was merged into another ticket already');
  }
  const [sourceNow, targetNow] = [
    await findTicketById(deps.db, actor, source.id),
    await findTicketById(deps.db, actor, target.id),
  ];
  return {
    source: presentTicket(sourceNow!),
    target: presentTicket(targetNow!),
    copiedMessages: merged.copiedMessages,
  };
}

async function merge(
  deps: ServiceDeps,
  actor: Actor,
  source: TicketRow,
  target: TicketRow,
): Promise<MergeTicketResult> {
  const at = deps.clock.now();
  const by = { id: actor.id, name: (await findUserById(deps.db, actor.id))!.displayName };
  const result = await inOneTransaction(deps, async (joined) => {
    const { db } = joined;
    const into: SystemEvent = {
      event: 'ticket.merged_into',
      actor: by,
      params: { ticket: { id: target.id, subject: target.subject } },
    };
    // First the source's line: it takes the source thread's lock, so no message slips in unseen.
    const intoLine = await insertMessage(db, actor, newSystemMessage(source.conversationId, into, at));
    const originals = await listMessagesToCopy(db, actor, source.conversationId);
    await insertMerge(db, {
      workspaceId: actor.workspaceId,
      sourceTicketId: source.id,
      targetTicketId: target.id,
      mergedBy: actor.id,
      copiedMessages: originals.length,
      mergedAt: at,
    });
    const targetBefore = await targetLastSeq(db, actor, target.conversationId);
    const from: SystemEvent = {
      event: 'ticket.merged_from',
      actor: by,
      params: { ticket: { id: source.id, subject: source.subject }, messages: originals.length },
    };
    const fromLine = await insertMessage(db, actor, newSystemMessage(target.conversationId, from, at));
    const copies = await appendCopies(db, actor, target.conversationId, originals, at);
    const targetAfter = copies.at(-1)?.seq ?? fromLine.seq;
    await carryReadPositions(db, actor, source.conversationId, target.conversationId, targetBefore, targetAfter, at);
    await touchTicket(db, actor, target.id, at);
    for (const [ticket, other] of [
      [source, target],
      [target, source],
    ] as const) {
      await recordAudit(db, actor, at, {
        actorId: actor.id,
        action: ticket === source ? 'ticket.merged_into' : 'ticket.merged_from',
        entityType: 'ticket',
        entityId: ticket.id,
        data: { ticketId: other.id, messages: originals.length },
      });
    }
    const closed =
      source.status === 'closed'
        ? presentTicket(source)
        : await updateTicket(joined, actor, source.id, { status: 'closed' });
    const targetNow = presentTicket({ ...target, updatedAt: at });
    const published = await presentMessages(db, actor, [intoLine, fromLine, ...copies]);
    for (const message of published)
      joined.events.publish({ workspaceId: actor.workspaceId, type: 'message.created', message });
    joined.events.publish({ workspaceId: actor.workspaceId, type: 'ticket.updated', ticket: targetNow });
    return { source: closed, target: targetNow, copiedMessages: originals.length };
  });
  return result;
}

const targetLastSeq = async (db: Db, actor: Actor, conversationId: string) =>
  Number(
    (
      await db
        .selectFrom('conversations')
        .select('lastSeq')
        .where('workspaceId', '=', actor.workspaceId)
        .where('id', '=', conversationId)
        .executeTakeFirstOrThrow()
    ).lastSeq,
  );

/**
 * Read positions after a merge: whoever had read both threads to the end has read the merge
 * too (the copies are what they read in the source); whoever was in the source only joins the
 * target with everything there unread but their cursor kept honest (0). Others keep theirs, so
 * the copies count as unread for them.
 */
async function carryReadPositions(
  db: Db,
  actor: Actor,
  sourceConversationId: string,
  targetConversationId: string,
  targetBefore: number,
  targetAfter: number,
  at: number,
): Promise<void> {
  const sourceLast = await targetLastSeq(db, actor, sourceConversationId);
  const inSource = await listMembers(db, actor, sourceConversationId);
  const inTarget = await listMembers(db, actor, targetConversationId);
  const targetCursor = new Map(inTarget.map((m) => [m.userId, Number(m.lastReadSeq)]));
  for (const member of inSource) {
    // The merge's own line in the source is the only message after what they could have read.
    const caughtUp = Number(member.lastReadSeq) >= sourceLast - 1;
    const cursor = targetCursor.get(member.userId);
    if (cursor === undefined) await markMemberRead(db, actor, targetConversationId, member.userId, 0, at);
    else if (caughtUp && cursor >= targetBefore) {
      await markMemberRead(db, actor, targetConversationId, member.userId, targetAfter, at);
    }
  }
}
