import { CLOSE_CODES, type PresenceStatus, type ServerFrame } from '@parley/protocol';
import type { DomainEvent } from '../events/domain-events';
import { isStaff } from '../auth/actor';
import { canSeeTicket, ticketAsSeenBy } from '../tickets/ticket-policy';
import { ACCESS_CHANGED } from './access-revalidation';
import { leaveIndex, memberKey } from './session-index';
import type { SocketSession } from './socket-session';

export interface SessionIndex {
  /** By `memberKey(workspace, user)`. */
  byUser: Map<string, Set<SocketSession>>;
  /** Conversation ids are unique across workspaces, and a socket subscribes only to its own workspace's. */
  byConversation: Map<string, Set<SocketSession>>;
  /** By `memberKey(workspace, user)`: the sockets that hear of that user's presence (SocketSession.watching). */
  byWatched: Map<string, Set<SocketSession>>;
  all: Set<SocketSession>;
}

export interface FanOutOptions {
  typingExpiresMs: number;
  presenceOf(workspaceId: string, userId: string): Promise<PresenceStatus>;
}

type Route<T extends DomainEvent['type']> = (
  index: SessionIndex,
  event: Extract<DomainEvent, { type: T }>,
  opts: FanOutOptions,
) => void;

const none = new Set<SocketSession>();

function message(index: SessionIndex, event: Extract<DomainEvent, { type: 'message.created' | 'message.updated' }>) {
  for (const session of index.byConversation.get(event.message.conversationId) ?? none) {
    if (session.actor?.workspaceId !== event.workspaceId) continue;
    const subscription = session.subscriptions.get(event.message.conversationId);
    if (subscription) session.deliverMessage(subscription, event);
  }
}

/**
 * Receipts go to the conversation's subscribers (not across a block) and to the reader's other
 * tabs and devices. A subscriber who may not see notes gets the receipt at the last message
 * they can see, and none at all when only notes were read.
 */
const read: Route<'read'> = (index, event) => {
  const targets = new Set([
    ...(event.readerOnly ? none : (index.byConversation.get(event.conversationId) ?? none)),
    ...(index.byUser.get(memberKey(event, event.userId)) ?? none),
  ]);
  for (const session of targets) {
    const seesAll =
      session.userId === event.userId ||
      event.publicSeq === undefined ||
      session.subscriptions.get(event.conversationId)?.seesNotes;
    const seq = seesAll ? event.seq : event.publicSeq;
    if (seq === null || seq === undefined) continue;
    const { markedUnread } = event;
    session.send({
      type: 'read',
      conversationId: event.conversationId,
      userId: event.userId,
      seq,
      ...(markedUnread && session.userId === event.userId && { markedUnread }),
    });
  }
};

const typing: Route<'typing'> = (index, event, opts) => {
  for (const session of index.byConversation.get(event.conversationId) ?? none) {
    if (session.userId === event.userId) continue;
    if (event.internal && !session.subscriptions.get(event.conversationId)?.seesNotes) continue;
    session.send({
      type: 'typing',
      conversationId: event.conversationId,
      userId: event.userId,
      expiresInMs: opts.typingExpiresMs,
    });
  }
};

/**
 * To every socket whose user may see the ticket, dashboards included. A subscriber who may no
 * longer see it (moved to another team) loses the subscription on the spot.
 */
const ticketUpdated: Route<'ticket.updated'> = (index, event) => {
  for (const session of index.all) {
    if (session.actor?.workspaceId !== event.workspaceId) continue;
    if (canSeeTicket(session.actor, event.ticket, session.teamIds)) {
      session.send({ type: 'ticket.updated', ticket: ticketAsSeenBy(session.actor, event.ticket) });
    } else if (session.dropSubscription(event.ticket.conversationId)) {
      leaveIndex(index.byConversation, event.ticket.conversationId, session);
      session.send({ type: 'unsubscribed', conversationId: event.ticket.conversationId });
    }
  }
};

/** To every socket whose user may see the ticket: its staff, and the requester's other devices. */
const ticketCsat: Route<'ticket.csat_answered'> = (index, event) => {
  for (const session of index.all) {
    if (session.actor?.workspaceId !== event.workspaceId) continue;
    if (canSeeTicket(session.actor, event.ticket, session.teamIds)) {
      session.send({ type: 'ticket.csat', ticketId: event.ticket.id, survey: event.survey });
    }
  }
};

