import type { Message, PinList } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aMessage } from '../testing/message';
import { createStore } from './index';
import { messageUpdated } from './messages';
import { loadPins, pinLineArrived, selectIsPinned, selectPins, setPinned } from './pins';

const C = 'c1';
const pinOf = (message: Message, pinnedAt = '2026-11-25T11:00:00.000Z') => ({ message, pinnedBy: 'sam', pinnedAt });
const printer = aMessage({ id: 'm1', seq: 1, body: 'Printer is on fire' });
const smoke = aMessage({ id: 'm2', seq: 2, body: 'Smoke from the back' });
const pinLine = (event: 'message.pinned' | 'message.unpinned', of: Message): Message =>
  aMessage({
    id: `line-${of.id}`,
    seq: 9,
    kind: 'system',
    senderId: null,
    clientMsgId: null,
    system: { event, actor: { id: 'sam', name: 'Sam' }, params: { message: { id: of.id, seq: of.seq }, excerpt: '' } },
  });

/** The server's board for conversation c1: what each request saw, and how it answers. */
function fakeServer(board: { items: PinList['items'] }, refuse?: { status: number; code: string }) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const method = init.method ?? 'GET';
    asked.push(`${method} ${new URL(url).pathname}`);
    if (refuse && method !== 'GET') {
      return new Response(JSON.stringify({ error: { code: refuse.code, message: '' } }), {
        status: refuse.status,
        headers: { 'content-type': 'application/json' },
      });
    }
    return new Response(JSON.stringify(board), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return asked;
}

describe('the pin board', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the board as the server answers a pin, and says what each message is', async () => {
    fakeServer({ items: [pinOf(printer)] });
    const store = createStore();
    await store.dispatch(setPinned({ conversationId: C, messageId: printer.id, pinned: true }));
    expect(selectPins(store.getState(), C).map((p) => p.message.id)).toEqual(['m1']);
    expect(selectIsPinned(store.getState(), C, 'm1')).toBe(true);
    expect(selectIsPinned(store.getState(), C, 'm2')).toBe(false);
  });

  it('[RT-READ] reads the board again when a pin or unpin line arrives, once it is shown', async () => {
    const board = { items: [pinOf(printer)] };
    const asked = fakeServer(board);
    const store = createStore();
    // Not shown anywhere yet: a line changes nothing, the board is read when it is opened.
    store.dispatch(pinLineArrived(pinLine('message.pinned', printer)));
    expect(asked).toEqual([]);

    await store.dispatch(loadPins(C));
    board.items = [pinOf(smoke, '2026-11-25T12:00:00.000Z'), pinOf(printer)];
    store.dispatch(pinLineArrived(aMessage({ id: 'hello', seq: 10 }))); // not a pin line
    store.dispatch(pinLineArrived(pinLine('message.pinned', smoke)));
    await vi.waitFor(() => expect(selectPins(store.getState(), C)).toHaveLength(2));
    expect(asked).toEqual([`GET /conversations/${C}/pins`, `GET /conversations/${C}/pins`]);
    expect(selectPins(store.getState(), C).map((p) => p.message.id)).toEqual(['m2', 'm1']);
  });

  it('follows edits and deletions of pinned messages as a fresh read would show them', async () => {
    fakeServer({ items: [pinOf(smoke), pinOf(printer)] });
    const store = createStore();
    await store.dispatch(loadPins(C));
    store.dispatch(messageUpdated({ ...printer, body: 'Printer was on fire', editedAt: '2026-11-25T13:00:00.000Z' }));
    store.dispatch(messageUpdated({ ...smoke, body: '', deletedAt: '2026-11-25T13:00:00.000Z' }));
    // The server leaves deleted messages off the board.
    expect(selectPins(store.getState(), C).map((p) => p.message.body)).toEqual(['Printer was on fire']);
  });

  it('says a refused pin (the board is full) until the next try', async () => {
    fakeServer({ items: [] }, { status: 409, code: 'conflict' });
    const store = createStore();
    await store.dispatch(setPinned({ conversationId: C, messageId: printer.id, pinned: true }));
    expect(store.getState().pins.refused[C]).toBe('conflict');
    fakeServer({ items: [pinOf(printer)] });
    const next = store.dispatch(setPinned({ conversationId: C, messageId: printer.id, pinned: true }));
    expect(store.getState().pins.refused[C]).toBeUndefined();
    await next;
  });
});
