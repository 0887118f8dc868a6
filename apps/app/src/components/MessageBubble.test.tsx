import '../i18n';
import type { Message } from '@parley/protocol';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { ReactNode } from 'react';
import { Provider } from 'react-redux';
import { afterEach, describe, expect, it } from 'vitest';
import { createStore } from '../store';
import { ThemeProvider } from '../theme/theme';
import { MessageBubble, type MessageBubbleProps } from './MessageBubble';
import { aMessage } from '../testing/message';
import { aPerson } from '../testing/person';

/** Mine, unless a test says whose. */
const message = (changes: Partial<Message> = {}): Message => aMessage({ senderId: 'me', ...changes });

const wrap = (children: ReactNode) => (
  <Provider store={createStore()}>
    <ThemeProvider>{children}</ThemeProvider>
  </Provider>
);

const props = (item: MessageBubbleProps['item'], changes: Partial<MessageBubbleProps> = {}): MessageBubbleProps => ({
  item,
  selfId: 'me',
  sender: undefined,
  showSender: true,
  seen: false,
  deleting: false,
  onOpenImage: () => {},
  current: false,
  roving: { register: () => {}, focused: () => {}, keyDown: () => {}, focus: () => {} },
  ...changes,
});

const pending = (state: 'pending' | 'failed') => ({
  kind: 'pending' as const,
  key: 'p',
  pending: {
    clientMsgId: 'c-9',
    conversationId: 'c1',
    body: 'Typed offline',
    state,
    createdAt: '2026-11-25T10:01:00.000Z',
  },
});

describe('a message in the chat timeline', () => {
  afterEach(cleanup);

  it('marks my unsent message as sending, and a refused one as failed with a retry', () => {
    const { unmount } = render(wrap(<MessageBubble {...props(pending('pending'))} />));
    expect(screen.getByText(/Sending…/)).toBeTruthy();
    unmount();
    render(wrap(<MessageBubble {...props(pending('failed'))} />));
    expect(screen.getByRole('button', { name: 'Not sent. Tap to retry' })).toBeTruthy();
  });

  it('says "Seen" on my message once the other side has read it, and "Sent" before', () => {
    const item = { kind: 'message' as const, key: 'm1', message: message() };
    const { unmount } = render(wrap(<MessageBubble {...props(item)} />));
    expect(screen.getByText(/Sent/)).toBeTruthy();
    unmount();
    render(wrap(<MessageBubble {...props(item, { seen: true })} />));
    expect(screen.getByText(/Seen/)).toBeTruthy();
  });

  it('labels an internal note and shows a deleted message as a tombstone', () => {
    const note = { kind: 'message' as const, key: 'n', message: message({ kind: 'note', senderId: 'sam' }) };
    const { unmount } = render(wrap(<MessageBubble {...props(note)} />));
    expect(screen.getByText(/internal note/i)).toBeTruthy();
    unmount();
    const deleted = {
      kind: 'message' as const,
      key: 'd',
      message: message({ body: '', deletedAt: '2026-11-25T10:05:00.000Z' }),
    };
    render(wrap(<MessageBubble {...props(deleted)} />));
    expect(screen.getByText('This message was deleted')).toBeTruthy();
    expect(screen.queryByText('Printer is on fire')).toBeNull();
  });

  it('offers "More actions" on a message, and shows one whose deletion waits for Undo as deleted', () => {
    const item = { kind: 'message' as const, key: 'm1', message: message() };
    const { unmount } = render(wrap(<MessageBubble {...props(item)} />));
    expect(screen.getByRole('button', { name: 'More actions' })).toBeTruthy();
    unmount();
    render(wrap(<MessageBubble {...props(item, { deleting: true })} />));
    expect(screen.getByText('This message was deleted')).toBeTruthy();
    expect(screen.queryByText('Printer is on fire')).toBeNull();
    expect(screen.queryByRole('button', { name: 'More actions' })).toBeNull();
  });
  it('draws the body as markdown, delivered or still sending, and names it without the markers', () => {
    const body = '**Done**: see [the log](https://example.com/log) ||spoiler||';
    const item = { kind: 'message' as const, key: 'm1', message: message({ body }) };
    const { unmount } = render(wrap(<MessageBubble {...props(item)} />));
    expect(window.getComputedStyle(screen.getByText('Done', { exact: true })).fontWeight).toBe('700');
    expect(screen.getByRole('link', { name: 'the log' }).getAttribute('href')).toBe('https://example.com/log');
    expect(screen.getByRole('article').getAttribute('aria-label')).toMatch(/: Done: see the log hidden spoiler$/);
    // The keyboard's way to the link and the spoiler: the row's actions menu.
    fireEvent.click(screen.getByRole('button', { name: 'More actions' }));
    expect(screen.getByRole('button', { name: 'Open link https://example.com/log' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Show spoilers' }));
    expect(screen.queryByRole('button', { name: 'Spoiler, tap to show' })).toBeNull();
    expect(screen.getByRole('article').textContent).toContain('spoiler');
    unmount();
    const sending = pending('pending');
    render(wrap(<MessageBubble {...props({ ...sending, pending: { ...sending.pending, body } })} />));
    expect(window.getComputedStyle(screen.getByText('Done', { exact: true })).fontWeight).toBe('700');
    expect(screen.getByRole('button', { name: 'Spoiler, tap to show' })).toBeTruthy();
  });

  it("names a bot's message as the bot's, on screen and to a screen reader", () => {
    const ack = aPerson('ack', 'Ack Bot', { bot: true });
    const item = { kind: 'message' as const, key: 'm1', message: message({ senderId: 'ack', body: 'Got it' }) };
    render(wrap(<MessageBubble {...props(item, { sender: ack })} />));
    expect(screen.getByText('Ack Bot (bot)')).toBeTruthy();
    expect(screen.getByRole('article').getAttribute('aria-label')).toMatch(/^Ack Bot \(bot\)/);
  });
});
