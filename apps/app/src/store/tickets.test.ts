import type { Message, SlaState, Ticket, TicketListItem } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { messageArrived, readArrived } from './conversations';
import { aPerson } from '../testing/person';
import { labelDeleted, labelSaved } from './labels';
import reducer, {
  loadTicket,
  loadTickets,
  matchesFilters,
  setFilters,
  setSort,
  setSortField,
  ticketLabelsChanged,
  ticketUpdated,
  type StoredTicket,
  type TicketsState,
} from './tickets';

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
  snoozedUntil: null,
  followUpOf: null,
  channel: 'app',
  sla: null,
  ...changes,
});

const person = (id: string) => aPerson(id, id);

/** A ticket as the queue's answer has it. */
const row = (id: string, changes: Partial<Ticket> = {}): TicketListItem => {
  const plain = ticket(id, changes);
  const assignee = plain.assigneeId === null ? null : person(plain.assigneeId);
  return { ...plain, requester: person('u1'), assignee, lastMessage: null, lastSeq: 0, lastReadSeq: 0, unreadCount: 0 };
};

/** The list's answer to read `requestId`, which was sent earlier (`loadTickets.pending`). */
const listed = (state: TicketsState, requestId: string, items: TicketListItem[]) =>
  reducer(state, loadTickets.fulfilled({ items, nextCursor: null }, requestId));
const listSent = (state: TicketsState, requestId: string) => reducer(state, loadTickets.pending(requestId));

