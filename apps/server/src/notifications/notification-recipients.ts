import type { Message, Ticket } from '@parley/protocol';
import { isDirectMessageWorthNotifying } from '../conversations/direct-message-notifications';
import type { Db } from '../db/connect';
import type { DomainEvent } from '../events/domain-events';
import { previewOf, type NewNotification, type NotificationSender } from './notification-content';
import {
  findPerson,
  findTicketOfConversation,
  listOtherMembers,
  listTicketWatchers,
  previousMessageAt,
} from './notification-repository';
import { senderOf } from './notification-service';

/**
 * The one place that decides who hears of what: a committed domain event in, the notifications
 * it makes out (before anyone's viewing is taken into account).
 *
 * - A message on a ticket: its assignee, and its requester unless it is an internal note (a
 *   customer never learns of a note, let alone its text); never the writer.
 * - A message in a direct chat: the other members, when it starts the chat or breaks a silence.
 * - A new ticket: the agents of its team, or the admins when it has none (the unassigned queue).
 * - A new assignee, unless they took it themselves.
 * - A customer closing their ticket, or reopening it by a reply: its assignee.
 * - A follow-up opened by a customer's late reply: the assignee it kept (others as a new ticket).
 */
export async function notificationsOf(db: Db, event: DomainEvent): Promise<NewNotification[]> {
  if (event.type === 'message.created') return messageNotifications(db, event.message, event.context);
  if (event.type === 'ticket.updated' && event.change) return ticketNotifications(db, event.ticket, event.change);
  return [];
}

type MessageContext = Extract<DomainEvent, { type: 'message.created' }>['context'];

async function messageNotifications(db: Db, message: Message, context: MessageContext): Promise<NewNotification[]> {
  if (message.senderId === null || message.kind === 'system') return [];
  const ticket = context ? context.ticket : await findTicketOfConversation(db, message.conversationId);
  let recipients: string[];
  if (ticket) {
    recipients = [ticket.assigneeId, message.kind === 'note' ? null : ticket.requesterId].filter(
      (id): id is string => id !== null && id !== message.senderId,
    );
  } else {
    const previousAt = context
      ? (context.previousAt ?? undefined)
      : await previousMessageAt(db, message.conversationId, message.seq);
    if (!isDirectMessageWorthNotifying(message, previousAt)) return [];
    recipients = await listOtherMembers(db, message.conversationId, message.senderId);
  }
  if (recipients.length === 0) return [];
  const sender = await senderOf(db, message.senderId);
  const ids = { messageId: message.id, seq: message.seq, ...(!ticket && { fromUserId: message.senderId }) };
  return [...new Set(recipients)].map((userId) => ({
    userId,
    kind: ticket ? 'ticket.message' : 'direct.message',
    conversationId: message.conversationId,
    seq: message.seq,
    ticketId: ticket?.id,
    subject: ticket?.subject,
    sender,
    preview: previewOf(message.body),
    ids,
  }));
}

type TicketChange = NonNullable<Extract<DomainEvent, { type: 'ticket.updated' }>['change']>;

async function ticketNotifications(db: Db, ticket: Ticket, change: TicketChange): Promise<NewNotification[]> {
  const about = (userId: string, kind: NewNotification['kind'], sender?: NotificationSender, preview?: string) => ({
    userId,
    kind,
    conversationId: ticket.conversationId,
    seq: null,
    ticketId: ticket.id,
    subject: ticket.subject,
    sender,
    preview,
    ids: { byUserId: change.byUserId },
  });
  const actor = await findPerson(db, change.byUserId);
  const sender = actor && { id: actor.id, displayName: actor.displayName };
  if (change.from === null) {
    // A follow-up (a customer's late reply to a closed ticket) goes to the assignee it kept.
    const followUpTo = ticket.followUpOf && ticket.assigneeId !== change.byUserId ? ticket.assigneeId : null;
    const watchers = (await listTicketWatchers(db, ticket.teamId)).filter(
      (id) => id !== change.byUserId && id !== followUpTo,
    );
    return [
      ...(followUpTo ? [about(followUpTo, 'ticket.follow_up', sender)] : []),
      ...watchers.map((userId) => about(userId, 'ticket.created', sender, previewOf(ticket.description))),
    ];
  }
  const made: NewNotification[] = [];
  const { assigneeId } = ticket;
  if (assigneeId && assigneeId !== change.from.assigneeId && assigneeId !== change.byUserId) {
    made.push(about(assigneeId, 'ticket.assigned', sender));
  }
  const closedByCustomer = ticket.status === 'closed' && change.from.status !== 'closed' && actor?.role === 'customer';
  if (closedByCustomer && assigneeId && assigneeId !== change.byUserId) {
    made.push(about(assigneeId, 'ticket.closed', sender));
  }
  const reopenedByCustomer = ticket.status === 'open' && change.from.status === 'closed' && actor?.role === 'customer';
  if (reopenedByCustomer && assigneeId && assigneeId !== change.byUserId) {
    made.push(about(assigneeId, 'ticket.reopened', sender));
  }
  return made;
}
