import type { ServerFrame } from '@parley/protocol';
import { CLOSE_CODES } from '@parley/protocol';
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';
import type { Actor } from '../auth/actor';
import type { DomainEvent } from '../events/domain-events';
import type { LiveStatus } from './presence-store';
import { createRateLimiter } from './rate-limiter';

export type MessageEvent = Extract<DomainEvent, { type: 'message.created' | 'message.updated' }>;

export interface Subscription {
  conversationId: string;
  seesNotes: boolean;
  /** A direct chat: a block there ends writing, not reading, so frames that write ask again. */
  direct: boolean;
  /** Every message up to this seq was sent (or passed over, for a note this socket may not see). */
  lastSeq: number;
  /** The highest seq actually sent (or the starting point): what `subscribed` reports, never a hidden note's. */
  shownSeq: number;
  /** While a replay from the database runs, live events wait here so none is lost or sent twice. */
  pending: MessageEvent[] | null;
  /**
   * New messages that came before one with a lower seq: nodes (and concurrent requests on one
   * node) publish in the order they finish, not in seq order. They wait here for the missing one.
   */
  ahead: Map<number, MessageEvent>;
  gapTimer: NodeJS.Timeout | undefined;
}

export function newSubscription(
  conversationId: string,
  { seesNotes, direct }: { seesNotes: boolean; direct: boolean },
  lastSeq: number,
): Subscription {
  return {
    conversationId,
    seesNotes,
    direct,
    lastSeq,
    shownSeq: lastSeq,
    pending: [],
    ahead: new Map(),
    gapTimer: undefined,
  };
}

export interface SessionLimits {
  /** Past this many unsent bytes the client is too slow: close 4408, it resumes later. */
  maxBufferedBytes: number;
  framesPerSecond: number;
  burst: number;
  /** Frames refused for rate in a row before the socket is closed (4429). */
  maxStrikes: number;
  /** How long a message waits for a missing lower seq before that one is read from the database. */
  gapWaitMs: number;
  /** Conversations one socket may follow at once; more answer `error bad_request`. */
  maxSubscriptions: number;
  /** Frames received but not handled yet, and their bytes: past either, close 4413. */
  maxBacklogFrames: number;
  maxBacklogBytes: number;
}

let sessionCounter = 0;

/** One authenticated (or authenticating) socket and what it is subscribed to. */
export class SocketSession {
  readonly id = `s${++sessionCounter}`;
  actor: Actor | null = null;
  status: LiveStatus = 'online';
  teamIds: string[] = [];
  /** The conversation this socket shows its user in a visible window (`viewing` frame). */
  viewing: string | null = null;
  /**
   * Users whose presence this socket hears about: its contacts and the other members of the
   * conversations it follows (only while it follows them: see watchMembers).
   */
  readonly watching = new Set<string>();
  readonly subscriptions = new Map<string, Subscription>();
  /** Last typing relay per conversation, for throttling. */
  private readonly lastTypingAt = new Map<string, number>();
  expiryTimer: NodeJS.Timeout | undefined;
  /** Frames received and not handled yet (they wait in the socket's queue), and their bytes. */
  readonly backlog = { frames: 0, bytes: 0 };
  private readonly limiter: ReturnType<typeof createRateLimiter>;
  private strikes = 0;
  private readonly contacts = new Set<string>();
  /** The other members of each followed conversation, and in how many of them each user is. */
  private readonly membersOf = new Map<string, readonly string[]>();
  private readonly coMemberships = new Map<string, number>();

  constructor(
    readonly socket: WebSocket,
    private readonly limits: SessionLimits,
    /** Called with `pending` set: replay from the database, then flush `pending` (the gateway's job). */
    private readonly onGap: (subscription: Subscription) => void,
    /** Called when a subscription ends because its user left the group: unindex it. */
    private readonly onLeft: (conversationId: string) => void = () => {},
    /** Called when the socket starts (true) or stops watching a user's presence: index it. */
    private readonly onWatch: (userId: string, watched: boolean) => void = () => {},
  ) {
    this.limiter = createRateLimiter({ perSecond: limits.framesPerSecond, burst: limits.burst });
  }

