import { onMessage, onRead } from '@parley/client';
import type {
  CreateTicketBody,
  LabelChip,
  SlaState,
  Ticket,
  TicketCounts,
  TicketListItem,
  TicketListQuery,
  TicketSort,
  TicketView,
  UpdateTicketBody,
} from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { markRead, messageArrived, readArrived } from './conversations';
import { overallSlaState } from '../sla/sla-countdown';
import { formThunk } from './form-thunk';
import { labelDeleted, labelSaved } from './labels';
import { loadSavedViews } from './saved-views';
import { messageUpdated } from './messages';

/**
 * The dashboard's filters; unset means "any". `assigneeId: 'none'` is "unassigned". `view` is
 * the staff queue (Unassigned, Mine, My teams, All), which the server decides on.
 */
export interface TicketFilters {
  view?: TicketView | undefined;
  status?: Ticket['status'] | undefined;
  priority?: Ticket['priority'] | undefined;
  assigneeId?: string | undefined;
  q?: string | undefined;
  /** A saved view is open: the list is its tickets (`GET /tickets?viewId=`); another filter closes it. */
  viewId?: string | undefined;
  /** Tickets with all of these labels (staff). */
  labelIds?: string[] | undefined;
  /** Tickets whose SLA is in this state, the worse of its two targets (staff). */
  sla?: SlaState | undefined;
  /** Tickets of this team (staff). */
  teamId?: string | undefined;
  /**
   * Custom fields, `key:value` each (`key:*` has a value, `key:` has none), all must hold. They
   * apply on the server: a live change is not checked against them (frames carry no fields).
   */
  fields?: string[] | undefined;
}

/** The queue's orders: newest activity first, newest ticket first, or most urgent (then longest waiting) first. */
export type QueueSort = TicketSort;

/**
 * A ticket as kept here: always the ticket; the row's people, last message and unread count
 * once a list or `GET /tickets/:id` brought them (a live `ticket.updated` carries none).
 */
export type StoredTicket = Ticket & Partial<Omit<TicketListItem, keyof Ticket>>;

export interface TicketsState {
  byId: Record<string, StoredTicket>;
  /** The dashboard list for `filters`, in the server's order for `sort`. */
  ids: string[];
  filters: TicketFilters;
  sort: QueueSort;
  /** A custom field sorted by first (`key` ascending, `-key` descending; empty last), then `sort`. */
  sortField: string | undefined;
  /** How many tickets each filter value lists (`GET /tickets/counts`), for the chips. */
  counts: TicketCounts | null;
  /** The workspace whose default view `filters.view` was set in (another one starts over). */
  viewIn: string | null;
  nextCursor: string | null;
  loading: boolean;
  /** Why the list did not load, for the screen to say in the reader's language. */
  error: FormError | null;
  /** The latest list load: only its answer is shown (an older one may land after it). */
  listRequestId: string | null;
  /**
   * Against REST answers that a live change overtook: changes seen here are counted
   * (`changes`), each ticket keeps the count at its last one (`changedAt`), and each read in
   * flight the count when it was sent (`readSince`, by request id).
   */
  changes: number;
  changedAt: Record<string, number>;
  readSince: Record<string, number>;
}

const initialState: TicketsState = {
  byId: {},
  ids: [],
  filters: {},
  sort: 'updated',
  sortField: undefined,
  counts: null,
  viewIn: null,
  nextCursor: null,
  loading: false,
  error: null,
  listRequestId: null,
  changes: 0,
  changedAt: {},
  readSince: {},
};

const PAGE = 25;

type Filtered = Pick<
  TicketListQuery,
  'view' | 'status' | 'priority' | 'assigneeId' | 'q' | 'viewId' | 'labelIds' | 'sla' | 'teamId' | 'fields'
>;

