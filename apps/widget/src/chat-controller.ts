import { newClientMsgId, Outbox, ParleyError, RealtimeSession, type PendingMessage } from '@parley/client';
import type { GuestSession, Message, StartGuestBody, Ticket } from '@parley/protocol';
import { ChatView, type Bubble } from './chat-view';
import { asKeyValueStorage, type FrameStorage } from './frame-storage';
import { GuestSessions, type GuestDetails } from './guest-session';
import type { ResizeMessage } from './resize-message';
import type { WidgetApi } from './widget-api';

/** The server relays one `typing` per 2 s and socket ([RT-READ]); more would only be dropped. */
const TYPING_EVERY_MS = 2_000;
/** Staff as the visitor sees them: messages carry only a sender id, and guests may not look users up. */
const STAFF = 'Support';

/** The message that opens the chat (`POST /widget/conversation`), until the ticket exists. */
interface FirstMessage {
  clientMsgId: string;
  body: string;
  details: GuestDetails;
  failed: boolean;
}

/**
 * The widget's state and its traffic. A visitor with a stored guest token is connected at once
 * (their chat and its replies come back); a new visitor only when they open the chat, so merely
 * visiting a page creates no guest. The first message opens the chat over REST; later ones go
 * through the SDK's outbox on the realtime socket, which also brings replies, typing and receipts.
 */
export class ChatController {
  private readonly view: ChatView;
  private readonly sessions: GuestSessions;
  private isOpen = false;
  private connecting: Promise<boolean> | null = null;
  private me: string | null = null;
  private ticket: Ticket | null = null;
  private readonly messages = new Map<string, Message>();
  private hasEarlier = false;
  private first: FirstMessage | null = null;
  /** Written while the first message was still opening the chat: sent right after it. */
  private waiting: { clientMsgId: string; body: string }[] = [];
  private pending: PendingMessage[] = [];
  private staffReadSeq: number | null = null;
  private readonly typing = new Map<string, ReturnType<typeof setTimeout>>();
  private typingSentAt = 0;
  private readSeq = 0;
  private unread = 0;
  private realtime: RealtimeSession | null = null;
  private outbox: Outbox | null = null;

  constructor(
    root: HTMLElement,
    private readonly key: string,
    private readonly identity: StartGuestBody['identity'] | null,
    private readonly api: WidgetApi,
    private readonly storage: FrameStorage,
  ) {
    this.view = new ChatView(root, {
      open: () => this.setOpen(true),
      close: () => this.setOpen(false),
      send: (text, details) => this.send(text, details),
      typing: () => this.sendTyping(),
      loadEarlier: () => void this.loadEarlier(),
    });
    this.sessions = new GuestSessions(api, key, identity, storage, (session) => this.onSession(session));
  }

  start(): void {
    this.render();
    if (this.sessions.hasStoredGuest()) void this.connect();
    document.addEventListener('visibilitychange', () => this.markRead());
  }

  private setOpen(open: boolean) {
    if (open === this.isOpen) return;
    this.isOpen = open;
    // The loader on the host page makes the iframe big or small. It is posted to any origin
    // ('*'): the frame cannot know the host page's origin for sure, and this says nothing secret.
    const resize: ResizeMessage = { parley: 'resize', open };
    window.parent.postMessage(resize, '*');
    this.view.setOpen(open);
    if (!open) return;
    this.unread = 0;
    this.view.setUnread(0);
    this.markRead();
    void this.connect();
  }

  /** The session and the visitor's chat, if they have one; false when the server could not be reached. */
  private connect(): Promise<boolean> {
    this.connecting ??= (async () => {
      try {
        await this.sessions.start();
        const { ticket } = await this.sessions.authed((token) => this.api.conversation(token));
        if (ticket) await this.showTicket(ticket);
        this.view.setStatus(null);
        return true;
      } catch (error) {
        this.connecting = null;
        console.warn('[parley] could not start the chat', error);
        this.view.setStatus('Could not connect to the chat.', { label: 'Try again', run: () => void this.connect() });
        return false;
      } finally {
        this.render();
      }
    })();
    return this.connecting;
  }

