import type { WidgetLook } from '@parley/protocol';
import type { GuestDetails } from './guest-session';
import { accentOf, textOn } from './theme';

/** One line of the thread as the visitor sees it. */
export interface Bubble {
  /** Stable across re-renders (a sent message keeps its pending bubble's key), so nothing is announced twice. */
  key: string;
  kind: 'mine' | 'theirs' | 'system';
  text: string;
  /** Who wrote it (theirs): said to screen readers for each, shown above the first of a run. */
  author?: string;
  showAuthor?: boolean;
  /** Under it: "Sending…", "Not sent", "Seen". */
  note?: string;
  failed?: boolean;
  deleted?: boolean;
  /** For a bubble that was not sent: send it again. */
  retry?: () => void;
}

export interface ChatViewHandlers {
  open(): void;
  close(): void;
  /** The visitor sent a message; `details` from the pre-chat form, while it shows. */
  send(text: string, details: GuestDetails): void;
  typing(): void;
  loadEarlier(): void;
}

type Attributes = Record<string, string | boolean | undefined>;

/** A little `createElement`: attributes (true: present, false/undefined: absent) and children. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

const CHAT_ICON =
  '<svg width="28" height="28" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

/**
 * The widget's DOM: a launcher button, and the chat panel it opens (a dialog with a header, the
 * thread as a live log, the pre-chat form and the message box). It shows what it is given and
 * reports what the visitor does; the controller (chat-controller.ts) decides the rest.
 */
export class ChatView {
  private readonly launcher = h('button', {
    type: 'button',
    class: 'pw-launcher',
    'aria-label': 'Open chat',
    'aria-expanded': 'false',
    'aria-controls': 'pw-panel',
    'aria-describedby': 'pw-unread',
  });
  private readonly badge = h('span', { class: 'pw-badge', 'aria-hidden': 'true', hidden: true });
  /** What the badge says, in words, as the launcher's description ("2 new messages"). */
  private readonly unread = h('span', { class: 'pw-sr', id: 'pw-unread' });
  private readonly panel = h('section', { id: 'pw-panel', class: 'pw-panel', role: 'dialog', hidden: true });
  private readonly title = h('h1', { class: 'pw-title' });
  private readonly greeting = h('p', { class: 'pw-greeting', hidden: true });
  private readonly status = h('div', { class: 'pw-status', role: 'status', hidden: true });
  private readonly earlier = h(
    'button',
    { type: 'button', class: 'pw-link pw-earlier', hidden: true },
    'Show earlier messages',
  );
  private readonly log = h('div', { class: 'pw-log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Messages' });
  private readonly scroller = h('div', { class: 'pw-scroll' }, this.earlier, this.log);
  private readonly typing = h('div', { class: 'pw-typing', 'aria-live': 'polite' });
  private readonly prechat = h('fieldset', { class: 'pw-prechat', hidden: true });
  private readonly name = h('input', { id: 'pw-name', type: 'text', autocomplete: 'name', maxlength: '64' });
  private readonly email = h('input', {
    id: 'pw-email',
    type: 'email',
    autocomplete: 'email',
    maxlength: '254',
    'aria-describedby': 'pw-email-error',
  });
  private readonly emailError = h('p', { id: 'pw-email-error', class: 'pw-error', hidden: true });
  private readonly message = h('textarea', {
    id: 'pw-message',
    rows: '1',
    maxlength: '10000',
    placeholder: 'Write a message…',
  });
  private readonly bubbles = new Map<string, { element: HTMLElement; bubble: Bubble }>();
  private logoUrl: string | null = null;

