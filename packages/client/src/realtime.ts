import type { ClientFrameInput, ServerFrame } from '@parley/protocol';
import { CLOSE_CODES, MAX_SUBSCRIBE_BATCH, PROTOCOL_VERSION } from '@parley/protocol/constants';
import { Emitter } from './emitter';

/** What the client needs of a WebSocket: browsers, React Native and the `ws` package all fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}
/** Any WebSocket class (the browser's, React Native's, `ws`); used through `WebSocketLike`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => object;

/** Tells the session when the device goes offline and back (NetInfo, `navigator.onLine`...). */
export interface NetworkMonitor {
  isOnline(): boolean;
  onChange(listener: (online: boolean) => void): () => void;
}

export type RealtimeStatus = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'offline' | 'signed-out' | 'closed';

type FrameEvents = { [K in ServerFrame['type']]: Extract<ServerFrame, { type: K }> };
export type RealtimeEvents = FrameEvents & { status: RealtimeStatus };

export interface RealtimeOptions {
  /** The server's base URL, e.g. `https://parley.example` (`/ws` is added). */
  baseUrl: string;
  /** A valid access token; `fresh` asks for one just refreshed (the last was refused). Null: signed out. */
  getToken(fresh: boolean): Promise<string | null>;
  WebSocket?: WebSocketConstructor;
  network?: NetworkMonitor;
  /** Reconnect delays: exponential from `initialMs` to `maxMs`, each with random jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** How often to ping when the server does not say (`ready.heartbeatMs`); tests shorten it. */
  heartbeatMs?: number;
}

const OPEN = 1;
/** Read receipts go out at most this often: each one spends the user's write budget on the server. */
const READ_INTERVAL_MS = 1_000;
/** Refusals that pass by themselves: the frame goes again after a backoff. */
const TRANSIENT = new Set(['rate_limited', 'unavailable', 'internal']);

/**
 * One realtime connection that stays up: it reconnects with backoff and jitter, re-authenticates,
 * re-subscribes every conversation from the last `seq` it saw (so nothing is missed and nothing
 * repeats), follows each new conversation it is told of (`conversation.created`), notices a dead connection by its own heartbeat, and waits while the device is
 * offline. Frames arrive as typed events: `session.on('message', (f) => ...)`.
 */
export class RealtimeSession extends Emitter<RealtimeEvents> {
  status: RealtimeStatus = 'idle';
  private socket: WebSocketLike | null = null;
  private wanted = false;
  private attempt = 0;
  private freshToken = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private lastFrameAt = 0;
  private stopWatchingNetwork: (() => void) | undefined;
  /** Conversations to keep subscribed, with the highest seq seen (null: none yet, live only). */
  private readonly subscriptions = new Map<string, number | null>();
  private readonly requested = new Map<string, number | null>();
  /** Conversations to subscribe with the next frame (many `subscribe()` calls make one frame). */
  private readonly toSubscribe = new Set<string>();
  private subscribeQueued = false;
  /** Sent `subscribe` frames by ref, with their conversations not answered yet. */
  private readonly unanswered = new Map<string, Set<string>>();
  private subscribeRefs = 0;
  private subscribeRetries = 0;
  private subscribeRetryTimer: ReturnType<typeof setTimeout> | undefined;
  /** Read positions not sent yet, per conversation: only the highest matters. */
  private readonly unsentReads = new Map<string, number>();
  private readsSentAt = 0;
  private readTimer: ReturnType<typeof setTimeout> | undefined;
  /** The conversation the user has in front of them (null: none, or the app is hidden). */
  private viewing: string | null = null;

  constructor(private readonly options: RealtimeOptions) {
    super();
  }

  /** Starts (and keeps) the connection. */
  connect(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.stopWatchingNetwork = this.options.network?.onChange((online) => {
      if (online && this.status === 'offline') this.open();
      if (!online) this.drop('offline');
    });
    this.open();
  }

  /** Closes for good (sign-out, app exit). */
  close(): void {
    this.wanted = false;
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
    this.unsentReads.clear();
    this.stopWatchingNetwork?.();
    clearTimeout(this.retryTimer);
    this.drop('closed');
  }

  /**
   * Closes and forgets every conversation followed and the one being viewed: for a session in
   * another workspace, whose socket must not ask for the old workspace's conversations.
   */
  reset(): void {
    this.close();
    this.subscriptions.clear();
    this.requested.clear();
    this.toSubscribe.clear();
    this.viewing = null;
  }

  /**
   * Follows a conversation; with `afterSeq`, the server first replays what came after it. The
   * session remembers the last seq it saw and resumes from there after any reconnect.
   */
  subscribe(conversationId: string, afterSeq?: number): void {
    const known = this.subscriptions.get(conversationId) ?? null;
    this.subscriptions.set(conversationId, afterSeq === undefined ? known : Math.max(known ?? 0, afterSeq));
    this.queueSubscribe([conversationId]);
  }

  unsubscribe(conversationId: string): void {
    this.subscriptions.delete(conversationId);
    this.send({ type: 'unsubscribe', conversationId });
  }