/** Labels are internal: staff who may see the ticket hear its new set, customers never. */
const ticketLabels: Route<'ticket.labels_changed'> = (index, event) => {
  for (const session of index.all) {
    const actor = session.actor;
    if (actor?.workspaceId !== event.workspaceId || !isStaff(actor)) continue;
    if (canSeeTicket(actor, event.ticket, session.teamIds)) {
      session.send({ type: 'ticket.labels', ticketId: event.ticket.id, labels: event.labels });
    }
  }
};

/** To the conversation's staff members' sockets (as the service listed them), staff only. */
const conversationLabels: Route<'conversation.labels_changed'> = (index, event) => {
  for (const userId of event.staffIds) {
    for (const session of index.byUser.get(memberKey(event, userId)) ?? none) {
      if (session.actor && isStaff(session.actor)) {
        session.send({ type: 'conversation.labels', conversationId: event.conversationId, labels: event.labels });
      }
    }
  }
};

/** Label changes reach every staff socket of the workspace (customers never see labels). */
const toStaff = (index: SessionIndex, workspaceId: string, frame: ServerFrame) => {
  for (const session of index.all) {
    if (session.actor?.workspaceId === workspaceId && isStaff(session.actor)) session.send(frame);
  }
};

/** To every socket of one user: their other tabs and devices included. */
const toUser = (index: SessionIndex, ws: { workspaceId: string }, userId: string, frame: ServerFrame) => {
  for (const session of index.byUser.get(memberKey(ws, userId)) ?? none) session.send(frame);
};

const notification: Route<'notification'> = (index, event) =>
  toUser(index, event, event.userId, { type: 'notification', notification: event.notification });

/** The user's other tabs and devices drop the entries from their lists and badges too. */
const notificationsRead: Route<'notifications.read'> = (index, { type, userId, workspaceId, ...frame }) =>
  toUser(index, { workspaceId }, userId, { type, ...frame });

/** To the member's own sockets (the creator's other tabs included); they subscribe to follow it. */
const conversationCreated: Route<'conversation.created'> = (index, event) =>
  toUser(index, event, event.userId, { type: 'conversation.created', conversation: event.conversation });

/** To the sockets of the group's members (the changer's other tabs too). */
const conversationUpdated: Route<'conversation.updated'> = (index, event) => {
  for (const userId of event.userIds) {
    toUser(index, event, userId, { type: 'conversation.updated', conversation: event.conversation });
  }
};

/**
 * To the former member's sockets. A subscribed one ended the subscription at the line saying
 * so (seq order, see SocketSession); one that had not seen that line yet keeps the lines before
 * it coming until it arrives, so nothing said while they were a member is lost.
 */
const conversationRemoved: Route<'conversation.removed'> = (index, event) =>
  toUser(index, event, event.userId, { type: 'conversation.removed', conversationId: event.conversationId });

const presence: Route<'presence'> = (index, event) => {
  for (const session of index.byWatched.get(memberKey(event, event.userId)) ?? none) {
    session.send({ type: 'presence', userId: event.userId, status: event.status });
  }
};

/** To every device of the recipient: the one in the call takes it, the others ignore it. */
const callSignal: Route<'call.signal'> = (index, { workspaceId, callId, fromUserId, toUserId, payload }) =>
  toUser(index, { workspaceId }, toUserId, { type: 'call.signal', callId, fromUserId, payload });

/**
 * New contacts see each other's presence from now on (starting with the current status);
 * former contacts, a blocked user included, stop seeing it.
 */
const contactsChanged: Route<'contacts.changed'> = (index, event, opts) => {
  for (const [userId, otherId] of [event.userIds, [event.userIds[1], event.userIds[0]]]) {
    const sessions = [...(index.byUser.get(memberKey(event, userId!)) ?? none)];
    if (sessions.length === 0) continue;
    for (const session of sessions) session[event.linked ? 'linkContact' : 'unlinkContact'](otherId!);
    if (!event.linked) continue;
    void opts.presenceOf(event.workspaceId, otherId!).then((status) => {
      for (const session of sessions) session.send({ type: 'presence', userId: otherId!, status });
    });
  }
};

/**
 * Sockets cache the user's role and teams from when they authenticated; closing them makes the
 * client re-authenticate (a deactivated user then fails), so no socket keeps stale rights.
 */