describe('the tickets slice', () => {
  it('a list answer that a live change overtook keeps the change: a new ticket stays listed, an assignment stays', () => {
    let state = listSent(reducer(undefined, setFilters({ view: 'my_teams' })), 'reload');
    // While the reload is on its way, the ticket is opened and then assigned, live.
    state = reducer(state, ticketUpdated(ticket('new', { updatedAt: '2026-11-25T11:00:00.000Z' })));
    state = reducer(state, ticketUpdated(ticket('1', { assigneeId: 'sam', updatedAt: '2026-11-25T11:00:01.000Z' })));
    // The answer was read before either.
    state = listed(state, 'reload', [row('1'), row('2')]);
    expect(state.ids).toEqual(['1', 'new', '2']);
    expect(state.byId['1']).toMatchObject({ assigneeId: 'sam', assignee: null });
    // With no read in flight, nothing is overtaken: the next answer is taken as it is.
    state = listed(listSent(state, 'next'), 'next', [row('1', { assigneeId: 'kim' })]);
    expect(state.ids).toEqual(['1']);
    expect(state.byId['1']!.assigneeId).toBe('kim');
    expect(state.changedAt).toEqual({});
  });

  it('an older list answer that lands after a newer one is dropped (the queue switched meanwhile)', () => {
    let state = listSent(reducer(undefined, setFilters({ view: 'unassigned' })), 'unassigned');
    state = listSent(reducer(state, setFilters({ view: 'my_teams' })), 'my-teams');
    state = listed(state, 'my-teams', [row('mine', { assigneeId: 'sam' })]);
    state = listed(state, 'unassigned', [row('waiting')]);
    expect(state.ids).toEqual(['mine']);
    expect(state.loading).toBe(false);
  });

  it("one ticket's answer that a live change overtook keeps the change, and takes what the change lacks", () => {
    let state = reducer(reducer(undefined, ticketUpdated(ticket('1'))), loadTicket.pending('one', '1'));
    state = reducer(state, ticketUpdated(ticket('1', { status: 'closed' })));
    state = reducer(state, loadTicket.fulfilled(row('1'), 'one', '1'));
    expect(state.byId['1']).toMatchObject({ status: 'closed', requester: person('u1') });
  });

  it('an SLA filter keeps the tickets whose worse target is in that state; one that turns breached leaves "at risk"', () => {
    const sla = (first: SlaState, resolution: SlaState): Ticket['sla'] => ({
      firstResponse: { dueAt: '2026-11-25T11:00:00.000Z', at: null, state: first },
      resolution: { dueAt: '2026-11-26T10:00:00.000Z', state: resolution },
      pausedAt: null,
    });
    let state = reducer(undefined, setFilters({ sla: 'at_risk' }));
    state = reducer(state, ticketUpdated(ticket('1', { sla: sla('at_risk', 'ok') })));
    state = reducer(state, ticketUpdated(ticket('2', { sla: sla('met', 'ok') })));
    state = reducer(state, ticketUpdated(ticket('3')));
    expect(state.ids).toEqual(['1']);
    state = reducer(state, ticketUpdated(ticket('1', { sla: sla('breached', 'at_risk') })));
    expect(state.ids).toEqual([]);
    expect(matchesFilters(ticket('4', { sla: sla('met', 'met') }), { sla: 'met' })).toBe(true);
    expect(matchesFilters(ticket('5', { sla: sla('met', 'ok') }), { sla: 'ok' })).toBe(true);
  });

  it('sorted by newest, a live ticket lands by when it was opened, not by its last activity', () => {
    let state = reducer(undefined, setSort('created'));
    state = reducer(state, ticketUpdated(ticket('old', { createdAt: '2026-11-20T10:00:00.000Z' })));
    state = reducer(state, ticketUpdated(ticket('new', { createdAt: '2026-11-24T10:00:00.000Z' })));
    state = reducer(
      state,
      ticketUpdated(ticket('old', { createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-30T10:00:00.000Z' })),
    );
    expect(state.ids).toEqual(['new', 'old']);
  });

  it('a team filter drops a ticket moved to another team, and takes in one moved to it', () => {
    let state = reducer(undefined, setFilters({ teamId: 'billing' }));
    state = reducer(state, ticketUpdated(ticket('a', { teamId: 'billing' })));
    state = reducer(state, ticketUpdated(ticket('b', { teamId: 'support' })));
    expect(state.ids).toEqual(['a']);
    state = reducer(state, ticketUpdated(ticket('a', { teamId: 'support', updatedAt: '2026-11-25T11:00:00.000Z' })));
    state = reducer(state, ticketUpdated(ticket('b', { teamId: 'billing', updatedAt: '2026-11-25T11:00:00.000Z' })));
    expect(state.ids).toEqual(['b']);
  });

  it('sorted by a field first, a live change keeps its row in place and a new ticket goes last (frames carry no fields)', () => {
    let state = reducer(undefined, setSortField('-root_cause'));
    for (const id of ['x', 'y']) state = reducer(state, ticketUpdated(ticket(id)));
    expect(state.ids).toEqual(['x', 'y']);
    state = reducer(state, ticketUpdated(ticket('y', { updatedAt: '2026-11-30T10:00:00.000Z' })));
    state = reducer(state, ticketUpdated(ticket('z', { updatedAt: '2026-11-30T10:00:00.000Z' })));
    expect(state.ids).toEqual(['x', 'y', 'z']);
    // Without it, the latest activity comes first again.
    state = reducer(state, setSortField(undefined));
    state = reducer(state, ticketUpdated(ticket('x', { updatedAt: '2026-12-01T10:00:00.000Z' })));
    expect(state.ids[0]).toBe('x');
  });

  it('a live label change shows on the row, and takes it out of a label filter it no longer matches', () => {
    const vip = { id: 'L1', name: 'VIP', colour: '#d73a4a' };
    let state = reducer(undefined, setFilters({ labelIds: ['L1'] }));
    state = reducer(state, ticketUpdated(ticket('1')));
    // Labels not known yet: the ticket stays (the server's list said it matches).
    expect(state.ids).toEqual(['1']);
    state = reducer(state, ticketLabelsChanged({ ticketId: '1', labels: [vip] }));
    expect(state.byId['1']!.labels).toEqual([vip]);
    expect(state.ids).toEqual(['1']);
    state = reducer(state, ticketLabelsChanged({ ticketId: '1', labels: [] }));
    expect(state.ids).toEqual([]);
    expect(matchesFilters({ ...ticket('2'), labels: [vip] } as StoredTicket, { labelIds: ['L1'] })).toBe(true);
  });

  it('a label renamed or deleted by an admin changes its chip on every row at once', () => {
    const vip = { id: 'L1', name: 'VIP', colour: '#d73a4a' };
    const bug = { id: 'L2', name: 'Bug', colour: '#000000' };
    let state = reducer(undefined, ticketUpdated(ticket('1')));
    state = reducer(state, ticketUpdated(ticket('2')));
    state = reducer(state, ticketLabelsChanged({ ticketId: '1', labels: [vip, bug] }));
    state = reducer(state, ticketLabelsChanged({ ticketId: '2', labels: [vip] }));
    const at = '2026-11-25T10:00:00.000Z';
    const renamed = { ...vip, name: 'Priority', colour: '#0000ff', description: null, createdAt: at, updatedAt: at };
    state = reducer(state, labelSaved(renamed));
    expect(state.byId['1']!.labels).toEqual([{ id: 'L1', name: 'Priority', colour: '#0000ff' }, bug]);
    expect(state.byId['2']!.labels).toEqual([{ id: 'L1', name: 'Priority', colour: '#0000ff' }]);
    state = reducer(state, labelDeleted('L1'));
    expect(state.byId['1']!.labels).toEqual([bug]);
    expect(state.byId['2']!.labels).toEqual([]);
  });

  it('puts a live new or changed ticket on top of the dashboard when it matches the filters', () => {
    let state = reducer(undefined, ticketUpdated(ticket('1')));
    state = reducer(state, ticketUpdated(ticket('2', { updatedAt: '2026-11-25T11:00:00.000Z' })));
    expect(state.ids).toEqual(['2', '1']);
    state = reducer(state, ticketUpdated(ticket('1', { priority: 'urgent', updatedAt: '2026-11-25T12:00:00.000Z' })));
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

  it('sorted by priority, puts a live ticket after the more urgent and the older of its priority', () => {
    let state = reducer(undefined, setSort('priority'));
    state = reducer(
      state,
      ticketUpdated(ticket('old-high', { priority: 'high', createdAt: '2026-11-25T08:00:00.000Z' })),
    );
    state = reducer(
      state,
      ticketUpdated(ticket('urgent', { priority: 'urgent', createdAt: '2026-11-25T11:00:00.000Z' })),
    );
    state = reducer(state, ticketUpdated(ticket('low', { priority: 'low' })));
    state = reducer(
      state,
      ticketUpdated(ticket('new-high', { priority: 'high', createdAt: '2026-11-25T09:00:00.000Z' })),
    );
    expect(state.ids).toEqual(['urgent', 'old-high', 'new-high', 'low']);
  });

  it('lists unassigned tickets under the Unassigned filter, and drops one when it is taken', () => {
    let state = reducer(undefined, setFilters({ assigneeId: 'none' }));
    state = reducer(state, ticketUpdated(ticket('1')));
    expect(state.ids).toEqual(['1']);
    state = reducer(state, ticketUpdated(ticket('1', { assigneeId: 'agent' })));
    expect(state.ids).toEqual([]);
  });

  it("moves a row's preview and unread count with a live reply, as a reload would show them", () => {
    let state = listed(listSent(reducer(undefined, { type: 'init' }), 'list'), 'list', [row('1')]);
    const reply = message({ seq: 1, body: 'Any news?', createdAt: '2026-11-25T13:00:00.000Z' });
    state = reducer(state, messageArrived({ message: reply, selfId: 'agent' }));
    state = reducer(state, messageArrived({ message: reply, selfId: 'agent' })); // redelivered
    expect(state.byId['1']).toMatchObject({ lastMessage: { body: 'Any news?' }, unreadCount: 1, lastSeq: 1 });
    expect(state.byId['1']!.updatedAt).toBe('2026-11-25T13:00:00.000Z');
    state = reducer(state, readArrived({ conversationId: 'c1', userId: 'agent', seq: 1, selfId: 'agent' }));
    expect(state.byId['1']!.unreadCount).toBe(0);
  });
});

function message(changes: Partial<Message>): Message {
  return {
    id: `m${changes.seq}`,
    conversationId: 'c1',
    seq: 1,
    senderId: 'u1',
    kind: 'text',
    body: '',
    clientMsgId: null,
    createdAt: '2026-11-25T10:00:00.000Z',
    editedAt: null,
    deletedAt: null,
    attachments: [],
    replyTo: null,
    reactions: [],
    system: null,
    ...changes,
  };
}
