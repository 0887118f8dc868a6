import type { ClientFrame } from '@parley/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { UserBudget } from '../abuse/rate-limits';
import { CLOSE_CODES } from '@parley/protocol';
import type { AccessTokens } from '../auth/access-tokens';
import { relayCallSignal } from '../calls/call-signal';
import { accessConversation, listPresencePeers } from '../conversations/conversation-access';
import { currentLastSeq } from '../conversations/message-repository';
import {
  deleteMessage,
  editMessage,
  pageOfMessages,
  markRead,
  sendMessage,
  toggleReaction,
} from '../conversations/message-service';
import type { ServiceDeps } from '../deps';
import { can } from '../auth/actor';
import { AppError } from '../http/app-error';
import { authenticate } from '../http/auth-guard';
import { markConversationNotificationsRead } from '../notifications/notification-service';
import { ACCESS_CHANGED, renewalKeepsAccess } from './access-revalidation';
import { errorOfFrame } from './frame-errors';
import type { PresenceTracker } from './presence-tracker';
import { newSubscription, type SocketSession, type Subscription } from './socket-session';
import { announceViewers } from './ticket-viewers';
import type { ViewingStore } from './viewing-store';

export interface RealtimeContext {
  deps: ServiceDeps;
  accessTokens: AccessTokens;
  presence: PresenceTracker;
  viewing: ViewingStore;
  typingThrottleMs: number;
  typingExpiresMs: number;
  /** The user's write budget, shared with REST and the user's other sockets. */
  spendWrite: UserBudget;
  /** The user's budget of call signals, shared by their sockets (apart from writes). */
  spendSignal: UserBudget;
  log: FastifyBaseLogger;
  /** Indexes the gateway keeps so events find their sockets without scanning them all. */
  index: {
    authenticated(session: SocketSession): void;
    subscribed(session: SocketSession, conversationId: string): void;
    unsubscribed(session: SocketSession, conversationId: string): void;
  };
}

type Handler<T extends ClientFrame['type']> = (
  ctx: RealtimeContext,
  session: SocketSession,
  frame: Extract<ClientFrame, { type: T }>,
) => Promise<void>;

const REPLAY_PAGE = 100;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Signs the socket in, or renews its token in-band; the user may not change mid-socket. */
const auth: Handler<'auth'> = async (ctx, session, frame) => {
  let verified;
  try {
    verified = await authenticate({ db: ctx.deps.db, accessTokens: ctx.accessTokens }, frame.token);
  } catch (error) {
    // Only a refused token means "sign in again"; a database that did not answer means "retry":
    // closing with 4401 for it would send every client off to refresh its tokens at once.
    if (!(error instanceof AppError)) {
      session.close(CLOSE_CODES.tryAgainLater, 'Could not check the token: reconnect in a moment');
      throw error; // the gateway logs it
    }
    session.close(CLOSE_CODES.unauthorized, error.message);
    return;
  }
  if (!session.isOpen) return; // closed while the token was checked: nobody to sign in
  if (verified.actor.apiToken && !verified.actor.apiToken.scopes.has('realtime')) {
    session.close(CLOSE_CODES.unauthorized, 'This API token has no realtime scope');
    return;
  }
  if (session.actor && session.actor.id !== verified.actor.id) {
    session.close(CLOSE_CODES.unauthorized, 'A socket belongs to one user');
    return;
  }
  if (session.actor && session.actor.workspaceId !== verified.actor.workspaceId) {
    session.close(CLOSE_CODES.unauthorized, 'A socket belongs to one workspace: open another for that one');
    return;
  }
  // A renewal must not carry over rights the user lost (an access.changed may have gone astray).
  if (session.actor && !(await renewalKeepsAccess(ctx.deps.db, session, verified.actor))) {
    session.close(CLOSE_CODES.unauthorized, ACCESS_CHANGED);
    return;
  }
  const first = !session.actor;
  // A renewal kept the teams (renewalKeepsAccess): the socket need not read them again.
  session.actor = first ? verified.actor : { ...verified.actor, teamIds: session.actor!.teamIds };
  clearTimeout(session.expiryTimer);
  const left = verified.expiresAt - ctx.deps.clock.now();
  if (left < MAX_TIMER_MS) {
    session.expiryTimer = setTimeout(() => session.close(CLOSE_CODES.unauthorized, 'Access token expired'), left);
  }
  if (first) ctx.index.authenticated(session);
};

/**
 * One conversation, or many at once (`conversations`): each of those is answered on its own,
 * by `subscribed` or by an `error` that names it, so one refusal does not stop the others.
 */