const accessChanged: Route<'access.changed'> = (index, event) => {
  for (const session of index.byUser.get(memberKey(event, event.userId)) ?? none) {
    session.close(CLOSE_CODES.unauthorized, ACCESS_CHANGED);
  }
};

/** Branding changed: every socket of the workspace hears it. */
const workspaceUpdated: Route<'workspace.updated'> = (index, event) => {
  for (const session of index.all) {
    if (session.actor?.workspaceId === event.workspaceId) {
      session.send({ type: 'workspace.updated', workspace: event.workspace });
    }
  }
};

/** A suspended (or deleted) workspace keeps no socket: reconnecting fails, as signing in does. */
const workspaceClosed: Route<'workspace.closed'> = (index, event) => {
  for (const session of index.all) {
    if (session.actor?.workspaceId === event.workspaceId) session.close(CLOSE_CODES.unauthorized, WORKSPACE_CLOSED);
  }
};

/** The close reason a socket of a suspended or deleted workspace gets. */
export const WORKSPACE_CLOSED = 'workspace closed';

/** Who is looking at a conversation: to its staff subscribers only, never to a customer [RT-VIEWERS]. */
const viewers: Route<'viewers'> = (index, event) => {
  for (const session of index.byConversation.get(event.conversationId) ?? none) {
    if (session.actor?.workspaceId !== event.workspaceId) continue;
    if (!session.subscriptions.get(event.conversationId)?.seesNotes) continue;
    session.send({ type: 'viewers', conversationId: event.conversationId, userIds: event.userIds });
  }
};

const ROUTES: { [T in DomainEvent['type']]: Route<T> } = {
  'message.created': (index, event) => message(index, event),
  'message.updated': (index, event) => message(index, event),
  read,
  typing,
  'ticket.updated': ticketUpdated,
  'ticket.labels_changed': ticketLabels,
  'ticket.csat_answered': ticketCsat,
  'conversation.labels_changed': conversationLabels,
  'label.updated': (index, { workspaceId, label }) => toStaff(index, workspaceId, { type: 'label.updated', label }),
  'label.deleted': (index, { workspaceId, labelId }) => toStaff(index, workspaceId, { type: 'label.deleted', labelId }),
  'customer.fields_changed': (index, { workspaceId, userId, values }) =>
    toStaff(index, workspaceId, { type: 'customer.fields', userId, ...values }),
  'customer.notes_changed': (index, { workspaceId, customerId, notes }) =>
    toStaff(index, workspaceId, { type: 'customer.notes', customerId, notes }),
  // For reactions only: sockets learn of SLA states from the ticket's own `ticket.updated`.
  'ticket.sla': () => {},
  // For notifications only: the notification itself reaches its person's sockets.
  'ticket.rule_notify': () => {},
  // For auto-assignment only (recorded, never published).
  'staff.left': () => {},
  'staff.available': () => {},
  'automation.rules_changed': () => {},
  'webhooks.changed': () => {},
  // For notifications only: the notification itself reaches the admins' sockets.
  'webhook.disabled': () => {},
  'data_export.ready': () => {},
  notification,
  'notifications.read': notificationsRead,
  'conversation.created': conversationCreated,
  'conversation.updated': conversationUpdated,
  'conversation.removed': conversationRemoved,
  'message.saved': (index, { workspaceId, userId, messageId, saved }) =>
    toUser(index, { workspaceId }, userId, { type: 'message.saved', messageId, saved }),
  'conversation.muted': (index, { workspaceId, userId, conversationId, muted, notify }) =>
    toUser(index, { workspaceId }, userId, { type: 'conversation.muted', conversationId, muted, notify }),
  presence,
  'call.signal': callSignal,
  'call.updated': (index, { workspaceId, call }) => {
    for (const { userId } of call.participants) toUser(index, { workspaceId }, userId, { type: 'call.updated', call });
  },
  'contacts.changed': contactsChanged,
  'access.changed': accessChanged,
  'workspace.updated': workspaceUpdated,
  'workspace.closed': workspaceClosed,
  viewers,
};

/** Hands one committed event to the sockets of this node that should hear of it. */
export function fanOut(index: SessionIndex, event: DomainEvent, opts: FanOutOptions): void {
  (ROUTES[event.type] as Route<typeof event.type>)(index, event, opts);
}