  constructor(
    root: HTMLElement,
    private readonly handlers: ChatViewHandlers,
  ) {
    this.launcher.innerHTML = CHAT_ICON;
    this.launcher.append(this.badge, this.unread);
    const close = h('button', { type: 'button', class: 'pw-close', 'aria-label': 'Close chat' }, '×');
    this.prechat.append(
      h('legend', {}, 'About you (optional)'),
      h('label', { class: 'pw-field', for: 'pw-name' }, 'Name', this.name),
      h('label', { class: 'pw-field', for: 'pw-email' }, 'Email', this.email),
      this.emailError,
    );
    const form = h(
      'form',
      { class: 'pw-form', novalidate: true },
      this.prechat,
      h('label', { class: 'pw-sr', for: 'pw-message' }, 'Message'),
      h('div', { class: 'pw-row' }, this.message, h('button', { type: 'submit', class: 'pw-send' }, 'Send')),
    );
    this.panel.append(
      h('header', { class: 'pw-head' }, h('div', { class: 'pw-head-text' }, this.title, this.greeting), close),
      this.status,
      this.scroller,
      this.typing,
      form,
    );
    root.append(this.launcher, this.panel);

    this.launcher.addEventListener('click', () => handlers.open());
    close.addEventListener('click', () => handlers.close());
    this.panel.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') handlers.close();
    });
    this.earlier.addEventListener('click', () => handlers.loadEarlier());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.submit();
    });
    this.message.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
      event.preventDefault();
      this.submit();
    });
    this.message.addEventListener('input', () => {
      this.fitMessageBox();
      if (this.message.value.trim()) handlers.typing();
    });
    this.email.addEventListener('input', () => this.showEmailError(false));
    this.setLook(null);
  }

  /** The workspace's name, logo, greeting and colour; null: Parley's own until the session says. */
  setLook(look: WidgetLook | null): void {
    const accent = accentOf(look?.accentColor);
    document.documentElement.style.setProperty('--pw-accent', accent);
    document.documentElement.style.setProperty('--pw-on-accent', textOn(accent));
    if (!look) return;
    this.panel.setAttribute('aria-label', `Chat with ${look.workspaceName}`);
    this.greeting.textContent = look.greeting ?? '';
    this.greeting.hidden = !look.greeting;
    if (look.logoUrl === this.logoUrl && this.title.textContent) return;
    this.logoUrl = look.logoUrl;
    this.title.textContent = look.workspaceName;
    if (look.logoUrl) {
      const logo = h('img', { class: 'pw-logo', src: look.logoUrl, alt: look.workspaceName });
      // A logo the browser cannot show (gone, or refused by the frame's CSP): the name instead.
      logo.addEventListener('error', () => (this.title.textContent = look.workspaceName));
      this.title.replaceChildren(logo);
    }
  }

  /** Opens or closes the panel; opening focuses the message box, closing the launcher. */
  setOpen(open: boolean): void {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    this.launcher.setAttribute('aria-expanded', String(open));
    if (open) {
      this.message.focus();
      this.scrollToEnd();
    } else {
      this.launcher.focus();
    }
  }

  setPrechat(visible: boolean): void {
    this.prechat.hidden = !visible;
  }

  /** A notice above the thread (connection lost, could not start), with an action when given. */
  setStatus(text: string | null, action?: { label: string; run: () => void }): void {
    this.status.hidden = !text;
    this.status.replaceChildren(text ?? '');
    if (action) {
      const button = h('button', { type: 'button', class: 'pw-link' }, action.label);
      button.addEventListener('click', action.run);
      this.status.append(button);
    }
  }

  setTyping(text: string | null): void {
    if (this.typing.textContent !== (text ?? '')) this.typing.textContent = text ?? '';
  }

  setUnread(count: number): void {
    this.badge.hidden = count === 0;
    this.badge.textContent = count > 9 ? '9+' : String(count);
    this.unread.textContent = count === 0 ? '' : count === 1 ? '1 new message' : `${count} new messages`;
  }

  setEarlier(visible: boolean): void {
    this.earlier.hidden = !visible;
  }

  /**
   * The thread. Bubbles are matched by key: new ones are added (and announced by the live
   * log), changed ones updated in place, so a screen reader hears each message once.
   */
  setThread(bubbles: Bubble[]): void {
    const { scrollHeight, scrollTop, clientHeight } = this.scroller;
    const atEnd = scrollHeight - scrollTop - clientHeight < 40;
    const keys = new Set(bubbles.map((b) => b.key));
    for (const [key, { element }] of this.bubbles) {
      if (keys.has(key)) continue;
      element.remove();
      this.bubbles.delete(key);
    }
    let previous: Element | null = null;
    for (const bubble of bubbles) {
      let entry = this.bubbles.get(bubble.key);
      if (!entry) {
        entry = { element: h('div'), bubble };
        renderBubble(entry.element, bubble, this.retryOf(bubble.key));
        this.bubbles.set(bubble.key, entry);
      } else {
        // In place: the log then announces only what changed ("Seen"), not the message again.
        if (!sameWords(entry.bubble, bubble)) renderBubble(entry.element, bubble, this.retryOf(bubble.key));
        else if (!sameNote(entry.bubble, bubble)) renderNote(entry.element, bubble, this.retryOf(bubble.key));
        entry.bubble = bubble; // its retry may be a new function
      }
      const expected: Element | null = previous ? previous.nextElementSibling : this.log.firstElementChild;
      if (expected !== entry.element) this.log.insertBefore(entry.element, expected);
      previous = entry.element;
    }
    if (atEnd) this.scrollToEnd();
  }

  /** The bubble's Retry runs the retry it has now (bubbles that did not change keep their element). */
  private retryOf(key: string) {
    return () => this.bubbles.get(key)?.bubble.retry?.();
  }

  private submit() {
    const text = this.message.value.trim();
    if (!text) return;
    const details: GuestDetails = {};
    if (!this.prechat.hidden) {
      if (this.email.value.trim() && !this.email.checkValidity()) return this.showEmailError(true);
      if (this.name.value.trim()) details.name = this.name.value.trim();
      if (this.email.value.trim()) details.email = this.email.value.trim();
    }
    this.message.value = '';
    this.fitMessageBox();
    this.handlers.send(text, details);
  }

  private showEmailError(show: boolean) {
    this.emailError.hidden = !show;
    this.emailError.textContent = show ? 'Enter an email address like name@example.com, or leave it empty.' : '';
    if (show) this.email.setAttribute('aria-invalid', 'true');
    else this.email.removeAttribute('aria-invalid');
    if (show) this.email.focus();
  }

  private fitMessageBox() {
    this.message.style.height = '';
    this.message.style.height = `${Math.max(40, this.message.scrollHeight + 2)}px`;
  }

  private scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }
}

