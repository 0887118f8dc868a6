import type { ServerFrame } from '@parley/protocol';
import { CLOSE_CODES } from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { Actor } from '../auth/actor';
import type { DomainEvent } from '../events/domain-events';
import type { LiveStatus } from './presence-store';
import { createRateLimiter } from './rate-limiter';

export interface Subscription {
  conversationId: string;
  seesNotes: boolean;
  /** Highest message seq sent on this subscription: the no-duplicate line for live events. */
  lastSeq: number;
  /** While the history replay runs, live events wait here so none is lost or sent twice. */
  pending: DomainEvent[] | null;
}

export interface SessionLimits {
  /** Past this many unsent bytes the client is too slow: close 4408, it resumes later. */
  maxBufferedBytes: number;
  framesPerSecond: number;
  burst: number;
  /** Frames refused for rate in a row before the socket is closed (4429). */
  maxStrikes: number;
}

let sessionCounter = 0;

/** One authenticated (or authenticating) socket and what it is subscribed to. */
export class SocketSession {
  readonly id = `s${++sessionCounter}`;
  actor: Actor | null = null;
  status: LiveStatus = 'online';
  teamIds: string[] = [];
  /** Users whose presence this socket hears about: its contacts and co-members. */
  readonly watching = new Set<string>();
  readonly subscriptions = new Map<string, Subscription>();
  /** Last typing relay per conversation, for throttling. */
  readonly lastTypingAt = new Map<string, number>();
  expiryTimer: NodeJS.Timeout | undefined;
  private readonly limiter: ReturnType<typeof createRateLimiter>;
  private strikes = 0;

  constructor(
    readonly socket: WebSocket,
    private readonly limits: SessionLimits,
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
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CLOSE_CODES.tooSlow, 'Too slow: reconnect and resume from your last seq');
      return;
    }
    this.socket.send(JSON.stringify(frame));
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

  close(code: number, reason: string): void {
    clearTimeout(this.expiryTimer);
    if (this.socket.readyState === this.socket.OPEN || this.socket.readyState === this.socket.CONNECTING) {
      this.socket.close(code, reason);
    }
  }

  /** Delivers a message event on a subscription: after the replay, once, notes only to staff. */
  deliverMessage(
    subscription: Subscription,
    event: Extract<DomainEvent, { type: 'message.created' | 'message.updated' }>,
  ): void {
    if (event.message.kind === 'note' && !subscription.seesNotes) return;
    if (subscription.pending) {
      subscription.pending.push(event);
      return;
    }
    if (event.type === 'message.created') {
      if (event.message.seq <= subscription.lastSeq) return;
      subscription.lastSeq = event.message.seq;
      this.send({ type: 'message', message: event.message });
    } else {
      this.send({ type: 'message.updated', message: event.message });
    }
  }
}
