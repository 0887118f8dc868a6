import type { Me, MyWorkspace, NotificationItem, Ticket, Workspace } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { createStore } from './index';
import { loadNotifications, notificationArrived } from './notifications';
import { setTheme } from './preferences';
import { restoreSession } from './session';
import { ticketUpdated } from './tickets';
import { loadWorkspaces, workspaceSwitched, workspaceUpdated } from './workspaces';

const workspace = (id: string, name: string): Workspace => ({
  id,
  slug: id,
  name,
  accentColor: null,
  logoUrl: null,
});
const acme = workspace('acme', 'Acme');
const home = workspace('home', 'Parley');

const ada = (ws: Workspace): Me => ({
  id: 'ada',
  email: 'ada@parley.demo',
  username: 'ada',
  displayName: 'Ada Admin',
  role: 'admin',
  roleId: 'admin-role',
  roleName: 'Admin',
  permissions: [],
  workspace: ws,
  avatarUrl: null,
  awaySince: null,
  locale: 'en',
  emailVerified: false,
  statusText: null,
  createdAt: '2026-11-25T10:00:00.000Z',
});

const mine = (ws: Workspace, current: boolean, unreadCount: number): MyWorkspace => ({
  workspace: ws,
  role: 'admin',
  current,
  unreadCount,
});

const ticket: Ticket = {
  id: 't1',
  subject: 'Printer on fire',
  description: '',
  status: 'open',
  priority: 'medium',
  requesterId: 'carla',
  assigneeId: null,
  teamId: null,
  conversationId: 'c1',
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
  closedAt: null,
  snoozedUntil: null,
  followUpOf: null,
  channel: 'app',
  sla: null,
};

const notification = { id: 'n1', readAt: null, updatedAt: '2026-11-25T10:00:00.000Z' } as NotificationItem;

function adaAtHome() {
  const store = createStore();
  store.dispatch(restoreSession.fulfilled(ada(home), 'restore'));
  store.dispatch(loadWorkspaces.fulfilled([mine(home, true, 0), mine(acme, false, 3)], 'list'));
  store.dispatch(ticketUpdated(ticket));
  store.dispatch(notificationArrived(notification));
  store.dispatch(setTheme('dark'));
  return store;
}

describe('switching workspace in the store', () => {
  it("forgets the old workspace's tickets and notifications, keeps the device's preferences and the switcher", () => {
    const store = adaAtHome();
    expect(store.getState().tickets.byId.t1).toBeDefined();

    store.dispatch(workspaceSwitched(ada(acme)));
    const state = store.getState();
    expect(state.session).toEqual({ status: 'signedIn', user: ada(acme) });
    expect(state.tickets.byId).toEqual({});
    expect(state.notifications.items).toEqual([]);
    expect(state.notifications.unreadCount).toBe(0);
    expect(state.preferences.theme).toBe('dark');
    expect(state.workspaces.items.map((i) => [i.workspace.name, i.current])).toEqual([
      ['Parley', false],
      ['Acme', true],
    ]);
  });

  it('drops an answer that was on its way from the old workspace, takes those of the new one', () => {
    const store = adaAtHome();
    store.dispatch(loadNotifications.pending('from-home', undefined));
    store.dispatch(workspaceSwitched(ada(acme)));
    const page = { items: [notification], unreadCount: 1, nextCursor: null };
    store.dispatch(loadNotifications.fulfilled(page, 'from-home', undefined));
    expect(store.getState().notifications.items).toEqual([]);

    store.dispatch(loadNotifications.pending('from-acme', undefined));
    store.dispatch(loadNotifications.fulfilled(page, 'from-acme', undefined));
    expect(store.getState().notifications.unreadCount).toBe(1);
  });

  it("applies a rebranding to the current workspace and to the switcher's entry", () => {
    const store = adaAtHome();
    const renamed = { ...home, name: 'Parley Support', accentColor: '#facc15' };
    store.dispatch(workspaceUpdated(renamed));
    expect(store.getState().session.user?.workspace).toEqual(renamed);
    expect(store.getState().workspaces.items[0]!.workspace.name).toBe('Parley Support');
  });
});
