import { IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { ServiceDeps } from '../deps';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { findTicketById } from './ticket-repository';

/**
 * Wakes a snoozed ticket. Each snooze adds its own job, due when it ends; a job whose snooze was
 * since moved, ended by hand or replaced does nothing, so a re-snooze needs no clean-up.
 */
export const snoozeWakeJob = defineJobType(
  'ticket.snooze-wake',
  z.object({ workspaceId: IdSchema, ticketId: IdSchema }),
  { backoffMs: 10_000, maxBackoffMs: 10 * 60_000, leaseMs: 60_000 },
);

export function registerSnoozeWake(jobs: JobRunner, deps: ServiceDeps): void {
  jobs.register(snoozeWakeJob, async ({ workspaceId, ticketId }, { now }) => {
    const ws = { workspaceId };
    const ticket = await findTicketById(deps.db, ws, ticketId);
    if (ticket?.status !== 'snoozed' || ticket.snoozedUntil === null || ticket.snoozedUntil > now) return;
    // Imported here: the ticket service imports this job's type.
    const { updateTicketAsParley } = await import('./ticket-service');
    await updateTicketAsParley(deps, ws, ticketId, { status: 'snoozed' }, { status: 'open' });
  });
}
