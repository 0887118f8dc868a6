import type { Message } from '@parley/protocol';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from './index';
import { deleteWithUndo, sendPendingDelete, UNDO_MS, undoDelete } from './undo-delete';

const ref = (messageId: string) => ({ conversationId: 'c1', messageId });

const tombstone = (id: string): Message => ({
  id,
  conversationId: 'c1',
  seq: 1,
  senderId: 'me',
  clientMsgId: null,
  body: '',
  kind: 'text',
  system: null,
  createdAt: '2026-11-25T10:00:00.000Z',
  editedAt: null,
  deletedAt: '2026-11-25T10:01:00.000Z',
  reactions: [],
  attachments: [],
  replyTo: null,
});

/** The server, as far as deletions go: what was asked, and how it answers. */
function fakeServer(answer: 'ok' | 'down' | 'refuse') {
  const deletes: Array<{ url: string; keepalive: boolean }> = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    if (init.method !== 'DELETE') throw new TypeError('unexpected request');
    deletes.push({ url, keepalive: init.keepalive === true });
    if (answer === 'down') throw new TypeError('Failed to fetch');
    if (answer === 'refuse') {
      const error = { error: { code: 'rate_limited', message: 'Too many requests' } };
      return new Response(JSON.stringify(error), { status: 429, headers: { 'content-type': 'application/json' } });
    }
    const id = url.split('/').at(-1)!;
    return new Response(JSON.stringify(tombstone(id)), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return deletes;
}

describe('deleting a message with Undo', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('shows it deleted at once, and Undo takes it back without a word to the server', async () => {
    const deletes = fakeServer('ok');
    const store = createStore();
    store.dispatch(deleteWithUndo(ref('m1')));
    expect(store.getState().undoDelete.hidden).toEqual({ m1: 'c1' });
    expect(store.getState().undoDelete.undoable).toEqual(ref('m1'));

    store.dispatch(undoDelete());
    await vi.advanceTimersByTimeAsync(UNDO_MS * 2);
    expect(store.getState().undoDelete).toEqual({ hidden: {}, undoable: null, failed: null });
    expect(deletes).toEqual([]);
  });

  it('sends the deletion once the Undo time is over, and only then', async () => {
    const deletes = fakeServer('ok');
    const store = createStore();
    store.dispatch(deleteWithUndo(ref('m1')));
    await vi.advanceTimersByTimeAsync(UNDO_MS - 100);
    expect(deletes).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(store.getState().undoDelete.hidden).toEqual({}));
    expect(deletes.map((d) => d.url.split('/').at(-1))).toEqual(['m1']);
    expect(store.getState().undoDelete).toEqual({ hidden: {}, undoable: null, failed: null });
  });

  it('sends the waiting deletion when another one starts, so only the newest is undoable', async () => {
    const deletes = fakeServer('ok');
    const store = createStore();
    store.dispatch(deleteWithUndo(ref('m1')));
    store.dispatch(deleteWithUndo(ref('m2')));
    expect(store.getState().undoDelete.undoable).toEqual(ref('m2'));
    await vi.waitFor(() => expect(deletes.map((d) => d.url.split('/').at(-1))).toEqual(['m1']));
    store.dispatch(undoDelete());
    await vi.advanceTimersByTimeAsync(UNDO_MS * 2);
    expect(deletes).toHaveLength(1);
    expect(store.getState().undoDelete.hidden).toEqual({});
  });

  it('sends with keepalive when the page is closing, so the request outlives it', async () => {
    const deletes = fakeServer('ok');
    const store = createStore();
    store.dispatch(deleteWithUndo(ref('m1')));
    await store.dispatch(sendPendingDelete({ keepalive: true }));
    expect(deletes).toEqual([{ url: expect.stringMatching(/\/conversations\/c1\/messages\/m1$/), keepalive: true }]);
  });

  it('brings the message back and says so when the server cannot be reached or refuses', async () => {
    for (const answer of ['down', 'refuse'] as const) {
      fakeServer(answer);
      const store = createStore();
      store.dispatch(deleteWithUndo(ref('m1')));
      await vi.advanceTimersByTimeAsync(UNDO_MS);
      await vi.waitFor(() => expect(store.getState().undoDelete.failed).toEqual(ref('m1')));
      expect(store.getState().undoDelete.hidden).toEqual({});
      vi.unstubAllGlobals();
    }
  });
});
