import { MAX_DISTINCT_REACTIONS, type Message, type MessageEditHistory, type MessageListQuery } from '@parley/protocol';
import { toIso } from '../clock';
import { can, type Actor, type Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import { inSharedTransaction } from '../db/group-commit';
import { MESSAGE_COLUMNS, type MessageRow, type TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import { AppError, notFound } from '../http/app-error';
import { readDeskSettings } from '../settings/desk-settings-service';
import { findTicketByConversation } from '../tickets/ticket-repository';
import {
  findNewestFollowUp,
  isPastReopenWindow,
  mergedInto,
  openFollowUp,
  repliesLeadTo,
  touchTicketOnReply,
  firstResponseOf,
  type Reopened,
} from '../tickets/ticket-reply';
import { attachToMessage, moveUnsentAttachments } from '../uploads/attachment-service';
import { scheduleMessageFilesRemoval } from '../uploads/upload-cleanup';
import { accessConversation, type AccessIntent, type ConversationAccess } from './conversation-access';
import { presentMessages, presentNewMessage, presentOne } from './message-presenter';
import {
  findMessage,
  findMessageByClientId,
  insertMessage,
  lastPublicSeqAtOrBelow,
  listReactionEmoji,
  lockLiveMessage,
  markMemberRead,
  advanceCursors,
  moveSenderCursor,
  updateLiveMessage,
  deleteMessageEdits,
  insertMessageEdit,
  listMessageEditRows,
} from './message-repository';

export interface SendInput {
  clientMsgId: string;
  body: string;
  internal: boolean;
  attachmentIds: string[];
  /** Answers this message of the same conversation. */
  replyToId?: string | undefined;
}

/**
 * Posts a message. Exactly once per (sender, clientMsgId): a resend, even a concurrent one,
 * returns the original with `created: false` instead of a second copy, and publishes it again:
 * if the first attempt committed but its publish was lost (the answer never came, the process
 * died), the resend is what brings the message to live subscribers. Those who have it already
 * drop the copy by its seq; its notifications are not sent twice.
 */
export async function sendMessage(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  input: SendInput,
): Promise<SendResult> {
  const access = await accessConversation(deps, actor, conversationId, { write: true, clientMsgId: input.clientMsgId });
  const replyTo = input.replyToId === undefined ? null : await replyTarget(access, deps.db, input.replyToId);
  // A reply to an internal note is a note: its preview would show the note to customers.
  const internal = input.internal || replyTo?.kind === 'note';
  if (internal && !access.ticket) {
    throw new AppError('validation_failed', 'Internal notes exist on tickets only', {
      fields: [{ in: 'body', path: 'internal', message: 'Only ticket threads take internal notes' }],
    });
  }
  if (internal && !(access.seesNotes && can(actor, 'notes.write'))) {
    throw new AppError(
      'forbidden',
      replyTo?.kind === 'note'
        ? 'A reply to an internal note is a note, and your role may not write internal notes'
        : 'Your role may not write internal notes',
    );
  }

  const original = access.alreadySent && (await findOriginal(deps.db, actor, conversationId, input.clientMsgId));
  if (original) return resent(deps, actor, original);

  const at = deps.clock.now();
  // A customer's reply to a ticket merged into another goes there (a lookup only for closed tickets).
  const merged = access.ticket?.status === 'closed' && (await mergedInto(deps.db, actor, access.ticket));
  if (merged) return sendOnTo(deps, actor, access.ticket!, merged, input);
  // Free for every send but a customer's to a ticket closed past the window: the ticket is at hand.
  if (access.ticket && isPastReopenWindow(deps, actor, access.ticket, at)) {
    return sendToFollowUp(deps, actor, access.ticket, input, at);
  }
  let reopened = null as Reopened | null;
  try {
    // Presented inside the transaction: once it commits, nothing stands between it and the publish.
    // Shared with the sends that arrive meanwhile: one commit for a busy node's many messages.
    const message = await inSharedTransaction(deps.db, conversationId, async (trx) => {
      const message = await insertMessage(trx, actor, {
        conversationId,
        senderId: actor.id,
        kind: internal ? 'note' : 'text',
        body: input.body,
        clientMsgId: input.clientMsgId,
        replyToId: replyTo?.id ?? null,
        at,
      });
      await attachToMessage(trx, actor, {
        attachmentIds: input.attachmentIds,
        conversationId,
        uploaderId: actor.id,
        messageId: message.id,
      });
      // A note moves its writer's cursor but does not make them a member: customers see members.
      await moveSenderCursor(trx, actor, conversationId, actor.id, message.seq, at, { join: message.kind !== 'note' });
      // A note is staff-only: it must not visibly move the customer's ticket either.
      if (access.ticket && message.kind !== 'note') {
        reopened = await touchTicketOnReply(trx, actor, access.ticket, message, at);
        if (reopened) await deps.reactions.record(trx, reopenedEvent(actor, access.ticket, reopened), at);
      }
      const presented = await presentNewMessage(trx, actor, message, {
        withAttachments: input.attachmentIds.length > 0,
        replyTo,
      });
      // A message in a ticket thread is recorded for durable reactions (automation rules, webhooks);
      // when no reaction wants it (nothing of the workspace listens), that adds no job and no query.
      if (access.ticket) {
        await deps.reactions.record(trx, messageCreated(actor, access, presented), at);
      }
      return presented;
    });
    // Notifications hang off this event (notifications/notification-subscriber.ts), not off the transaction.
    deps.events.publish(messageCreated(actor, access, message));
    const answered = access.ticket && message.kind !== 'note' ? firstResponseOf(actor, access.ticket, at) : null;
    if (answered) deps.events.publish({ workspaceId: actor.workspaceId, type: 'ticket.updated', ticket: answered });
    if (reopened) {
      deps.events.publish({ workspaceId: actor.workspaceId, type: 'message.created', message: reopened.systemMessage });
      deps.events.publish(reopenedEvent(actor, access.ticket!, reopened));
    }
    return { message, created: true };
  } catch (error) {
    // A concurrent resend of the same clientMsgId committed first: answer with that one.
    const raced = isUniqueViolation(error) && (await findOriginal(deps.db, actor, conversationId, input.clientMsgId));
    if (raced) return resent(deps, actor, raced);
    throw error;
  }
}

const messageCreated = (ws: Scope, access: ConversationAccess, message: Message): DomainEvent => ({
  workspaceId: ws.workspaceId,
  type: 'message.created',
  message,
  context: contextOf(access, message),
});

/** The ticket a customer's reply reopened, as an event: what it was (closed, pending, snoozed) and is now. */
const reopenedEvent = (actor: Actor, was: TicketRow, reopened: Reopened): DomainEvent => ({
  workspaceId: actor.workspaceId,
  type: 'ticket.updated',
  ticket: reopened.ticket,
  change: {
    byUserId: actor.id,
    from: { status: was.status, assigneeId: was.assigneeId, priority: was.priority, teamId: was.teamId },
  },
});

/**
 * A customer's reply to a ticket closed longer ago than the reopen window goes to a follow-up
 * ticket, opened by this reply or by an earlier one; the answer says where it went. Of two
 * replies at once, one opens the follow-up and the other, failing on its unique key, joins it.
 */
async function sendToFollowUp(
  deps: ServiceDeps,
  actor: Actor,
  closed: TicketRow,
  input: SendInput,
  at: number,
): Promise<SendResult> {
  for (let attempt = 0; ; attempt++) {
    const newest = await findNewestFollowUp(deps.db, actor, closed);
    if (newest) return sendOnTo(deps, actor, closed, newest, input);
    try {
      const { created, message } = await openFollowUp(deps, actor, closed, input, at);
      deps.events.publish({ workspaceId: actor.workspaceId, type: 'message.created', message });
      // After the message, so the conversation's one notification says "follow-up", not "message".
      deps.events.publish(created);
      return { message, created: true, movedToTicketId: created.ticket.id };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt > 0) throw error;
      // Another reply opened the follow-up first (or this very reply, resent): go again.
      const original = await findOriginal(deps.db, actor, closed.conversationId, input.clientMsgId);
      if (original) return resent(deps, actor, original);
    }
  }
}

/**
 * A reply sent to `from` that belongs in `to` (its follow-up, or the ticket it was merged into):
 * sent there, with the files uploaded where the customer wrote; the answer says where it went.
 */
async function sendOnTo(
  deps: ServiceDeps,
  actor: Actor,
  from: TicketRow,
  to: TicketRow,
  input: SendInput,
): Promise<SendResult> {
  await moveUnsentAttachments(deps.db, actor, input.attachmentIds, actor.id, from.conversationId, to.conversationId);
  // What it answered stays behind in the closed thread.
  const sent = await sendMessage(deps, actor, to.conversationId, { ...input, replyToId: undefined });
  return { ...sent, movedToTicketId: sent.movedToTicketId ?? to.id };
}

/** What the notifier would otherwise read again (see the event's `context`). */
function contextOf(access: ConversationAccess, message: Message) {
  const { ticket, conversation } = access;
  return {
    ticket: ticket && {
      id: ticket.id,
      subject: ticket.subject,
      requesterId: ticket.requesterId,
      assigneeId: ticket.assigneeId,
      channel: ticket.channel,
    },
    previousAt: message.seq === 1 ? null : conversation.updatedAt,
  };
}

export interface SendResult {
  message: Message;
  created: boolean;
  /** The reply went to this follow-up ticket, not to the closed ticket it was sent to. */
  movedToTicketId?: string;
}

function resent(deps: ServiceDeps, ws: Scope, message: Message & { movedToTicketId?: string }): SendResult {
  const { movedToTicketId, ...plain } = message;
  deps.events.publish({ workspaceId: ws.workspaceId, type: 'message.created', message: plain, resent: true });
  return { message: plain, created: false, ...(movedToTicketId && { movedToTicketId }) };
}

async function findOriginal(db: Db, actor: Actor, conversationId: string, clientMsgId: string) {
  const row = await findMessageByClientId(db, actor, actor.id, clientMsgId);
  if (!row) return undefined;
  if (row.conversationId === conversationId) return presentOne(db, actor, row);
  // Sent to a closed ticket, it landed in a follow-up or a merge's target: answered as the first send was.
  if (await repliesLeadTo(db, actor, conversationId, row.conversationId)) {
    const moved = await findTicketByConversation(db, actor, row.conversationId);
    return { ...(await presentOne(db, actor, row)), movedToTicketId: moved!.id };
  }
  throw new AppError('conflict', 'This clientMsgId was already used for a message in another conversation');
}

/** A page of history, always in ascending seq order; internal notes only for staff. */
export async function listMessages(deps: ServiceDeps, actor: Actor, conversationId: string, query: MessageListQuery) {
  const access = await accessConversation(deps, actor, conversationId);
  return {
    ...(await pageOfMessages(deps.db, actor, conversationId, access.seesNotes, query)),
    lastSeq: access.seesNotes ? access.conversation.lastSeq : access.conversation.publicLastSeq,
  };
}

/**
 * A page of the thread's messages, for a reader whose access is already decided: a request's
 * just now, or a socket's subscription (which ends when the reader's rights change).
 */
export async function pageOfMessages(
  db: Db,
  actor: Actor,
  conversationId: string,
  seesNotes: boolean,
  query: Pick<MessageListQuery, 'afterSeq' | 'beforeSeq' | 'limit'>,
): Promise<{ items: Message[]; hasMore: boolean }> {
  let select = db
    .selectFrom('messages')
    .select(MESSAGE_COLUMNS)
    .where('workspaceId', '=', actor.workspaceId)
    .where('conversationId', '=', conversationId);
  if (!seesNotes) select = select.where('kind', '!=', 'note');
  const ascending = query.afterSeq !== undefined;
  if (query.afterSeq !== undefined) select = select.where('seq', '>', query.afterSeq);
  if (query.beforeSeq !== undefined) select = select.where('seq', '<', query.beforeSeq);
  const rows = await select
    .orderBy('seq', ascending ? 'asc' : 'desc')
    .limit(query.limit + 1)
    .execute();
  const page = rows.slice(0, query.limit);
  if (!ascending) page.reverse();
  return { items: await presentMessages(db, actor, page), hasMore: rows.length > query.limit };
}

/** The message a new one answers: one of this conversation the sender sees, not deleted. */
async function replyTarget(access: ConversationAccess, db: Db, messageId: string): Promise<MessageRow> {
  const target = await findMessage(db, access.conversation, access.conversation.id, messageId);
  if (!target || (target.kind === 'note' && !access.seesNotes)) {
    throw new AppError('validation_failed', 'The message to reply to is not in this conversation', {
      fields: [{ in: 'body', path: 'replyToId', message: 'No such message here' }],
    });
  }
  if (target.deletedAt !== null) throw new AppError('conflict', 'The message to reply to was deleted');
  return target;
}

/** A message of this conversation the actor may see (notes only for staff), or 404. */
async function visibleMessage(access: ConversationAccess, db: Db, messageId: string): Promise<MessageRow> {
  const message = await findMessage(db, access.conversation, access.conversation.id, messageId);
  if (!message || (message.kind === 'note' && !access.seesNotes)) throw notFound('Message');
  return message;
}

async function ownLiveMessage(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  messageId: string,
  intent: AccessIntent,
  { moderate = false }: { moderate?: boolean } = {},
) {
  const access = await accessConversation(deps, actor, conversationId, intent);
  const message = await visibleMessage(access, deps.db, messageId);
  const mayChange = message.senderId === actor.id || (moderate && message.senderId !== null);
  if (!mayChange) throw new AppError('forbidden', 'You can change your own messages only');
  if (message.deletedAt !== null) throw new AppError('conflict', 'The message was deleted');
  return message;
}

export async function editMessage(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  messageId: string,
  body: string,
) {
  const message = await ownLiveMessage(deps, actor, conversationId, messageId, { write: true });
  const editedAt = deps.clock.now();
  const { messageEditWindowMinutes: window } = await readDeskSettings(deps.db, actor);
  if (window !== null && (window === 0 || editedAt - message.createdAt > window * 60_000)) {
    throw new AppError(
      'forbidden',
      window === 0
        ? 'Messages cannot be edited in this workspace'
        : `Messages can be edited for ${window} minutes after they are sent`,
    );
  }
  return writeAndPublish(deps, actor, message, { record: true }, async (trx) => {
    // Locked before it is read: of two edits at once, each keeps the text the other replaced.
    if (!(await lockLiveMessage(trx, actor, message.id))) throw deletedMeanwhile();
    const before = (await findMessage(trx, actor, conversationId, message.id))!;
    if (before.body === body) return;
    await updateLiveMessage(trx, actor, message.id, { body, editedAt });
    await insertMessageEdit(trx, actor, { messageId: message.id, editorId: actor.id, body: before.body, editedAt });
  });
}

/** Every edit of a message its reader may see, oldest first; none once it is deleted. */
export async function listMessageEdits(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  messageId: string,
): Promise<MessageEditHistory> {
  const access = await accessConversation(deps, actor, conversationId);
  await visibleMessage(access, deps.db, messageId);
  const rows = await listMessageEditRows(deps.db, actor, messageId);
  return { items: rows.map((r) => ({ body: r.body, editorId: r.editorId, editedAt: toIso(r.editedAt) })) };
}

/**
 * Soft delete: the message keeps its seq (no gap for clients) but loses its content. Allowed
 * after a block too: taking back your own words harms nobody. With `messages.moderate`, also
 * someone else's message in a conversation the actor can see.
 */
export async function deleteMessage(deps: ServiceDeps, actor: Actor, conversationId: string, messageId: string) {
  const moderate = can(actor, 'messages.moderate');
  const message = await ownLiveMessage(deps, actor, conversationId, messageId, {}, { moderate });
  const deletedAt = deps.clock.now();
  return writeAndPublish(deps, actor, message, { record: true }, async (trx) => {
    if (!(await updateLiveMessage(trx, actor, message.id, { body: '', deletedAt }))) throw deletedMeanwhile();
    // The earlier texts go with the text: a deleted message keeps no words.
    await deleteMessageEdits(trx, actor, message.id);
    await trx
      .deleteFrom('reactions')
      .where('workspaceId', '=', actor.workspaceId)
      .where('messageId', '=', message.id)
      .execute();
    await scheduleMessageFilesRemoval(trx, actor, message.id, deletedAt);
  });
}

const deletedMeanwhile = () => new AppError('conflict', 'The message was deleted');

/**
 * Runs `write` in a transaction and announces the message as it is after it: read back inside
 * the transaction (reactions and edits included), published right after the commit. A copy
 * from before the write would undo other writers' changes on every client that applies it.
 * `record`: an edit or a deletion, which durable reactions (webhooks) hear of too.
 */
async function writeAndPublish(
  deps: ServiceDeps,
  ws: Scope,
  message: MessageRow,
  { record }: { record: boolean },
  write: (trx: Db) => Promise<void>,
): Promise<Message> {
  const at = deps.clock.now();
  const event = await deps.db.transaction().execute(async (trx) => {
    await write(trx);
    const presented = await presentOne(trx, ws, (await findMessage(trx, ws, message.conversationId, message.id))!);
    const updated = { workspaceId: ws.workspaceId, type: 'message.updated', message: presented } as const;
    if (record) await deps.reactions.record(trx, updated, at);
    return updated;
  });
  deps.events.publish(event);
  return event.message;
}

/** Adds the actor's reaction, or removes it if it is there: one tap toggles. */
export async function toggleReaction(
  deps: ServiceDeps,
  actor: Actor,
  conversationId: string,
  messageId: string,
  emoji: string,
) {
  const access = await accessConversation(deps, actor, conversationId, { write: true });
  const message = await visibleMessage(access, deps.db, messageId);
  if (message.deletedAt !== null) throw deletedMeanwhile();
  return writeAndPublish(deps, actor, message, { record: false }, async (trx) => {
    // Locked first: toggles of one message take turns, so the cap below cannot be raced past.
    if (!(await lockLiveMessage(trx, actor, messageId))) throw deletedMeanwhile();
    const removed = await trx
      .deleteFrom('reactions')
      .where('workspaceId', '=', actor.workspaceId)
      .where('messageId', '=', messageId)
      .where('userId', '=', actor.id)
      .where('emoji', '=', emoji)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) > 0) return;
    const present = await listReactionEmoji(trx, actor, messageId);
    if (!present.includes(emoji) && present.length >= MAX_DISTINCT_REACTIONS) {
      throw new AppError(
        'conflict',
        `A message takes at most ${MAX_DISTINCT_REACTIONS} different reactions; add one of those it has`,
      );
    }
    await trx
      .insertInto('reactions')
      .values({ workspaceId: actor.workspaceId, messageId, userId: actor.id, emoji, createdAt: deps.clock.now() })
      .execute();
  });
}