  get isOpen(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  get userId(): string | undefined {
    return this.actor?.id;
  }

  send(frame: ServerFrame): void {
    this.sendSerialized(JSON.stringify(frame));
  }

  /** A frame serialized once for the many sockets it goes to (serializedMessage). */
  sendSerialized(data: string): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CLOSE_CODES.tooSlow, 'Too slow: reconnect and resume from your last seq');
      return;
    }
    holdUntilTurnEnds(this.socket);
    this.socket.send(data);
  }

  /**
   * For bulk the server itself produces (history replay): waits for the socket to drain
   * instead of cutting the client off. A client that stops reading altogether stalls here
   * until the heartbeat finds it dead.
   */
  async sendPaced(frame: ServerFrame): Promise<void> {
    if (this.socket.readyState !== this.socket.OPEN) return;
    const data = JSON.stringify(frame);
    if (this.socket.bufferedAmount < this.limits.maxBufferedBytes / 2) {
      this.socket.send(data);
      return;
    }
    await new Promise<void>((resolve) => this.socket.send(data, () => resolve()));
  }

  /** False when the frame must be refused for rate; closes the socket when abuse goes on. */
  admit(): boolean {
    if (this.limiter.take()) {
      this.strikes = 0;
      return true;
    }
    this.strikes += 1;
    if (this.strikes > this.limits.maxStrikes) this.close(CLOSE_CODES.rateLimited, 'Rate limit exceeded');
    return false;
  }

  /** False when this frame would make the backlog too long; the socket is closed then. */
  queue(bytes: number): boolean {
    if (
      this.backlog.frames >= this.limits.maxBacklogFrames ||
      this.backlog.bytes + bytes > this.limits.maxBacklogBytes
    ) {
      this.close(CLOSE_CODES.backlogFull, 'Too many frames waiting: read what the server sends');
      return false;
    }
    this.backlog.frames += 1;
    this.backlog.bytes += bytes;
    return true;
  }

  dequeue(bytes: number): void {
    this.backlog.frames -= 1;
    this.backlog.bytes -= bytes;
  }

  /** Room for one more subscription (replacing one of the same conversation is always fine). */
  maySubscribe(conversationId: string): boolean {
    return this.subscriptions.has(conversationId) || this.subscriptions.size < this.limits.maxSubscriptions;
  }

  /** Ends a subscription and what it alone kept: presence of its members, typing throttle. */
  dropSubscription(conversationId: string): boolean {
    const subscription = this.subscriptions.get(conversationId);
    if (!subscription) return false;
    clearTimeout(subscription.gapTimer);
    subscription.ahead.clear();
    this.subscriptions.delete(conversationId);
    this.lastTypingAt.delete(conversationId);
    this.unwatchMembers(conversationId);
    return true;
  }

  /** True when a typing frame may be relayed now (at most one per window per conversation). */
  mayRelayTyping(conversationId: string, now: number, throttleMs: number): boolean {
    if (now - (this.lastTypingAt.get(conversationId) ?? -Infinity) < throttleMs) return false;
    // Only entries inside the window matter; the rest go, so typing into many rooms cannot grow it.
    if (this.lastTypingAt.size >= 64) {
      for (const [id, at] of this.lastTypingAt) if (now - at >= throttleMs) this.lastTypingAt.delete(id);
    }
    this.lastTypingAt.set(conversationId, now);
    return true;
  }

  setContacts(userIds: readonly string[]): void {
    for (const id of userIds) this.linkContact(id);
  }

  linkContact(userId: string): void {
    this.contacts.add(userId);
    this.watch(userId);
  }

  /** A former contact stops being watched at once, even where it shares a conversation. */
  unlinkContact(userId: string): void {
    this.contacts.delete(userId);
    this.unwatch(userId);
  }

  private watch(userId: string): void {
    if (this.watching.has(userId)) return;
    this.watching.add(userId);
    this.onWatch(userId, true);
  }

  private unwatch(userId: string): void {
    if (this.watching.delete(userId)) this.onWatch(userId, false);
  }

  /** Follows the presence of a subscribed conversation's other members, until it is dropped. */
  watchMembers(conversationId: string, userIds: readonly string[]): void {
    this.unwatchMembers(conversationId);
    this.membersOf.set(conversationId, userIds);
    for (const id of userIds) {
      this.coMemberships.set(id, (this.coMemberships.get(id) ?? 0) + 1);
      this.watch(id);
    }
  }

  private unwatchMembers(conversationId: string): void {
    const userIds = this.membersOf.get(conversationId);
    if (!userIds) return;
    this.membersOf.delete(conversationId);
    for (const id of userIds) {
      const left = (this.coMemberships.get(id) ?? 1) - 1;
      if (left > 0) {
        this.coMemberships.set(id, left);
        continue;
      }
      this.coMemberships.delete(id);
      if (!this.contacts.has(id)) this.unwatch(id);
    }
  }

  close(code: number, reason: string): void {
    clearTimeout(this.expiryTimer);
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  /**
   * Delivers a message event on a subscription: after the replay, once, in seq order, notes only
   * to staff. A message ahead of a missing seq waits (`ahead`) for `gapWaitMs`; if the missing
   * one has not come by then (its node died before publishing), it is read from the database.
   */
  deliverMessage(subscription: Subscription, event: MessageEvent): void {
    if (subscription.pending) {
      subscription.pending.push(event);
      return;
    }
    if (event.type === 'message.updated') {
      if (visible(subscription, event)) this.sendSerialized(serializedMessage(event));
      return;
    }
    const { seq } = event.message;
    if (seq <= subscription.lastSeq) return; // sent already, by the replay or by another path
    if (seq > subscription.lastSeq + 1) {
      subscription.ahead.set(seq, event);
      subscription.gapTimer ??= setTimeout(() => this.fillGap(subscription), this.limits.gapWaitMs);
      return;
    }
    // Send it, then whatever was waiting right behind it.
    for (let next: MessageEvent | undefined = event; next; next = subscription.ahead.get(subscription.lastSeq + 1)) {
      subscription.ahead.delete(next.message.seq);
      this.sendNext(subscription, next);
    }
    if (subscription.ahead.size === 0) {
      clearTimeout(subscription.gapTimer);
      subscription.gapTimer = undefined;
    }
  }

  /** Ends a replay: the live events that waited in `pending` go out now (in seq order). */
  goLive(subscription: Subscription): void {
    const pending = subscription.pending ?? [];
    subscription.pending = null;
    for (const event of pending) this.deliverMessage(subscription, event);
  }

  private sendNext(subscription: Subscription, event: MessageEvent) {
    subscription.lastSeq = event.message.seq;
    if (!visible(subscription, event)) return;
    subscription.shownSeq = event.message.seq;
    this.sendSerialized(serializedMessage(event));
    // Seq order makes the line saying this user left the last thing they get: whatever came after
    // it (and waits in `ahead`, from a faster node) is dropped with the subscription [RT-GROUPS].
    if (removes(event, this.userId)) {
      this.dropSubscription(subscription.conversationId);
      this.onLeft(subscription.conversationId);
      this.send({ type: 'unsubscribed', conversationId: subscription.conversationId });
    }
  }

  /**
   * Reads whatever the live stream may have missed from the database (after the event bus was
   * cut off, when nobody can know which messages went by unheard).
   */
  catchUp(subscription: Subscription): void {
    clearTimeout(subscription.gapTimer);
    subscription.gapTimer = undefined;
    const current = this.subscriptions.get(subscription.conversationId) === subscription;
    if (!current || !this.isOpen || subscription.pending) return; // a replay is running: it reads them
    subscription.pending = [...subscription.ahead.values()];
    subscription.ahead.clear();
    this.onGap(subscription);
  }

  private fillGap(subscription: Subscription) {
    subscription.gapTimer = undefined;
    if (subscription.ahead.size > 0) this.catchUp(subscription);
  }
}

