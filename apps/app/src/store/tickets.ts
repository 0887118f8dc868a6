import type { CreateTicketBody, Ticket, TicketListQuery, UpdateTicketBody } from '@parley/protocol';
import { createAsyncThunk, createSlice, type PayloadAction } from '@reduxjs/toolkit';
import { toFormError, type FormError } from '../api/errors';
import { parley } from '../api/parley';
import { formThunk } from './form-thunk';

/** The dashboard's filters; unset means "any". */
export interface TicketFilters {
  status?: Ticket['status'] | undefined;
  priority?: Ticket['priority'] | undefined;
  assigneeId?: string | undefined;
  q?: string | undefined;
}

export interface TicketsState {
  byId: Record<string, Ticket>;
  /** The dashboard list for `filters`, in the server's order (most recently updated first). */
  ids: string[];
  filters: TicketFilters;
  nextCursor: string | null;
  loading: boolean;
  /** Why the list did not load, for the screen to say in the reader's language. */
  error: FormError | null;
}

const initialState: TicketsState = { byId: {}, ids: [], filters: {}, nextCursor: null, loading: false, error: null };

const PAGE = 25;

const queryOf = (filters: TicketFilters): Partial<TicketListQuery> => {
  const query: Partial<TicketListQuery> = { limit: PAGE, sort: 'updated' };
  if (filters.status) query.status = filters.status;
  if (filters.priority) query.priority = filters.priority;
  if (filters.assigneeId) query.assigneeId = filters.assigneeId;
  if (filters.q?.trim()) query.q = filters.q.trim();
  return query;
};

/** First page for the current filters (pull-to-refresh, filter change). */
export const loadTickets = createAsyncThunk('tickets/load', async (_: void, { getState }) => {
  const { filters } = (getState() as { tickets: TicketsState }).tickets;
  return parley.tickets.list(queryOf(filters));
});

/** The next page (infinite scroll). */
export const loadMoreTickets = createAsyncThunk('tickets/loadMore', async (_: void, { getState }) => {
  const { filters, nextCursor } = (getState() as { tickets: TicketsState }).tickets;
  return parley.tickets.list({ ...queryOf(filters), ...(nextCursor && { cursor: nextCursor }) });
});

export const loadTicket = createAsyncThunk('tickets/loadOne', (id: string) => parley.tickets.get(id));

export const createTicket = formThunk('tickets/create', (body: CreateTicketBody) => parley.tickets.create(body));

export const updateTicket = formThunk('tickets/update', ({ id, changes }: { id: string; changes: UpdateTicketBody }) =>
  parley.tickets.update(id, changes),
);

/** Whether a ticket belongs in the list shown for these filters. */
export function matchesFilters(ticket: Ticket, filters: TicketFilters): boolean {
  if (filters.status && ticket.status !== filters.status) return false;
  if (filters.priority && ticket.priority !== filters.priority) return false;
  if (filters.assigneeId && ticket.assigneeId !== filters.assigneeId) return false;
  if (filters.q?.trim() && !ticket.subject.toLowerCase().includes(filters.q.trim().toLowerCase())) return false;
  return true;
}

function upsert(state: TicketsState, ticket: Ticket) {
  state.byId[ticket.id] = ticket;
  const at = state.ids.indexOf(ticket.id);
  if (at >= 0) state.ids.splice(at, 1);
  // Most recently updated first: a changed or new ticket moves to the top, if it still matches.
  if (matchesFilters(ticket, state.filters)) state.ids.unshift(ticket.id);
}

const tickets = createSlice({
  name: 'tickets',
  initialState,
  reducers: {
    setFilters(state, action: PayloadAction<TicketFilters>) {
      state.filters = { ...state.filters, ...action.payload };
    },
    /** Live `ticket.updated` (a change, or a new ticket this user may see). */
    ticketUpdated(state, action: PayloadAction<Ticket>) {
      upsert(state, action.payload);
    },
  },
  extraReducers: (builder) => {
    builder
      .addCase(loadTickets.pending, (state) => {
        state.loading = true;
        state.error = null;
      })
      .addCase(loadTickets.fulfilled, (state, { payload }) => {
        for (const ticket of payload.items) state.byId[ticket.id] = ticket;
        state.ids = payload.items.map((t) => t.id);
        state.nextCursor = payload.nextCursor;
        state.loading = false;
      })
      .addCase(loadTickets.rejected, (state, { error }) => {
        state.loading = false;
        state.error = toFormError(error);
      })
      .addCase(loadMoreTickets.fulfilled, (state, { payload }) => {
        for (const ticket of payload.items) {
          state.byId[ticket.id] = ticket;
          if (!state.ids.includes(ticket.id)) state.ids.push(ticket.id);
        }
        state.nextCursor = payload.nextCursor;
      })
      .addCase(loadTicket.fulfilled, (state, { payload }) => {
        state.byId[payload.id] = payload;
      })
      .addCase(createTicket.fulfilled, (state, { payload }) => upsert(state, payload))
      .addCase(updateTicket.fulfilled, (state, { payload }) => upsert(state, payload));
  },
});

export const { setFilters, ticketUpdated } = tickets.actions;
export default tickets.reducer;
