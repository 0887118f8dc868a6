import type { TicketStatus } from '@parley/protocol';

/**
 * Where a ticket may go from each status. Any working status leads to any other; a closed ticket
 * only reopens (and only within the reopen window: ticket-reply.ts).
 */
export const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  open: ['in_progress', 'pending', 'snoozed', 'closed'],
  in_progress: ['open', 'pending', 'snoozed', 'closed'],
  pending: ['open', 'in_progress', 'snoozed', 'closed'],
  snoozed: ['open', 'in_progress', 'pending', 'closed'],
  closed: ['open'],
};

export const STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  pending: 'Pending',
  snoozed: 'Snoozed',
  closed: 'Closed',
};

/** The longest snooze: long enough for "after the holidays", short enough to be a mistake if longer. */
export const MAX_SNOOZE_MS = 366 * 24 * 3600_000;