  private onSession(session: GuestSession) {
    // The stored guest was refused and a new one began: nothing of the old one's chat is theirs.
    if (this.me && this.me !== session.user.id) this.forgetChat();
    this.me = session.user.id;
    this.view.setLook(session.look);
  }

  private forgetChat() {
    this.realtime?.reset();
    void this.outbox?.clear();
    this.realtime = null;
    this.outbox = null;
    this.ticket = null;
    this.messages.clear();
    this.pending = [];
    this.staffReadSeq = null;
    this.readSeq = 0;
    this.render();
  }

  /** Shows a chat: its latest messages over REST, then live from the last of them on. */
  private async showTicket(ticket: Ticket) {
    const previous = this.ticket;
    const page = await this.sessions.authed((token) => this.api.messages(token, ticket.conversationId));
    if (previous?.id !== ticket.id) {
      this.messages.clear();
      this.staffReadSeq = null;
      this.readSeq = 0;
    }
    this.ticket = ticket;
    for (const message of page.items) this.messages.set(message.id, message);
    this.hasEarlier = page.hasMore;
    const realtime = this.realtime ?? this.startRealtime();
    if (previous && previous.conversationId !== ticket.conversationId) realtime.unsubscribe(previous.conversationId);
    realtime.subscribe(ticket.conversationId, page.lastSeq);
    this.render();
    this.markRead();
  }

  /** What the chat now is, again (it moved to a follow-up ticket, or this one is gone for us). */
  private async reload() {
    try {
      const { ticket } = await this.sessions.authed((token) => this.api.conversation(token));
      if (ticket) await this.showTicket(ticket);
      else if (this.ticket) {
        this.realtime?.unsubscribe(this.ticket.conversationId);
        this.ticket = null;
        this.messages.clear();
      }
    } catch (error) {
      console.warn('[parley] could not reload the chat', error);
    }
    this.render();
  }

  private startRealtime(): RealtimeSession {
    const realtime = new RealtimeSession({
      baseUrl: location.origin,
      getToken: async (fresh) => {
        try {
          return fresh ? (await this.sessions.renew()).accessToken : await this.sessions.token();
        } catch (error) {
          // Refused for good (the widget is gone): signed out. Anything else: try again later.
          if (error instanceof ParleyError && [400, 401, 403, 404].includes(error.status)) return null;
          throw error;
        }
      },
    });
    const outbox = new Outbox(realtime, asKeyValueStorage(this.storage), `parley.widget.${this.key}.outbox`);
    this.realtime = realtime;
    this.outbox = outbox;
    const here = (conversationId: string) => conversationId === this.ticket?.conversationId;

    realtime.on('message', ({ message }) => this.receive(message, true));
    realtime.on('message.updated', ({ message }) => this.receive(message, false));
    realtime.on('typing', ({ conversationId, userId, expiresInMs }) => {
      if (here(conversationId) && userId !== this.me) this.showTyping(userId, expiresInMs);
    });
    realtime.on('read', ({ conversationId, userId, seq }) => {
      if (!here(conversationId) || userId === this.me) return;
      this.staffReadSeq = Math.max(this.staffReadSeq ?? 0, seq);
      this.render();
    });
    realtime.on('ack', ({ movedToTicketId }) => {
      if (movedToTicketId) void this.reload();
    });
    realtime.on('unsubscribed', ({ conversationId }) => {
      if (here(conversationId)) void this.reload();
    });
    realtime.on('conversation.removed', ({ conversationId }) => {
      if (here(conversationId)) void this.reload();
    });
    realtime.on('status', (status) => {
      if (status === 'reconnecting' || status === 'offline') this.view.setStatus('Reconnecting…');
      else if (status === 'signed-out') this.view.setStatus('This chat is not available any more.');
      else if (status === 'open') this.view.setStatus(null);
    });
    outbox.on('change', (pending) => {
      this.pending = pending;
      this.render();
    });
    // Acknowledged: shown as sent until its `message` frame (which may come first) says the rest.
    outbox.on('sent', ({ message, ack }) => {
      if (this.messages.has(ack.messageId) || !here(ack.conversationId)) return;
      this.messages.set(ack.messageId, {
        id: ack.messageId,
        conversationId: ack.conversationId,
        seq: ack.seq,
        senderId: this.me,
        clientMsgId: message.clientMsgId,
        body: message.body,
        kind: 'text',
        system: null,
        createdAt: message.createdAt,
        editedAt: null,
        deletedAt: null,
        reactions: [],
        attachments: [],
        replyTo: null,
      });
      this.render();
    });
    void outbox.load();
    realtime.connect();
    return realtime;
  }