function sameWords(a: Bubble, b: Bubble): boolean {
  return (
    a.kind === b.kind &&
    a.text === b.text &&
    a.author === b.author &&
    a.showAuthor === b.showAuthor &&
    a.deleted === b.deleted
  );
}

function sameNote(a: Bubble, b: Bubble): boolean {
  return a.note === b.note && a.failed === b.failed && !a.retry === !b.retry;
}

function renderBubble(element: HTMLElement, bubble: Bubble, retry: () => void): void {
  element.replaceChildren();
  element.removeAttribute('dir');
  if (bubble.kind === 'system') {
    element.className = 'pw-system';
    element.dir = 'auto';
    element.textContent = bubble.text;
    return;
  }
  element.className = `pw-msg ${bubble.kind === 'mine' ? 'pw-mine' : 'pw-theirs'}${bubble.deleted ? ' pw-deleted' : ''}`;
  // Who wrote it: shown for the first of a run, said by a screen reader for every one.
  const who = bubble.kind === 'mine' ? 'You' : (bubble.author ?? 'Support');
  if (bubble.showAuthor) element.append(h('div', { class: 'pw-who', 'aria-hidden': 'true' }, who));
  element.append(
    h(
      'div',
      { class: 'pw-bubble', dir: 'auto' },
      h('span', { class: 'pw-sr' }, `${who}: `),
      h('span', {}, bubble.text),
    ),
  );
  renderNote(element, bubble, retry);
}

/** The line under a bubble: "Sending…", "Seen", or "Not sent · Retry". */
function renderNote(element: HTMLElement, bubble: Bubble, retry: () => void): void {
  element.querySelector('.pw-meta')?.remove();
  element.classList.toggle('pw-failed', !!bubble.failed);
  if (!bubble.note) return;
  const meta = h('div', { class: 'pw-meta' }, bubble.note);
  if (bubble.retry) {
    const button = h('button', { type: 'button', class: 'pw-link' }, 'Retry');
    button.addEventListener('click', retry);
    meta.append(' · ', button);
  }
  element.append(meta);
}
