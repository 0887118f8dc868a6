import { HIDDEN_SPOILER, plainText } from '@parley/markdown';
import type { Message, Ticket } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import { isDirectMessageWorthNotifying } from '../conversations/direct-message-notifications';
import type { Db } from '../db/connect';
import type { DomainEvent } from '../events/domain-events';
import { previewOf, type NewNotification, type NotificationSender } from './notification-content';
import {
  findPersonOfWorkspace,
  findTicketOfConversation,
  listQuietMembers,
  listOtherMembers,
  listActiveWithPermission,
  listTicketWatchers,
  previousMessageAt,
} from './notification-repository';
import { senderOf } from './notification-service';
import { mentionedReaders } from './mention-recipients';

/**
 * The one place that decides who hears of what: a committed domain event in, the notifications
 * it makes out (before anyone's viewing is taken into account).
 *
 * - A message on a ticket: its assignee, and its requester unless it is an internal note (a
 *   customer never learns of a note, let alone its text); never the writer.
 * - A message in a direct chat: the other members, when it starts the chat or breaks a silence.
 * - Anyone a message mentions who may read it (`mention-recipients.ts`), as a mention.
 * - A new ticket: the staff of its team, or those who see every ticket when it has none (the
 *   unassigned queue).
 * - A new assignee, unless they took it themselves.
 * - A customer (not staff) closing their ticket, or reopening it by a reply: its assignee.
 * - A follow-up opened by a customer's late reply: the assignee it kept (others as a new ticket).
 * - A ticket staff opened on behalf of a customer: that customer (its requester).
 * - An automation rule's "notify": the staff it names.
 * - A webhook Parley turned off (its deliveries kept failing): whoever may manage settings.
 * - A data export ready to download: the person who asked for it.
 *
 * Everything is read in the event's workspace: an event never reaches into another one.
 */
export async function notificationsOf(db: Db, event: DomainEvent): Promise<NewNotification[]> {
  if (event.type === 'message.created') return messageNotifications(db, event, event.message, event.context);
  if (event.type === 'ticket.updated' && event.change) {
    return ticketNotifications(db, event, event.ticket, event.change);
  }
  if (event.type === 'ticket.rule_notify') return ruleNotifications(event);
  if (event.type === 'webhook.disabled') {
    return (await listActiveWithPermission(db, event, 'settings.manage')).map((userId) => ({
      userId,
      kind: 'webhook.disabled',
      conversationId: null,
      seq: null,
      ids: { webhookId: event.webhookId, url: event.url },
    }));
  }
  if (event.type === 'data_export.ready') {
    return [
      {
        userId: event.userId,
        kind: 'data_export.ready',
        conversationId: null,
        seq: null,
        ids: { exportId: event.exportId },
      },
    ];
  }
  return [];
}

type MessageContext = Extract<DomainEvent, { type: 'message.created' }>['context'];

async function messageNotifications(
  db: Db,
  ws: Scope,
  message: Message,
  context: MessageContext,
): Promise<NewNotification[]> {
  if (message.senderId === null || message.kind === 'system') return [];
  const ticket = context ? context.ticket : await findTicketOfConversation(db, ws, message.conversationId);
  const mentioned = new Set(await mentionedReaders(db, ws, message));
  let recipients: string[];
  if (ticket) {
    recipients = [ticket.assigneeId, message.kind === 'note' ? null : ticket.requesterId].filter(
      (id): id is string => id !== null && id !== message.senderId,
    );
  } else {
    const previousAt = context
      ? (context.previousAt ?? undefined)
      : await previousMessageAt(db, ws, message.conversationId, message.seq);
    recipients = isDirectMessageWorthNotifying(message, previousAt)
      ? await listOtherMembers(db, ws, message.conversationId, message.senderId)
      : [];
  }
  // A muted conversation notifies its member of mentions only; one set to `none`, of nothing.
  if (recipients.length > 0 || mentioned.size > 0) {
    const quiet = await listQuietMembers(db, ws, message.conversationId);
    recipients = [...recipients.filter((id) => !quiet.mentionsOnly.has(id)), ...mentioned].filter(
      (id) => !quiet.none.has(id),
    );
  }
  recipients = [...new Set(recipients)];
  if (recipients.length === 0) return [];
  const sender = await senderOf(db, ws, message.senderId);
  const ids = { messageId: message.id, seq: message.seq, ...(!ticket && { fromUserId: message.senderId }) };
  return recipients.map((userId) => ({
    userId,
    kind: mentioned.has(userId) ? 'message.mention' : ticket ? 'ticket.message' : 'direct.message',
    conversationId: message.conversationId,
    seq: message.seq,
    ticketId: ticket?.id,
    subject: ticket?.subject,
    sender,
    preview: previewOf(plainText(message.body, { spoiler: HIDDEN_SPOILER })),
    ids,
  }));
}