const filtersQuery = (filters: TicketFilters): Partial<Filtered> => {
  const query: Partial<Filtered> = {};
  if (filters.view) query.view = filters.view;
  if (filters.status) query.status = filters.status;
  if (filters.priority) query.priority = filters.priority;
  if (filters.assigneeId) query.assigneeId = filters.assigneeId;
  if (filters.q?.trim()) query.q = filters.q.trim();
  if (filters.viewId) query.viewId = filters.viewId;
  if (filters.labelIds?.length) query.labelIds = filters.labelIds;
  if (filters.sla) query.sla = filters.sla;
  if (filters.teamId) query.teamId = filters.teamId;
  if (filters.fields?.length) query.fields = filters.fields;
  return query;
};

const queryOf = (state: TicketsState): Partial<TicketListQuery> => ({
  ...filtersQuery(state.filters),
  limit: PAGE,
  sort: state.sort,
  ...(state.sortField && { sortField: state.sortField }),
});

const ticketsOf = (getState: () => unknown) => (getState() as { tickets: TicketsState }).tickets;

/** First page for the current filters and sort (pull-to-refresh, filter change). */
export const loadTickets = createAsyncThunk('tickets/load', async (_: void, { getState }) =>
  parley.tickets.list(queryOf(ticketsOf(getState))),
);

/** The next page (infinite scroll). */
export const loadMoreTickets = createAsyncThunk('tickets/loadMore', async (_: void, { getState }) => {
  const state = ticketsOf(getState);
  return parley.tickets.list({ ...queryOf(state), ...(state.nextCursor && { cursor: state.nextCursor }) });
});

/** The counts on the filter chips, under the current filters. */
export const loadTicketCounts = createAsyncThunk('tickets/counts', async (_: void, { getState }) => {
  const { viewId: _viewId, ...filters } = filtersQuery(ticketsOf(getState).filters);
  return parley.tickets.counts(filters);
});

export const loadTicket = createAsyncThunk('tickets/loadOne', (id: string) => parley.tickets.get(id));

export const createTicket = formThunk('tickets/create', (body: CreateTicketBody) => parley.tickets.create(body));

export const updateTicket = formThunk('tickets/update', ({ id, changes }: { id: string; changes: UpdateTicketBody }) =>
  parley.tickets.update(id, changes),
);

/**
 * Staff start in the queue the server suggests (Unassigned for members of a team): the counts
 * say which; then the list and counts for it. A queue picked while the counts were on their way
 * stands (it is loading already): the suggestion is for who has not chosen.
 */
export const loadDefaultView = createAsyncThunk(
  'tickets/defaultView',
  async (workspaceId: string, { dispatch, getState }) => {
    const asked = ticketsOf(getState).filters;
    const counts = await parley.tickets.counts({});
    dispatch(viewChosenIn(workspaceId));
    if (ticketsOf(getState).filters !== asked) return;
    dispatch(setFilters({ view: counts.defaultView ?? undefined }));
    await Promise.all([dispatch(loadTickets()), dispatch(loadTicketCounts())]);
  },
);

let countsTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * A live `ticket.updated`: the row changes at once; a row whose people are not known yet (a
 * new ticket, a new assignee) is fetched whole, and the chip counts follow shortly after.
 */
export const ticketChangedLive = createAsyncThunk(
  'tickets/changedLive',
  async (ticket: Ticket, { dispatch, getState }) => {
    dispatch(ticketUpdated(ticket));
    const state = ticketsOf(getState);
    const stored = state.byId[ticket.id];
    const peopleKnown =
      stored?.requester !== undefined && (stored.assigneeId === null || stored.assignee?.id === stored.assigneeId);
    if (state.ids.includes(ticket.id) && !peopleKnown) void dispatch(loadTicket(ticket.id));
    clearTimeout(countsTimer);
    // Several changes in a burst (a bulk reassignment) cost one count. Which queue (view) a
    // ticket is in depends on teams the app does not keep: the server says, with the list.
    const inView = (state.filters.view !== undefined && state.filters.view !== 'all') || !!state.filters.viewId;
    countsTimer = setTimeout(() => {
      void dispatch(loadTicketCounts());
      void dispatch(loadSavedViews());
      if (inView) void dispatch(loadTickets());
    }, 300);
  },
);

