import type { TicketPriority } from '@parley/protocol';

export const PRIORITY_RANK: Record<TicketPriority, number> = { low: 1, medium: 2, high: 3, urgent: 4 };
