import type { ErrorCode, ServerFrame } from '@parley/protocol';
import { Emitter } from './emitter';
import type { RealtimeSession } from './realtime';
import type { KeyValueStorage } from './storage';

export type PendingState = 'pending' | 'failed';

/** A message the user sent that the server has not acknowledged yet. */
export interface PendingMessage {
  clientMsgId: string;
  conversationId: string;
  body: string;
  internal: boolean;
  attachmentIds: string[];
  /** The message it answers (absent in what an older version stored). */
  replyToId?: string | null;
  state: PendingState;
  /** Why it failed, when it did (the server refused it: it will not succeed by retrying alone). */
  error: { code: ErrorCode; message: string } | null;
  createdAt: string;
}

type Ack = Extract<ServerFrame, { type: 'ack' }>;

export interface OutboxEvents extends Record<string, unknown> {
  /** The list changed: a send was queued, acknowledged, failed, retried or discarded. */
  change: PendingMessage[];
  /** The server committed it: `ack` carries the message id and seq. */
  sent: { message: PendingMessage; ack: Ack };
}

/** Errors worth trying again later by themselves; any other refusal marks the message failed. */
const TRANSIENT: ReadonlySet<ErrorCode> = new Set(['rate_limited', 'unavailable', 'internal']);
/** Sends in flight at once: enough to drain a backlog fast, few enough not to trip the rate limit. */
const WINDOW = 8;
/** A send neither acked nor refused by then goes again (the server dedups by clientMsgId). */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * The offline outbox. `send` returns at once with a pending message that is written to storage
 * before anything goes on the wire, so it survives a lost connection and an app restart. It is
 * (re)sent whenever the realtime session is open until the server acks it; the server dedups by
 * `clientMsgId`, so a resend after a lost ack never makes a duplicate.
 */
export class Outbox extends Emitter<OutboxEvents> {
  private items: PendingMessage[] = [];
  private readonly inFlight = new Set<string>();
  /** Transient refusals in a row: each waits longer before the next try. */
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly answerTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly realtime: RealtimeSession,
    private readonly storage: KeyValueStorage,
    private readonly key = 'parley.outbox',
  ) {
    super();
    realtime.on('status', (status) => {
      if (status === 'open') this.flush();
      else this.forgetInFlight(); // unacked sends go again on the next connection
    });
    realtime.on('ack', (ack) => void this.onAck(ack));
    realtime.on('error', (error) => void this.onError(error));
  }

  /** Reads what a previous run left unsent, then sends it once connected. */
  load(): Promise<void> {
    this.loaded ??= this.storage.getItem(this.key).then((text) => {
      const stored = text ? (JSON.parse(text) as PendingMessage[]) : [];
      const ids = new Set(this.items.map((m) => m.clientMsgId));
      this.items = [...stored.filter((m) => !ids.has(m.clientMsgId)), ...this.items];
      this.changed();
    });
    return this.loaded;
  }

  /** Queues a message; it is stored before this resolves. */
  async send(
    conversationId: string,
    body: string,
    options: { internal?: boolean; attachmentIds?: string[]; clientMsgId?: string; replyToId?: string | null } = {},
  ): Promise<PendingMessage> {
    await this.load();
    const message: PendingMessage = {
      clientMsgId: options.clientMsgId ?? newClientMsgId(),
      conversationId,
      body,
      internal: options.internal ?? false,
      attachmentIds: options.attachmentIds ?? [],
      replyToId: options.replyToId ?? null,
      state: 'pending',
      error: null,
      createdAt: new Date().toISOString(),
    };
    this.items.push(message);
    await this.persist();
    this.changed();
    return message;
  }

  /** What is still unsent, oldest first (of one conversation, if given). */
  list(conversationId?: string): PendingMessage[] {
    return this.items.filter((m) => conversationId === undefined || m.conversationId === conversationId);
  }

  /** Sends a failed message again. */
  async retry(clientMsgId: string): Promise<void> {
    this.items = this.items.map((m) =>
      m.clientMsgId === clientMsgId ? { ...m, state: 'pending' as const, error: null } : m,
    );
    await this.persist();
    this.changed();
  }

  /** Gives up on a message. */
  async discard(clientMsgId: string): Promise<void> {
    this.items = this.items.filter((m) => m.clientMsgId !== clientMsgId);
    this.landed(clientMsgId);
    await this.persist();
    this.changed();
  }

  /** Forgets every unsent message (signing out: they must never go out as the next user). */
  async clear(): Promise<void> {
    await this.load();
    this.items = [];
    this.forgetInFlight();
    await this.persist();
    this.changed();
  }

  private flush() {
    // While backing off after a refusal, nothing goes: it would only be refused the same way.
    if (this.realtime.status !== 'open' || this.retryTimer) return;
    for (const message of this.items) {
      if (this.inFlight.size >= WINDOW) return;
      if (message.state !== 'pending' || this.inFlight.has(message.clientMsgId)) continue;
      const sent = this.realtime.send({
        type: 'message.send',
        conversationId: message.conversationId,
        clientMsgId: message.clientMsgId,
        body: message.body,
        internal: message.internal,
        attachmentIds: message.attachmentIds,
        ...(message.replyToId && { replyToId: message.replyToId }),
        ref: message.clientMsgId,
      });
      if (!sent) return;
      this.inFlight.add(message.clientMsgId);
      const { clientMsgId } = message;
      this.answerTimers.set(
        clientMsgId,
        setTimeout(() => {
          if (this.landed(clientMsgId)) this.flush();
        }, ANSWER_TIMEOUT_MS),
      );
    }
  }

  /** No longer in flight (answered, or given up on); false if it was not. */
  private landed(clientMsgId: string): boolean {
    clearTimeout(this.answerTimers.get(clientMsgId));
    this.answerTimers.delete(clientMsgId);
    return this.inFlight.delete(clientMsgId);
  }

  private forgetInFlight() {
    for (const clientMsgId of [...this.inFlight]) this.landed(clientMsgId);
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async onAck(ack: Ack) {
    const message = this.items.find((m) => m.clientMsgId === ack.clientMsgId);
    if (!message) return;
    this.landed(ack.clientMsgId);
    this.retries = 0;
    this.items = this.items.filter((m) => m !== message);
    await this.persist();
    this.emit('sent', { message, ack });
    this.changed();
  }

  private async onError(error: Extract<ServerFrame, { type: 'error' }>) {
    const message = this.items.find((m) => m.clientMsgId === error.ref);
    if (!message || !this.landed(message.clientMsgId)) return;
    if (TRANSIENT.has(error.code)) {
      // Backs off while refusals go on (a rate limit, a database away), with jitter.
      if (this.retryTimer) return;
      const delay = Math.min(30_000, 1_000 * 2 ** this.retries) * (0.5 + Math.random() / 2);
      this.retries += 1;
      this.retryTimer = setTimeout(() => {
        this.retryTimer = undefined;
        this.flush();
      }, delay);
      return;
    }
    this.items = this.items.map((m) =>
      m === message ? { ...m, state: 'failed' as const, error: { code: error.code, message: error.message } } : m,
    );
    await this.persist();
    this.changed();
  }

  private persist(): Promise<void> {
    return this.storage.setItem(this.key, JSON.stringify(this.items));
  }

  private changed() {
    this.emit('change', this.list());
    this.flush();
  }
}

/** A random id for deduplication (crypto where there is one; React Native may lack it). */
export function newClientMsgId(): string {
  const bytes = new Uint8Array(16);
  if (globalThis.crypto?.getRandomValues) globalThis.crypto.getRandomValues(bytes);
  else for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(Math.random() * 256);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
