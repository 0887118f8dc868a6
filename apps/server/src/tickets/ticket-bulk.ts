import type { BulkTicketBody, BulkTicketResult } from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { addAndRemoveTicketLabels, labelChips } from '../labels/ticket-labels';
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
  const { addLabelIds, removeLabelIds, ...fields } = change;
  const hasFields = Object.values(fields).some((v) => v !== undefined);
  // Labels that do not exist refuse the whole batch (400), before any ticket changes.
  const adding = addLabelIds ? await labelChips(deps, actor, [...new Set(addLabelIds)], 'change.addLabelIds') : null;
  const results: BulkTicketResult['results'] = [];
  for (const id of new Set(ticketIds)) {
    try {
      if (hasFields) await updateTicket(deps, actor, id, fields);
      if (adding || removeLabelIds) {
        await addAndRemoveTicketLabels(deps, actor, id, adding ?? new Map(), removeLabelIds ?? []);
      }
      results.push({ id, ok: true });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ id, ok: false, error: { code: error.code, message: error.message } });
    }
  }
  return { results };
}
