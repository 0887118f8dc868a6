import type { Me, MyWorkspace } from '@parley/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parley } from '../api/parley';
import { createStore } from './index';
import { restoreSession } from './session';
import { keepWorkspacesFresh } from './workspace-refresh';
import { loadWorkspaces } from './workspaces';

const entry = (id: string, current: boolean, unreadCount = 0): MyWorkspace => ({
  workspace: { id, slug: id, name: id, accentColor: null, logoUrl: null },
  role: 'admin',
  current,
  unreadCount,
});

function signedInStore(items: MyWorkspace[]) {
  const store = createStore();
  store.dispatch(restoreSession.fulfilled({ id: 'ada', workspace: items[0]!.workspace } as Me, 'restore'));
  store.dispatch(loadWorkspaces.fulfilled(items, 'list'));
  return store;
}

describe("keeping the switcher's unread counts current", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('asks once for a burst of notification frames, and takes the new counts', async () => {
    vi.useFakeTimers();
    const store = signedInStore([entry('home', true), entry('acme', false)]);
    const fetched = vi
      .spyOn(parley.me, 'workspaces')
      .mockResolvedValue({ items: [entry('home', true), entry('acme', false, 4)] });
    const fresh = keepWorkspacesFresh(store);
    for (let i = 0; i < 5; i += 1) fresh.poke();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fetched).toHaveBeenCalledTimes(1);
    expect(store.getState().workspaces.items[1]!.unreadCount).toBe(4);
    fresh.stop();
  });

  it('does not ask on notification frames for someone in one workspace', async () => {
    vi.useFakeTimers();
    const store = signedInStore([entry('home', true)]);
    const fetched = vi.spyOn(parley.me, 'workspaces').mockResolvedValue({ items: [entry('home', true)] });
    const fresh = keepWorkspacesFresh(store);
    fresh.poke();
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fetched).not.toHaveBeenCalled();
    fresh.stop();
  });

  it('asks again when the window gets focus', async () => {
    vi.useFakeTimers();
    const store = signedInStore([entry('home', true), entry('acme', false)]);
    const fetched = vi
      .spyOn(parley.me, 'workspaces')
      .mockResolvedValue({ items: [entry('home', true), entry('acme', false)] });
    const fresh = keepWorkspacesFresh(store);
    window.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fetched).toHaveBeenCalledTimes(1);
    fresh.stop();
    window.dispatchEvent(new Event('focus'));
    await vi.advanceTimersByTimeAsync(2_500);
    expect(fetched).toHaveBeenCalledTimes(1);
  });
});
