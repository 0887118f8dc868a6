import type { BulkTicketBody, BulkTicketResult } from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { updateTicket } from './ticket-service';

/**
 * One change to many tickets, each through `updateTicket` exactly as `PATCH /tickets/:id` would
 * apply it (permissions, transitions, system lines, audit, events, reactions), one after the
 * other. A ticket that refuses the change is reported with the error it would have answered;
 * the others still change. Staff only.
 */
export async function bulkUpdateTickets(
  deps: ServiceDeps,
  actor: Actor,
  { ticketIds, change }: BulkTicketBody,
): Promise<BulkTicketResult> {
  if (!isStaff(actor)) throw new AppError('forbidden', 'Bulk actions are for staff');
  const results: BulkTicketResult['results'] = [];
  for (const id of new Set(ticketIds)) {
    try {
      await updateTicket(deps, actor, id, change);
      results.push({ id, ok: true });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ id, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  return { results };
}