type TicketChange = NonNullable<Extract<DomainEvent, { type: 'ticket.updated' }>['change']>;

async function ticketNotifications(
  db: Db,
  ws: Scope,
  ticket: Ticket,
  change: TicketChange,
): Promise<NewNotification[]> {
  const about = (userId: string, kind: NewNotification['kind'], sender?: NotificationSender, preview?: string) => ({
    userId,
    kind,
    conversationId: ticket.conversationId,
    seq: null,
    ticketId: ticket.id,
    subject: ticket.subject,
    sender,
    preview,
    ids: (change.byUserId === null ? {} : { byUserId: change.byUserId }) as Record<string, string>,
  });
  // Their name and whether they are staff here, in one read: a change is rarer than a message.
  const actor = change.byUserId === null ? undefined : await findPersonOfWorkspace(db, ws, change.byUserId);
  const sender = actor && { id: actor.id, displayName: actor.displayName, bot: actor.bot };
  const byCustomer = actor !== undefined && !actor.staff;
  if (change.from === null) {
    // A follow-up (a customer's late reply to a closed ticket) goes to the assignee it kept.
    const followUpTo = ticket.followUpOf && ticket.assigneeId !== change.byUserId ? ticket.assigneeId : null;
    const watchers = (await listTicketWatchers(db, ws, ticket.teamId)).filter(
      (id) => id !== change.byUserId && id !== followUpTo,
    );
    const openedFor = change.byUserId !== null && ticket.requesterId !== change.byUserId ? ticket.requesterId : null;
    return [
      ...(openedFor ? [about(openedFor, 'ticket.opened_for_you', sender, previewOf(ticket.description))] : []),
      ...(followUpTo ? [about(followUpTo, 'ticket.follow_up', sender)] : []),
      ...watchers.map((userId) => about(userId, 'ticket.created', sender, previewOf(ticket.description))),
    ];
  }
  const made: NewNotification[] = [];
  const { assigneeId } = ticket;
  if (assigneeId && assigneeId !== change.from.assigneeId && assigneeId !== change.byUserId) {
    made.push(about(assigneeId, 'ticket.assigned', sender));
  }
  const closedByCustomer = ticket.status === 'closed' && change.from.status !== 'closed' && byCustomer;
  if (closedByCustomer && assigneeId && assigneeId !== change.byUserId) {
    made.push(about(assigneeId, 'ticket.closed', sender));
  }
  const reopenedByCustomer = ticket.status === 'open' && change.from.status === 'closed' && byCustomer;
  if (reopenedByCustomer && assigneeId && assigneeId !== change.byUserId) {
    made.push(about(assigneeId, 'ticket.reopened', sender));
  }
  return made;
}

/** A rule's "notify" names its people itself (the rule engine kept the active staff among them). */
function ruleNotifications(event: Extract<DomainEvent, { type: 'ticket.rule_notify' }>): NewNotification[] {
  return event.userIds.map((userId) => ({
    userId,
    kind: 'ticket.rule',
    conversationId: event.conversationId,
    seq: null,
    ticketId: event.ticketId,
    subject: event.subject,
    ...(event.message && { preview: previewOf(event.message) }),
    ids: {},
  }));
}