/**
 * Moves the actor's read cursor forward (never back) and no further than the last message they
 * can see. The receipt reaches the other members unless a block stands between them, and
 * readers who may not see notes only when it moved past a message they can see.
 */
export async function markRead(deps: ServiceDeps, actor: Actor, conversationId: string, seq: number): Promise<void> {
  const access = await accessConversation(deps, actor, conversationId, { standing: true });
  const { conversation, membership } = access;
  const upTo = Math.min(seq, access.seesNotes ? conversation.lastSeq : conversation.publicLastSeq);
  // A member's cursors move in one statement (the usual case); joining needs the membership row.
  let before: number | null;
  if (membership) {
    await advanceCursors(deps.db, actor, conversationId, actor.id, upTo);
    before = membership.receiptSeq;
  } else {
    const at = deps.clock.now();
    before = await deps.db
      .transaction()
      .execute((trx) => markMemberRead(trx, actor, conversationId, actor.id, upTo, at));
  }
  let publicSeq: number | null | undefined;
  if (access.ticket && access.seesNotes) {
    const publicAt = (at: number) =>
      at >= conversation.publicLastSeq
        ? conversation.publicLastSeq
        : lastPublicSeqAtOrBelow(deps.db, actor, conversationId, at);
    const [now, then] = await Promise.all([publicAt(upTo), before === null ? null : publicAt(before)]);
    publicSeq = now === then ? null : now;
  }
  // Re-reading what was marked unread moves no receipt: only the reader's devices hear of it.
  // No peer to hear it in a direct conversation (a block stands between the two): the same.
  const readerOnly = (before !== null && upTo <= before) || (conversation.kind === 'direct' && !access.peerReachable);
  deps.events.publish({
    workspaceId: actor.workspaceId,
    type: 'read',
    conversationId,
    userId: actor.id,
    seq: upTo,
    ...(publicSeq !== undefined && { publicSeq }),
    ...(readerOnly && { readerOnly }),
  });
}

/**
 * A note or reply Parley writes by itself in a ticket thread (an automation rule's action). It
 * has no sender (`senderId` null), as system lines have: clients show it as Parley's, a note
 * to staff only, a text to everyone. A reply moves the ticket's time like any reply; neither is
 * recorded for reactions (what Parley says triggers no rule) nor notifies anyone.
 */
export async function sendMessageAsParley(
  deps: ServiceDeps,
  ws: Scope,
  ticket: TicketRow,
  kind: 'note' | 'text',
  body: string,
): Promise<Message> {
  const at = deps.clock.now();
  const message = await deps.db.transaction().execute(async (trx) => {
    const row = await insertMessage(trx, ws, {
      conversationId: ticket.conversationId,
      senderId: null,
      kind,
      body,
      clientMsgId: null,
      at,
    });
    if (kind === 'text') {
      await trx
        .updateTable('tickets')
        .set({ updatedAt: at })
        .where('workspaceId', '=', ws.workspaceId)
        .where('id', '=', ticket.id)
        .execute();
    }
    return presentNewMessage(trx, ws, row, { withAttachments: false, replyTo: null });
  });
  deps.events.publish({ workspaceId: ws.workspaceId, type: 'message.created', message });
  return message;
}