const removes = (event: MessageEvent, userId: string | undefined) => {
  const line = event.message.system;
  return line?.event === 'group.member_removed' && line.params.user.id === userId;
};

/**
 * Frames written to a socket in one turn of the event loop leave in one system call: a shared
 * commit publishes its messages together, and a busy room's subscriber would otherwise cost a
 * `writev` per message (most of a room's fan-out time). Nothing waits longer than the turn.
 * ws has no cork of its own; its TCP socket (`_socket`, stable since ws 1) has.
 */
const held = new Set<Duplex>();
function holdUntilTurnEnds(socket: WebSocket): void {
  const tcp = (socket as unknown as { _socket?: Duplex })._socket;
  if (!tcp || held.has(tcp)) return;
  if (held.size === 0) setImmediate(releaseHeld);
  tcp.cork();
  held.add(tcp);
}
function releaseHeld(): void {
  for (const tcp of held) tcp.uncork();
  held.clear();
}

/**
 * A message's frame is the same for every socket allowed to see it: serialized once per event,
 * not once per subscriber (a busy group's fan-out was mostly JSON.stringify).
 */
const serialized = new WeakMap<MessageEvent, string>();
const serializedMessage = (event: MessageEvent): string => {
  let data = serialized.get(event);
  if (data === undefined) {
    const frame: ServerFrame = {
      type: event.type === 'message.created' ? 'message' : 'message.updated',
      message: event.message,
    };
    serialized.set(event, (data = JSON.stringify(frame)));
  }
  return data;
};

const visible = (subscription: Subscription, event: MessageEvent) =>
  event.message.kind !== 'note' || subscription.seesNotes;