  /** The last seq seen in a conversation, the point a resume starts from. */
  lastSeq(conversationId: string): number | null {
    return this.subscriptions.get(conversationId) ?? null;
  }

  /**
   * Moves the read cursor. Reads of a busy room collapse into one `read` frame per conversation
   * and second (the newest seq), so receipts never crowd out sends in the user's write budget;
   * those made while the socket is down go out once it is back.
   */
  markRead(conversationId: string, seq: number): void {
    this.unsentReads.set(conversationId, Math.max(this.unsentReads.get(conversationId) ?? 0, seq));
    if (this.readTimer) return;
    const wait = this.readsSentAt + READ_INTERVAL_MS - Date.now();
    if (wait <= 0) this.sendReads();
    else this.readTimer = setTimeout(() => this.sendReads(), wait);
  }

  /**
   * Tells the server which conversation the user is looking at now (null: none, or the window
   * is hidden): messages there notify them no more, and opening it clears its notifications.
   * Said again after every reconnect.
   */
  view(conversationId: string | null): void {
    if (conversationId === this.viewing) return;
    this.viewing = conversationId;
    this.send({ type: 'viewing', conversationId });
  }

  private sendReads() {
    clearTimeout(this.readTimer);
    this.readTimer = undefined;
    if (this.status !== 'open' || this.unsentReads.size === 0) return;
    for (const [conversationId, seq] of this.unsentReads) {
      if (!this.send({ type: 'read', conversationId, seq })) return;
      this.unsentReads.delete(conversationId);
    }
    this.readsSentAt = Date.now();
  }