/** Whether a ticket belongs in the list shown for these filters. */
export function matchesFilters(ticket: Ticket, filters: TicketFilters): boolean {
  if (filters.view === 'unassigned' && ticket.assigneeId !== null) return false;
  if (filters.status && ticket.status !== filters.status) return false;
  if (filters.priority && ticket.priority !== filters.priority) return false;
  if (filters.assigneeId === 'none' && ticket.assigneeId !== null) return false;
  if (filters.assigneeId && filters.assigneeId !== 'none' && ticket.assigneeId !== filters.assigneeId) return false;
  const q = filters.q?.trim().toLowerCase();
  if (q && !ticket.subject.toLowerCase().includes(q) && !ticket.description.toLowerCase().includes(q)) return false;
  // Labels come with the row (or a `ticket.labels` frame); unknown ones do not rule a ticket out.
  const labels = (ticket as StoredTicket).labels;
  if (filters.labelIds?.length && labels && !filters.labelIds.every((id) => labels.some((l) => l.id === id))) {
    return false;
  }
  if (filters.sla && (!ticket.sla || overallSlaState(ticket.sla) !== filters.sla)) return false;
  if (filters.teamId && ticket.teamId !== filters.teamId) return false;
  return true;
}

const RANK: Record<Ticket['priority'], number> = { low: 1, medium: 2, high: 3, urgent: 4 };

/** The server's order for each sort (`GET /tickets?sort=`), so a live change lands where a reload would put it. */
export function compareTickets(sort: QueueSort): (a: Ticket, b: Ticket) => number {
  const byId = (a: Ticket, b: Ticket) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (sort === 'priority') {
    return (a, b) => RANK[b.priority] - RANK[a.priority] || a.createdAt.localeCompare(b.createdAt) || byId(a, b);
  }
  if (sort === 'created') return (a, b) => b.createdAt.localeCompare(a.createdAt) || byId(b, a);
  return (a, b) => b.updatedAt.localeCompare(a.updatedAt) || byId(b, a);
}

/** Puts the ticket where it belongs in the list, or out of it when it no longer matches. */
function place(state: TicketsState, id: string) {
  const ticket = state.byId[id]!;
  const at = state.ids.indexOf(id);
  if (at >= 0) state.ids.splice(at, 1);
  if (!matchesFilters(ticket, state.filters)) return;
  if (state.sortField) {
    // Frames carry no field values: a listed ticket keeps its place, a new one (no value yet,
    // most likely) goes last, where tickets without a value sort; a reload puts both right.
    if (at >= 0) state.ids.splice(at, 0, id);
    else if (state.nextCursor === null) state.ids.push(id);
    return;
  }
  const compare = compareTickets(state.sort);
  const before = state.ids.findIndex((other) => compare(ticket, state.byId[other]!) < 0);
  // Past the last loaded row it belongs to a page not loaded yet, which will bring it.
  if (before >= 0) state.ids.splice(before, 0, id);
  else if (state.nextCursor === null) state.ids.push(id);
}

/** The row changed here (live, or by our own write): a read sent before this must not undo it. */
function changed(state: TicketsState, id: string) {
  state.changes += 1;
  state.changedAt[id] = state.changes;
}

function upsert(state: TicketsState, ticket: StoredTicket) {
  state.byId[ticket.id] = { ...state.byId[ticket.id], ...ticket };
  changed(state, ticket.id);
  place(state, ticket.id);
}

/** A read is sent: note how many changes were seen by then. */
function readSent(state: TicketsState, requestId: string) {
  state.readSince[requestId] = state.changes;
}

/** A read is answered (or failed): once none is in flight, no answer can be overtaken. */
function readDone(state: TicketsState, requestId: string) {
  delete state.readSince[requestId];
  if (Object.keys(state.readSince).length === 0) state.changedAt = {};
}

/**
 * Keeps a fetched ticket, except what changed here after the read was sent: that stays, over
 * the answer (which is older). Returns whether it was overtaken (its place is to be checked).
 */
function keepFetched(state: TicketsState, requestId: string, fetched: StoredTicket): boolean {
  const overtaken = (state.changedAt[fetched.id] ?? 0) > (state.readSince[requestId] ?? Infinity);
  state.byId[fetched.id] = overtaken ? { ...fetched, ...state.byId[fetched.id] } : fetched;
  return overtaken;
}

