import type { SavedMessage } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { aMessage } from '../testing/message';
import { createStore } from './index';
import { messageUpdated } from './messages';
import { loadMoreSaved, loadSaved, savedChangedLive, setSaved } from './saved-messages';

/** Saved message n: saved at minute n, so a higher n is newer. */
const saved = (n: number): SavedMessage => ({
  message: aMessage({ id: `m${String(n).padStart(3, '0')}`, seq: n, body: `message ${n}` }),
  savedAt: new Date(Date.UTC(2026, 10, 25, 10, n)).toISOString(),
});
const idsOf = (items: readonly SavedMessage[]) => items.map((item) => item.message.id);

/**
 * The server's saved list (newest saved first), paged `limit` at a time with the last item's id
 * as the cursor; saves and unsaves change it; what each request was.
 */
function fakeServer(list: SavedMessage[]) {
  const asked: string[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit = {}) => {
    const { pathname, searchParams } = new URL(url);
    const method = init.method ?? 'GET';
    asked.push(`${method} ${pathname}${searchParams.has('cursor') ? `?cursor=${searchParams.get('cursor')}` : ''}`);
    if (method !== 'GET') {
      const id = pathname.split('/').at(-1)!;
      const at = list.findIndex((item) => item.message.id === id);
      if (method === 'DELETE' && at >= 0) list.splice(at, 1);
      return new Response(null, { status: 204 });
    }
    const limit = Number(searchParams.get('limit'));
    const cursor = searchParams.get('cursor');
    const from = cursor ? list.findIndex((item) => item.message.id === cursor) + 1 : 0;
    const items = list.slice(from, from + limit);
    const nextCursor = from + limit < list.length ? items.at(-1)!.message.id : null;
    return new Response(JSON.stringify({ items, nextCursor }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  });
  return asked;
}

/** 120 saved messages, newest (120) first. */
const many = () => Array.from({ length: 120 }, (_, i) => saved(120 - i));

describe('saved messages', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('pages in newest saved first, and knows which messages are saved', async () => {
    fakeServer(many());
    const store = createStore();
    await store.dispatch(loadSaved());
    let state = store.getState().savedMessages;
    expect(state.items).toHaveLength(50);
    expect(state.items[0]?.message.id).toBe('m120');
    store.dispatch(loadMoreSaved());
    await vi.waitFor(() => expect(store.getState().savedMessages.items).toHaveLength(100));
    store.dispatch(loadMoreSaved());
    await vi.waitFor(() => expect(store.getState().savedMessages.items).toHaveLength(120));
    state = store.getState().savedMessages;
    expect(state.nextCursor).toBeNull();
    expect(idsOf(state.items)).toEqual(idsOf(many()));
    expect(state.ids.m001).toBe(true);
  });

  it('saves and unsaves from the menu at once, and takes it back when the server refuses', async () => {
    fakeServer([saved(1)]);
    const store = createStore();
    await store.dispatch(loadSaved());
    const pending = store.dispatch(setSaved({ message: saved(2).message, saved: true }));
    expect(store.getState().savedMessages.ids.m002).toBe(true); // the menu says so at once
    await pending;
    expect(idsOf(store.getState().savedMessages.items)).toEqual(['m002', 'm001']);
    await store.dispatch(setSaved({ message: saved(1).message, saved: false }));
    expect(idsOf(store.getState().savedMessages.items)).toEqual(['m002']);
    expect(store.getState().savedMessages.ids.m001).toBeUndefined();

    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await store.dispatch(setSaved({ message: saved(3).message, saved: true }));
    expect(store.getState().savedMessages.ids.m003).toBeUndefined();
  });

  it('[RT-READ] applies message.saved from another device as a fresh read of the list shows it', async () => {
    const list = many();
    const asked = fakeServer(list);
    const store = createStore();
    await store.dispatch(loadSaved());
    store.dispatch(loadMoreSaved());
    await vi.waitFor(() => expect(store.getState().savedMessages.items).toHaveLength(100));

    // Saved elsewhere: the frame names the message only, so the first page is read again; the
    // older page already read stays.
    list.unshift(saved(121));
    asked.length = 0;
    store.dispatch(savedChangedLive({ messageId: 'm121', saved: true }));
    expect(store.getState().savedMessages.ids.m121).toBe(true);
    await vi.waitFor(() => expect(store.getState().savedMessages.items[0]?.message.id).toBe('m121'));
    expect(asked).toEqual(['GET /me/saved-messages']);
    // Unsaved elsewhere: off the list at once, nothing to read.
    list.splice(
      list.findIndex((item) => item.message.id === 'm050'),
      1,
    );
    store.dispatch(savedChangedLive({ messageId: 'm050', saved: false }));
    expect(asked).toEqual(['GET /me/saved-messages']);

    // Paging on from there, then a fresh read of everything: the same list.
    store.dispatch(loadMoreSaved());
    await vi.waitFor(() => expect(store.getState().savedMessages.nextCursor).toBeNull());
    expect(idsOf(store.getState().savedMessages.items)).toEqual(idsOf(list));
  });

  it('shows saved messages as they are now: edits follow, deleted ones leave', async () => {
    fakeServer([saved(2), saved(1)]);
    const store = createStore();
    await store.dispatch(loadSaved());
    store.dispatch(messageUpdated({ ...saved(1).message, body: 'edited', editedAt: '2026-11-25T12:00:00.000Z' }));
    store.dispatch(messageUpdated({ ...saved(2).message, body: '', deletedAt: '2026-11-25T12:00:00.000Z' }));
    expect(store.getState().savedMessages.items.map((item) => item.message.body)).toEqual(['edited']);
  });
});
