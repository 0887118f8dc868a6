import type { SlaState, TicketSla } from '@parley/protocol';
import { toIso } from '../clock';
import type { TicketRow } from '../db/schema';

/**
 * A ticket's SLA clocks from its row (null: no policy applied). The first response is `met` as
 * soon as the reply is stored, in time, before any job has looked at it: the reply's own UPDATE
 * sets `slaFirstRespondedAt`.
 */
export function presentTicketSla(row: TicketRow): TicketSla | null {
  if (row.slaFirstResponseDueAt == null || row.slaResolutionDueAt == null) return null;
  const respondedAt = row.slaFirstRespondedAt ?? null;
  return {
    firstResponse: {
      dueAt: toIso(row.slaFirstResponseDueAt),
      at: respondedAt === null ? null : toIso(respondedAt),
      state: firstResponseState(row.slaFirstResponseState ?? 'ok', respondedAt, row.slaFirstResponseDueAt),
    },
    resolution: { dueAt: toIso(row.slaResolutionDueAt), state: row.slaResolutionState ?? 'ok' },
    pausedAt: row.slaPausedAt == null ? null : toIso(row.slaPausedAt),
  };
}

function firstResponseState(stored: SlaState, respondedAt: number | null, dueAt: number): SlaState {
  if (respondedAt === null || stored === 'breached' || stored === 'met') return stored;
  return respondedAt <= dueAt ? 'met' : 'breached';
}