const subscribe: Handler<'subscribe'> = async (ctx, session, frame) => {
  if (!frame.conversations) return subscribeOne(ctx, session, frame.conversationId!, frame.afterSeq);
  for (const { conversationId, afterSeq } of frame.conversations) {
    if (!session.isOpen) return;
    try {
      await subscribeOne(ctx, session, conversationId, afterSeq);
    } catch (error) {
      const { code, message } = errorOfFrame(error, ctx.log, frame.type);
      session.send({ type: 'error', code, message, conversationId, ...(frame.ref && { ref: frame.ref }) });
    }
  }
};

/** Replays what the client missed, then goes live: no gap, no duplicate (see Subscription.pending). */
async function subscribeOne(ctx: RealtimeContext, session: SocketSession, conversationId: string, afterSeq?: number) {
  const actor = session.actor!;
  const access = await accessConversation(ctx.deps, actor, conversationId);
  if (!session.maySubscribe(conversationId)) {
    throw new AppError('bad_request', 'Too many subscriptions on this socket: unsubscribe from some first');
  }
  const subscription = newSubscription(
    conversationId,
    { seesNotes: access.seesNotes, direct: access.conversation.kind === 'direct' },
    afterSeq ?? 0,
  );
  // Listen first, read second: whatever commits in between is caught in `pending`.
  session.subscriptions.set(conversationId, subscription);
  ctx.index.subscribed(session, conversationId);
  try {
    if (afterSeq === undefined) {
      const lastSeq = await currentLastSeq(ctx.deps.db, actor, conversationId, access.seesNotes);
      subscription.lastSeq = subscription.shownSeq = lastSeq;
      session.goLive(subscription);
    } else {
      await replayMissed(ctx, session, subscription);
    }
  } catch (error) {
    // Never live, it would hold every later event in `pending`: the client is told, and may retry.
    if (session.subscriptions.get(conversationId) === subscription) {
      session.dropSubscription(conversationId);
      ctx.index.unsubscribed(session, conversationId);
    }
    throw error;
  }
  session.send({ type: 'subscribed', conversationId, lastSeq: subscription.shownSeq });
  // Its `viewing` came first (before this subscription could hear the `viewers` it caused):
  // who else is looking, now [RT-VIEWERS]. Only when this socket shows the thread.
  if (session.viewing === conversationId && access.seesNotes) {
    const userIds = await ctx.viewing.staffViewing(conversationId);
    if (session.subscriptions.get(conversationId) === subscription) {
      session.send({ type: 'viewers', conversationId, userIds });
    }
  }

  const others = await listPresencePeers(ctx.deps, actor, conversationId);
  if (session.subscriptions.get(conversationId) !== subscription) return; // unsubscribed meanwhile
  session.watchMembers(conversationId, others);
  for (const [userId, status] of await ctx.presence.statusOf(actor, others)) {
    if (status !== 'offline') session.send({ type: 'presence', userId, status });
  }
}

/**
 * Sends the subscription's messages after its `lastSeq` from the database, then the live events
 * that came meanwhile (`pending`, which must be set). After a subscribe, and when a gap in the
 * live stream does not close by itself.
 */
export async function replayMissed(ctx: RealtimeContext, session: SocketSession, subscription: Subscription) {
  for (;;) {
    // The subscription decided access (and ends when it changes): the page need not again.
    const page = await pageOfMessages(
      ctx.deps.db,
      session.actor!,
      subscription.conversationId,
      subscription.seesNotes,
      {
        afterSeq: subscription.lastSeq,
        limit: REPLAY_PAGE,
      },
    );
    for (const message of page.items) {
      subscription.lastSeq = subscription.shownSeq = message.seq;
      await session.sendPaced({ type: 'message', message });
    }
    if (!page.hasMore || !session.isOpen) break;
  }
  session.goLive(subscription);
}

const unsubscribe: Handler<'unsubscribe'> = async (ctx, session, frame) => {
  session.dropSubscription(frame.conversationId);
  ctx.index.unsubscribed(session, frame.conversationId);
  session.send({ type: 'unsubscribed', conversationId: frame.conversationId });
};

/**
 * Acked only after the commit; a resend of the same clientMsgId gets the original's ack. A reply
 * that went to a follow-up ticket is acked with that ticket's thread and id [RT-REOPEN].
 */
const send: Handler<'message.send'> = async (ctx, session, frame) => {
  const { message, movedToTicketId } = await sendMessage(ctx.deps, session.actor!, frame.conversationId, frame);
  session.send({
    type: 'ack',
    clientMsgId: frame.clientMsgId,
    conversationId: message.conversationId,
    messageId: message.id,
    seq: message.seq,
    ...(movedToTicketId && { movedToTicketId }),
  });
};

const edit: Handler<'message.edit'> = async (ctx, session, frame) => {
  await editMessage(ctx.deps, session.actor!, frame.conversationId, frame.messageId, frame.body);
};

