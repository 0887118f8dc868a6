import type { Ticket } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import reducer, { matchesFilters, setFilters, ticketUpdated } from './tickets';

const ticket = (id: string, changes: Partial<Ticket> = {}): Ticket => ({
  id,
  subject: `Ticket ${id}`,
  description: '',
  status: 'open',
  priority: 'medium',
  requesterId: 'u1',
  assigneeId: null,
  teamId: null,
  conversationId: `c${id}`,
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
  closedAt: null,
  followUpOf: null,
  ...changes,
});

describe('the tickets slice', () => {
  it('puts a live new or changed ticket on top of the dashboard when it matches the filters', () => {
    let state = reducer(undefined, ticketUpdated(ticket('1')));
    state = reducer(state, ticketUpdated(ticket('2')));
    expect(state.ids).toEqual(['2', '1']);
    state = reducer(state, ticketUpdated(ticket('1', { priority: 'urgent' })));
    expect(state.ids).toEqual(['1', '2']);
    expect(state.byId['1']!.priority).toBe('urgent');
  });

  it('drops a ticket from the list when a live change makes it stop matching', () => {
    let state = reducer(undefined, setFilters({ status: 'open' }));
    state = reducer(state, ticketUpdated(ticket('1')));
    state = reducer(state, ticketUpdated(ticket('1', { status: 'closed' })));
    expect(state.ids).toEqual([]);
    expect(state.byId['1']!.status).toBe('closed');
  });

  it('matches filters the way the server does, search ignoring case', () => {
    expect(matchesFilters(ticket('1', { subject: 'Printer on FIRE' }), { q: 'fire' })).toBe(true);
    expect(matchesFilters(ticket('1'), { priority: 'high' })).toBe(false);
    expect(matchesFilters(ticket('1', { assigneeId: 'me' }), { assigneeId: 'me', status: 'open' })).toBe(true);
  });
});