  private receive(message: Message, isNew: boolean) {
    if (!this.ticket || message.conversationId !== this.ticket.conversationId || message.kind === 'note') return;
    const known = this.messages.has(message.id);
    this.messages.set(message.id, message);
    if (message.senderId && message.senderId !== this.me) {
      this.stopTyping(message.senderId);
      if (isNew && !known && !this.isSeen()) this.view.setUnread(++this.unread);
    }
    this.render();
    this.markRead();
  }

  private send(text: string, details: GuestDetails) {
    const clientMsgId = newClientMsgId();
    if (this.ticket && this.outbox) {
      void this.outbox.send(this.ticket.conversationId, text, { clientMsgId });
    } else if (this.first) {
      this.waiting.push({ clientMsgId, body: text });
      this.render();
    } else {
      this.first = { clientMsgId, body: text, details, failed: false };
      void this.openChat();
    }
  }

  /** Sends the first message: it opens the chat (a ticket whose description it is). */
  private async openChat() {
    const first = this.first;
    if (!first) return;
    first.failed = false;
    this.render();
    try {
      if (!(await this.connect())) throw new Error('not connected');
      if (!this.ticket) {
        // The pre-chat form's name and email, saved on the guest before the chat opens.
        if (first.details.name || first.details.email) await this.sessions.renew(first.details);
        const { ticket } = await this.sessions.authed((token) =>
          this.api.openConversation(token, { clientMsgId: first.clientMsgId, body: first.body }),
        );
        await this.showTicket(ticket);
      } else {
        // The visitor had a chat after all (it was still loading): this goes into it.
        this.waiting.unshift({ clientMsgId: first.clientMsgId, body: first.body });
      }
      this.first = null;
      const { conversationId } = this.ticket!;
      for (const { clientMsgId, body } of this.waiting.splice(0)) {
        await this.outbox!.send(conversationId, body, { clientMsgId });
      }
      this.view.setStatus(null);
    } catch (error) {
      first.failed = true;
      if (error instanceof ParleyError && error.status === 400) this.view.setStatus(error.message);
    }
    this.render();
  }

  private sendTyping() {
    if (!this.ticket || !this.realtime) return;
    const now = Date.now();
    if (now - this.typingSentAt < TYPING_EVERY_MS) return;
    if (this.realtime.send({ type: 'typing', conversationId: this.ticket.conversationId })) this.typingSentAt = now;
  }

  private showTyping(userId: string, expiresInMs: number) {
    clearTimeout(this.typing.get(userId));
    this.typing.set(
      userId,
      setTimeout(() => this.stopTyping(userId), expiresInMs),
    );
    this.view.setTyping(`${STAFF} is typing…`);
  }

  private stopTyping(userId: string) {
    clearTimeout(this.typing.get(userId));
    this.typing.delete(userId);
    if (this.typing.size === 0) this.view.setTyping(null);
  }