const remove: Handler<'message.delete'> = async (ctx, session, frame) => {
  await deleteMessage(ctx.deps, session.actor!, frame.conversationId, frame.messageId);
};

const reaction: Handler<'reaction'> = async (ctx, session, frame) => {
  await toggleReaction(ctx.deps, session.actor!, frame.conversationId, frame.messageId, frame.emoji);
};

/** Relayed at most once per throttle window per conversation; clients expire it themselves. */
const typing: Handler<'typing'> = async (ctx, session, frame) => {
  const subscription = session.subscriptions.get(frame.conversationId);
  if (frame.internal && subscription && !subscription.seesNotes) {
    throw new AppError('forbidden', 'Only staff type internal notes');
  }
  if (!session.mayRelayTyping(frame.conversationId, ctx.deps.clock.now(), ctx.typingThrottleMs)) return;
  // Typing is writing: authorized like a send, once per window. The socket's subscription proved
  // it already (one that ends is dropped: fan-out.ts, [RT-GROUPS]), except in a direct chat, where
  // a block stops the writing and not the reading.
  const seesNotes =
    subscription && !subscription.direct
      ? subscription.seesNotes
      : (await accessConversation(ctx.deps, session.actor!, frame.conversationId, { write: true })).seesNotes;
  if (frame.internal && !(seesNotes && can(session.actor!, 'notes.write'))) {
    throw new AppError('forbidden', 'Your role may not write internal notes');
  }
  await spendWrite(ctx, session); // only a relayed one: it reaches the other members
  ctx.deps.events.publish({
    workspaceId: session.actor!.workspaceId,
    type: 'typing',
    conversationId: frame.conversationId,
    userId: session.actor!.id,
    internal: frame.internal,
  });
};

const read: Handler<'read'> = async (ctx, session, frame) => {
  await markRead(ctx.deps, session.actor!, frame.conversationId, frame.seq);
};

/** Only a change counts (and goes out to every contact): flips spend the user's write budget. */
const presence: Handler<'presence'> = async (ctx, session, frame) => {
  if (frame.status === session.status) return;
  await spendWrite(ctx, session);
  session.status = frame.status;
  ctx.presence.set(session.actor!, session.actor!.id, session.id, frame.status);
};

/** Every signal spends the budget, relayed or refused: probing costs as much as talking. */
const callSignal: Handler<'call.signal'> = async (ctx, session, frame) => {
  if (!(await ctx.spendSignal(session.actor!.id))) {
    throw new AppError('rate_limited', 'Too many call signals from this user: wait a moment and retry');
  }
  await relayCallSignal(ctx.deps, session.actor!, frame);
};

/** Frames that change shared state; each spends one write of the user's per-minute budget. */
export const WRITE_FRAMES: ReadonlySet<ClientFrame['type']> = new Set([
  'message.send',
  'message.edit',
  'message.delete',
  'reaction',
  'read',
]);

export async function spendWrite(ctx: RealtimeContext, session: SocketSession): Promise<void> {
  if (!(await ctx.spendWrite(session.actor!.id))) {
    throw new AppError('rate_limited', 'Too many writes from this user: wait a moment and retry');
  }
}

/**
 * The conversation the user now has in front of them on this socket (or nothing): messages there
 * notify them no more, and opening it answers its notifications. Only one they may read.
 */
const viewing: Handler<'viewing'> = async (ctx, session, frame) => {
  const actor = session.actor!;
  const { conversationId } = frame;
  const access = conversationId ? await accessConversation(ctx.deps, actor, conversationId) : null;
  if (!session.isOpen || session.viewing === conversationId) return;
  const before = session.viewing;
  session.viewing = conversationId;
  // Staff who see a ticket's notes are shown to each other as looking at it (collision).
  await ctx.viewing.set(actor.id, session.id, conversationId, access?.seesNotes ?? false);
  await announceViewers(ctx.viewing, ctx.deps.events, actor, [before, conversationId]);
  if (conversationId) await markConversationNotificationsRead(ctx.deps, actor, actor.id, conversationId);
};

const ping: Handler<'ping'> = async (_ctx, session, frame) => {
  session.send({ type: 'pong', ...(frame.ref && { ref: frame.ref }) });
};

/** One handler per client frame type; adding a frame means adding a line here. */
export const FRAME_HANDLERS: { [T in ClientFrame['type']]: Handler<T> } = {
  auth,
  subscribe,
  unsubscribe,
  'message.send': send,
  'message.edit': edit,
  'message.delete': remove,
  reaction,
  typing,
  read,
  presence,
  'call.signal': callSignal,
  ping,
  viewing,
};