/** The ticket whose thread this is, if it is kept here. */
const ticketOfConversation = (state: TicketsState, conversationId: string) =>
  Object.values(state.byId).find((t) => t.conversationId === conversationId);

const tickets = createSlice({
  name: 'tickets',
  initialState,
  reducers: {
    setFilters(state, action: PayloadAction<TicketFilters>) {
      // Any other filter closes an open saved view (opening one names it).
      state.filters = { ...state.filters, viewId: undefined, ...action.payload };
    },
    viewChosenIn(state, action: PayloadAction<string>) {
      state.viewIn = action.payload;
    },
    setSort(state, action: PayloadAction<QueueSort>) {
      state.sort = action.payload;
      state.filters.viewId = undefined;
    },
    /** Sort by a custom field first (choosing one closes an open view, as a sort does). */
    setSortField(state, action: PayloadAction<string | undefined>) {
      state.sortField = action.payload;
      state.filters.viewId = undefined;
    },
    /** Live `ticket.updated` (a change, or a new ticket this user may see). */
    ticketUpdated(state, action: PayloadAction<Ticket>) {
      upsert(state, action.payload);
    },
    /** A ticket's labels now (staff): its own change, or a live `ticket.labels`. */
    ticketLabelsChanged(state, { payload }: PayloadAction<{ ticketId: string; labels: LabelChip[] }>) {
      const ticket = state.byId[payload.ticketId];
      if (!ticket) return;
      ticket.labels = payload.labels;
      changed(state, ticket.id);
      place(state, ticket.id);
    },
  },
  extraReducers: (builder) => {
    builder
      // A renamed or recoloured label shows so on every row; a deleted one leaves them.
      .addCase(labelSaved, (state, { payload }) => {
        for (const ticket of Object.values(state.byId)) {
          ticket.labels = ticket.labels?.map((chip) =>
            chip.id === payload.id ? { id: payload.id, name: payload.name, colour: payload.colour } : chip,
          );
        }
      })
      .addCase(labelDeleted, (state, { payload }) => {
        for (const ticket of Object.values(state.byId)) ticket.labels = ticket.labels?.filter((c) => c.id !== payload);
      })
      .addCase(loadTickets.pending, (state, { meta }) => {
        readSent(state, meta.requestId);
        state.listRequestId = meta.requestId;
        state.loading = true;
        state.error = null;
      })
      .addCase(loadTickets.fulfilled, (state, { payload, meta }) => {
        if (meta.requestId === state.listRequestId) {
          const overtaken = payload.items.filter((ticket) => keepFetched(state, meta.requestId, ticket));
          state.ids = payload.items.map((t) => t.id);
          state.nextCursor = payload.nextCursor;
          state.loading = false;
          // Changed since the read was sent: in the list or out of it by what they are now.
          const since = state.readSince[meta.requestId]!;
          const changedSince = Object.keys(state.changedAt).filter((id) => state.changedAt[id]! > since);
          for (const id of new Set([...overtaken.map((t) => t.id), ...changedSince])) {
            if (state.byId[id]) place(state, id);
          }
        }
        readDone(state, meta.requestId);
      })
      .addCase(loadTickets.rejected, (state, { error, meta }) => {
        if (meta.requestId === state.listRequestId) {
          state.loading = false;
          state.error = toFormError(error);
        }
        readDone(state, meta.requestId);
      })
      .addCase(loadMoreTickets.pending, (state, { meta }) => readSent(state, meta.requestId))
      .addCase(loadMoreTickets.fulfilled, (state, { payload, meta }) => {
        for (const ticket of payload.items) {
          if (keepFetched(state, meta.requestId, ticket)) place(state, ticket.id);
          else if (!state.ids.includes(ticket.id)) state.ids.push(ticket.id);
        }
        state.nextCursor = payload.nextCursor;
        readDone(state, meta.requestId);
      })
      .addCase(loadMoreTickets.rejected, (state, { meta }) => readDone(state, meta.requestId))
      .addCase(loadTicketCounts.fulfilled, (state, { payload }) => {
        state.counts = payload;
      })
      .addCase(loadTicket.pending, (state, { meta }) => readSent(state, meta.requestId))
      .addCase(loadTicket.fulfilled, (state, { payload, meta }) => {
        keepFetched(state, meta.requestId, payload);
        readDone(state, meta.requestId);
      })
      .addCase(loadTicket.rejected, (state, { meta }) => readDone(state, meta.requestId))
      .addCase(createTicket.fulfilled, (state, { payload }) => upsert(state, payload))
      .addCase(updateTicket.fulfilled, (state, { payload }) => upsert(state, payload))
      // A new message in a ticket's thread: the row's preview and unread count, and its place
      // among the newest (a reply moves the ticket's activity time; a note does not).
      .addCase(messageArrived, (state, { payload: { message, selfId } }) => {
        const ticket = ticketOfConversation(state, message.conversationId);
        if (!ticket || ticket.lastSeq === undefined) return;
        const unread = onMessage(
          { lastSeq: ticket.lastSeq, lastReadSeq: ticket.lastReadSeq ?? 0, unreadCount: ticket.unreadCount ?? 0 },
          message,
          selfId,
        );
        if (unread.lastSeq === ticket.lastSeq) return; // a redelivery
        Object.assign(ticket, unread, { lastMessage: message });
        if (message.kind !== 'note' && message.createdAt > ticket.updatedAt) ticket.updatedAt = message.createdAt;
        changed(state, ticket.id);
        place(state, ticket.id);
      })
      .addCase(messageUpdated, (state, { payload: message }) => {
        const ticket = ticketOfConversation(state, message.conversationId);
        if (ticket?.lastMessage?.id === message.id) {
          ticket.lastMessage = message;
          changed(state, ticket.id);
        }
      })
      // Ours moves the row's unread count; a "mark unread" (`markedUnread`) sets it back.
      .addCase(readArrived, (state, { payload: { conversationId, userId, seq, selfId, markedUnread } }) => {
        const ticket = ticketOfConversation(state, conversationId);
        if (!ticket || ticket.lastSeq === undefined) return;
        const state0 = {
          lastSeq: ticket.lastSeq,
          lastReadSeq: ticket.lastReadSeq ?? 0,
          unreadCount: ticket.unreadCount ?? 0,
        };
        Object.assign(ticket, onRead(state0, { userId, seq, markedUnread }, selfId));
        changed(state, ticket.id);
      })
      .addCase(markRead.fulfilled, (state, { payload }) => {
        const ticket = ticketOfConversation(state, payload.id);
        if (ticket && payload.seq > (ticket.lastReadSeq ?? 0)) {
          Object.assign(ticket, { lastReadSeq: payload.seq, unreadCount: 0 });
          changed(state, ticket.id);
        }
      });
  },
});

export const { setFilters, setSort, setSortField, ticketLabelsChanged, ticketUpdated, viewChosenIn } = tickets.actions;

/** Staff give a ticket exactly these labels; the row and ticket show them at once. */
export const setTicketLabels = createAsyncThunk(
  'tickets/setLabels',
  async ({ ticketId, labelIds }: { ticketId: string; labelIds: string[] }, { dispatch }) => {
    const { labels } = await parley.tickets.setLabels(ticketId, labelIds);
    dispatch(ticketLabelsChanged({ ticketId, labels }));
    void dispatch(loadTicketCounts());
    return labels;
  },
);

let labelCountsTimer: ReturnType<typeof setTimeout> | undefined;

/** A live `ticket.labels`: the row at once, the per-label counts shortly after (once per burst). */
export const ticketLabelsChangedLive = createAsyncThunk(
  'tickets/labelsChangedLive',
  async (change: { ticketId: string; labels: LabelChip[] }, { dispatch }) => {
    dispatch(ticketLabelsChanged(change));
    clearTimeout(labelCountsTimer);
    labelCountsTimer = setTimeout(() => void dispatch(loadTicketCounts()), 300);
  },
);
export default tickets.reducer;