  private async loadEarlier() {
    if (!this.ticket) return;
    const { conversationId } = this.ticket;
    const oldest = Math.min(...[...this.messages.values()].map((m) => m.seq));
    try {
      const page = await this.sessions.authed((token) => this.api.messages(token, conversationId, oldest));
      if (this.ticket?.conversationId !== conversationId) return;
      for (const message of page.items) this.messages.set(message.id, message);
      this.hasEarlier = page.hasMore;
      this.render();
    } catch (error) {
      console.warn('[parley] could not load earlier messages', error);
    }
  }

  /** The visitor has the chat in front of them. */
  private isSeen(): boolean {
    return this.isOpen && document.visibilityState === 'visible';
  }

  /** Tells the server (and so the staff) how far the visitor has read, once per new message. */
  private markRead() {
    if (!this.realtime || !this.ticket || !this.isSeen()) return;
    const seq = Math.max(0, ...[...this.messages.values()].map((m) => m.seq));
    if (seq <= this.readSeq) return;
    this.readSeq = seq;
    this.realtime.markRead(this.ticket.conversationId, seq);
  }

  private render() {
    this.view.setPrechat(!this.identity && !this.ticket && !this.first);
    this.view.setEarlier(this.hasEarlier);
    const bubbles: (Bubble & { seq?: number })[] = [];
    const { ticket, first } = this;
    // The ticket's description is the visitor's first message; the thread's messages follow it.
    if (ticket && !this.hasEarlier) {
      bubbles.push({
        key: 'first',
        kind: ticket.requesterId === this.me ? 'mine' : 'theirs',
        text: ticket.description,
        seq: 0,
      });
    } else if (!ticket && first) {
      bubbles.push({
        key: 'first',
        kind: 'mine',
        text: first.body,
        note: first.failed ? 'Not sent' : 'Sending…',
        failed: first.failed,
        ...(first.failed && { retry: () => void this.openChat() }),
      });
    }
    const sent = new Set<string>();
    for (const message of [...this.messages.values()].sort((a, b) => a.seq - b.seq)) {
      if (message.clientMsgId) sent.add(message.clientMsgId);
      if (message.kind === 'system') {
        bubbles.push({ key: message.id, kind: 'system', text: message.body });
        continue;
      }
      const mine = message.senderId === this.me;
      bubbles.push({
        key: mine && message.clientMsgId ? `c:${message.clientMsgId}` : message.id,
        kind: mine ? 'mine' : 'theirs',
        text: message.deletedAt ? 'This message was deleted.' : message.body,
        deleted: !!message.deletedAt,
        seq: message.seq,
      });
    }
    const unsent = this.ticket ? this.pending.filter((p) => p.conversationId === this.ticket!.conversationId) : [];
    for (const pending of unsent) {
      if (sent.has(pending.clientMsgId)) continue;
      const failed = pending.state === 'failed';
      bubbles.push({
        key: `c:${pending.clientMsgId}`,
        kind: 'mine',
        text: pending.body,
        note: failed ? 'Not sent' : 'Sending…',
        failed,
        ...(failed && { retry: () => void this.outbox?.retry(pending.clientMsgId) }),
      });
    }
    for (const { clientMsgId, body } of this.waiting) {
      bubbles.push({ key: `c:${clientMsgId}`, kind: 'mine', text: body, note: 'Sending…' });
    }
    // "Seen" under the visitor's last message once a staff member's receipt reaches it.
    const last = bubbles.filter((b) => b.kind === 'mine').pop();
    if (last && !last.note && last.seq !== undefined && this.staffReadSeq !== null && this.staffReadSeq >= last.seq) {
      last.note = 'Seen';
    }
    bubbles.forEach((bubble, i) => {
      if (bubble.kind !== 'theirs') return;
      bubble.author = STAFF;
      bubble.showAuthor = bubbles[i - 1]?.kind !== 'theirs';
    });
    this.view.setThread(bubbles);
  }
}