  /** Sends a frame if the connection is up; false when it is not (nothing is queued here). */
  send(frame: ClientFrameInput): boolean {
    if (this.status !== 'open' || this.socket?.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /**
   * The `afterSeq` of the last `subscribe` sent for the conversation (null: live only). With the
   * `subscribed` frame's `lastSeq` it bounds exactly what the replay covered.
   */
  requestedAfterSeq(conversationId: string): number | null {
    return this.requested.get(conversationId) ?? null;
  }

  /**
   * Subscribes at the end of the current task, so an app that follows 100 conversations at once
   * sends one frame, not 100 (which the server's per-socket rate limit would partly refuse).
   */
  private queueSubscribe(conversationIds: Iterable<string>) {
    for (const id of conversationIds) this.toSubscribe.add(id);
    if (this.subscribeQueued) return;
    this.subscribeQueued = true;
    queueMicrotask(() => {
      this.subscribeQueued = false;
      this.sendSubscribes();
    });
  }

  private sendSubscribes() {
    // Still wanted, and not already on its way; when the socket is down `ready` subscribes all.
    const waiting = new Set([...this.unanswered.values()].flatMap((ids) => [...ids]));
    const ids = [...this.toSubscribe].filter((id) => this.subscriptions.has(id) && !waiting.has(id));
    this.toSubscribe.clear();
    if (this.status !== 'open') return;
    for (let i = 0; i < ids.length; i += MAX_SUBSCRIBE_BATCH) {
      const conversations = ids.slice(i, i + MAX_SUBSCRIBE_BATCH).map((conversationId) => {
        const afterSeq = this.subscriptions.get(conversationId) ?? null;
        return { conversationId, ...(afterSeq !== null && { afterSeq }) };
      });
      const ref = `subscribe-${++this.subscribeRefs}`;
      const sent = this.send(
        conversations.length === 1
          ? { type: 'subscribe', ...conversations[0]!, ref }
          : { type: 'subscribe', conversations, ref },
      );
      if (!sent) return;
      for (const { conversationId, afterSeq } of conversations) this.requested.set(conversationId, afterSeq ?? null);
      this.unanswered.set(ref, new Set(conversations.map((c) => c.conversationId)));
    }
  }

  /** A `subscribed`, or an error about a subscribe: what is refused for now goes again later. */
  private answered(conversationId: string | undefined, error?: Extract<ServerFrame, { type: 'error' }>) {
    const refs = error ? [error.ref!] : [...this.unanswered.keys()];
    for (const ref of refs) {
      const ids = this.unanswered.get(ref);
      if (!ids) continue;
      const settled = conversationId === undefined ? [...ids] : ids.has(conversationId) ? [conversationId] : [];
      for (const id of settled) ids.delete(id);
      if (ids.size === 0) this.unanswered.delete(ref);
      if (error && TRANSIENT.has(error.code)) this.retrySubscribes(settled);
      // Gone for us (removed from a group while this socket was down, a ticket moved away): the
      // same news `conversation.removed` brings live, so the app drops it the same way.
      if (error?.code === 'not_found') {
        for (const id of settled) {
          if (!this.subscriptions.delete(id)) continue;
          (this.emit as (type: string, payload: unknown) => void)('conversation.removed', {
            type: 'conversation.removed',
            conversationId: id,
          });
        }
      }
    }
    if (!error && conversationId !== undefined) this.subscribeRetries = 0;
  }

  private retrySubscribes(conversationIds: string[]) {
    const delay = Math.min(30_000, 1_000 * 2 ** this.subscribeRetries) * (0.5 + Math.random() / 2);
    this.subscribeRetries += 1;
    for (const id of conversationIds) this.toSubscribe.add(id);
    clearTimeout(this.subscribeRetryTimer);
    this.subscribeRetryTimer = setTimeout(() => this.queueSubscribe([]), delay);
  }

  private setStatus(status: RealtimeStatus) {
    if (this.status === status) return;
    this.status = status;
    this.emit('status', status);
  }

  private async open() {
    clearTimeout(this.retryTimer);
    if (!this.wanted || this.socket) return;
    if (this.options.network && !this.options.network.isOnline()) return this.setStatus('offline');
    this.setStatus(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let token: string | null;
    try {
      token = await this.options.getToken(this.freshToken);
    } catch {
      return this.scheduleReconnect(); // the token endpoint is unreachable: same as the socket
    }
    if (!this.wanted || this.socket) return;
    if (!token) return this.setStatus('signed-out');
    this.freshToken = false;
    const Socket = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) throw new Error('No WebSocket implementation: pass one as options.WebSocket');
    const url = `${this.options.baseUrl.replace(/^http/, 'ws')}/ws`;
    const socket = new Socket(url, [PROTOCOL_VERSION, token]) as WebSocketLike;
    this.socket = socket;
    socket.onmessage = (event) => this.onFrame(String(event.data));
    socket.onclose = (event) => this.onClose(socket, event.code);
    socket.onerror = () => {}; // a close event always follows
  }

  private onFrame(text: string) {
    this.lastFrameAt = Date.now();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'ready') {
      this.attempt = 0;
      this.setStatus('open');
      this.startHeartbeat(this.options.heartbeatMs ?? frame.heartbeatMs);
      this.unanswered.clear();
      this.queueSubscribe(this.subscriptions.keys());
      this.sendReads();
      if (this.viewing) this.send({ type: 'viewing', conversationId: this.viewing });
    } else if (frame.type === 'message') {
      this.saw(frame.message.conversationId, frame.message.seq);
    } else if (frame.type === 'subscribed') {
      this.answered(frame.conversationId);
      this.saw(frame.conversationId, frame.lastSeq);
    } else if (frame.type === 'error' && frame.ref && this.unanswered.has(frame.ref)) {
      this.answered(frame.conversationId, frame);
    } else if (frame.type === 'conversation.created' && !this.subscriptions.has(frame.conversation.id)) {
      // Someone wrote to us first: follow from the start, so the first message is not missed.
      this.subscribe(frame.conversation.id, 0);
    } else if (frame.type === 'conversation.removed') {
      // Out of the group: a reconnect must not ask for it again.
      this.subscriptions.delete(frame.conversationId);
    }
    (this.emit as (type: string, payload: unknown) => void)(frame.type, frame);
  }

  private saw(conversationId: string, seq: number) {
    if (!this.subscriptions.has(conversationId)) return;
    this.subscriptions.set(conversationId, Math.max(this.subscriptions.get(conversationId) ?? 0, seq));
  }

  private onClose(socket: WebSocketLike, code: number) {
    if (socket !== this.socket) return;
    this.detach();
    if (!this.wanted) return this.setStatus('closed');
    if (code === CLOSE_CODES.unauthorized) this.freshToken = true;
    this.scheduleReconnect(code);
  }

  private scheduleReconnect(code?: number) {
    const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 30_000 };
    this.attempt += 1;
    let delay = Math.min(maxMs, initialMs * 2 ** (this.attempt - 1)) * (0.5 + Math.random() / 2);
    // A restarting server wants its clients elsewhere now; a rate limit wants them to wait.
    if (code === CLOSE_CODES.serviceRestart) delay = Math.random() * initialMs;
    if (code === CLOSE_CODES.rateLimited) delay = Math.max(delay, 5_000);
    this.setStatus('reconnecting');
    this.retryTimer = setTimeout(() => void this.open(), delay);
  }

  /** Our own heartbeat: the server's pings are invisible to browsers. Silence means a dead link. */
  private startHeartbeat(intervalMs: number) {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastFrameAt > 2 * intervalMs) {
        this.drop('reconnecting');
        return this.scheduleReconnect();
      }
      this.send({ type: 'ping' });
    }, intervalMs);
  }

  private detach() {
    clearInterval(this.heartbeatTimer);
    clearTimeout(this.subscribeRetryTimer);
    this.unanswered.clear();
    if (!this.socket) return;
    this.socket.onmessage = this.socket.onclose = this.socket.onerror = null;
    this.socket = null;
  }

  /** Forgets the socket at once (a dead link may never deliver its close event). */
  private drop(status: RealtimeStatus) {
    clearTimeout(this.retryTimer);
    const socket = this.socket;
    this.detach();
    // The `ws` package reports closing a socket that is still connecting as an error event,
    // which an EventEmitter with no listener throws: sign-out right after sign-in did in Node.
    if (socket) socket.onerror = () => {};
    try {
      socket?.close(1000, status);
    } catch {
      // already closing
    }
    this.setStatus(status);
  }
}
