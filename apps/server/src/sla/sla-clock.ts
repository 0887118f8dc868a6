import { IdSchema, SlaTargetSchema, type SlaPolicy, type SlaState, type SlaTarget } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import type { Reaction } from '../events/reactions';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { findTicketById } from '../tickets/ticket-repository';
import { presentTicket } from '../tickets/ticket-presenter';
import { addBusinessTime, businessTimeBetween } from './business-hours';
import { findSlaPolicy, updateSlaIf, type SlaColumns } from './sla-repository';

/**
 * A ticket's SLA clocks. A durable reaction to `ticket.updated` starts them for a new ticket,
 * pauses them while it is pending (moving its due times by the business time paused), counts
 * them anew when its priority changes, and marks the resolution met when it closes. Each due
 * time has two durable check jobs (at risk, due); a check whose due time has since moved finds
 * it changed and does nothing, so nothing is ever cancelled.
 */

const MINUTE = 60_000;
const RANK: Record<SlaState, number> = { ok: 0, at_risk: 1, breached: 2, met: 3 };

const COLUMNS = {
  first_response: { due: 'slaFirstResponseDueAt', state: 'slaFirstResponseState' },
  resolution: { due: 'slaResolutionDueAt', state: 'slaResolutionState' },
} as const satisfies Record<SlaTarget, { due: keyof SlaColumns; state: keyof SlaColumns }>;

type TicketEvent = Extract<DomainEvent, { type: 'ticket.updated' }>;

const targetMs = (policy: SlaPolicy, row: Pick<TicketRow, 'priority'>, target: SlaTarget) =>
  (target === 'first_response'
    ? policy.targets[row.priority].firstResponseMinutes
    : policy.targets[row.priority].resolutionMinutes) * MINUTE;

/** When the target falls due, and when it turns at risk: counted from the ticket's opening. */
function timesOf(policy: SlaPolicy, row: TicketRow, target: SlaTarget, pausedMs: number) {
  const ms = targetMs(policy, row, target);
  const start = row.createdAt;
  return {
    due: addBusinessTime(start, ms + pausedMs, policy.businessHours),
    atRisk: addBusinessTime(start, Math.round((ms * policy.atRiskPercent) / 100) + pausedMs, policy.businessHours),
  };
}

/** Whether a target's clock still runs: not reached, not closed. */
function isRunning(row: TicketRow, target: SlaTarget): boolean {
  const state = row[COLUMNS[target].state];
  if (row.status === 'closed' || state === 'met') return false;
  return target === 'resolution' || row.slaFirstRespondedAt === null;
}

export const slaCheckJob = defineJobType(
  'sla.check',
  z.object({
    workspaceId: IdSchema,
    ticketId: IdSchema,
    target: SlaTargetSchema,
    state: z.enum(['at_risk', 'breached']),
    /** The due time it was scheduled for: a check for an older one is stale and does nothing. */
    dueAt: z.number(),
  }),
  { backoffMs: 5_000, maxBackoffMs: 10 * 60_000, leaseMs: 60_000 },
);

/** A due time's checks, at its at-risk and its due time; a repeat (same due time) adds nothing. */
async function scheduleChecks(trx: Db, ws: Scope, row: TicketRow, policy: SlaPolicy, set: Partial<SlaColumns>) {
  const next = { ...row, ...set };
  if (next.slaPausedAt !== null) return;
  for (const target of ['first_response', 'resolution'] as const) {
    const dueAt = next[COLUMNS[target].due];
    if (dueAt === null || !isRunning(next, target)) continue;
    const { atRisk } = timesOf(policy, next, target, next.slaPausedMs);
    const current = RANK[next[COLUMNS[target].state] ?? 'ok'];
    for (const [state, runAt] of [
      ['at_risk', atRisk],
      ['breached', dueAt],
    ] as const) {
      if (RANK[state] <= current) continue;
      await enqueueJob(trx, {
        type: slaCheckJob,
        payload: { workspaceId: ws.workspaceId, ticketId: row.id, target, state, dueAt },
        runAt,
        dedupeKey: `sla:${row.id}:${target}:${state}:${dueAt}`,
      });
    }
  }
}

/** The state a running target is in at `now` by its times alone. */
const stateAt = (now: number, times: { due: number; atRisk: number }): SlaState =>
  now >= times.due ? 'breached' : now >= times.atRisk ? 'at_risk' : 'ok';

/** What the clocks of `row` must become after the change in `event` (null: nothing). */
function planClocks(row: TicketRow, policy: SlaPolicy, event: TicketEvent, now: number): Partial<SlaColumns> | null {
  const from = event.change?.from;
  // When the change happened (the reaction may run later): the event's time if it shows the
  // ticket as it now is, else now.
  const changedAt = event.ticket.status === row.status ? Date.parse(event.ticket.updatedAt) : now;
  if (row.slaResolutionDueAt === null) {
    if (from !== null || row.status === 'closed') return null; // only new tickets get clocks
    return {
      slaFirstResponseDueAt: timesOf(policy, row, 'first_response', 0).due,
      slaFirstResponseState: 'ok',
      slaResolutionDueAt: timesOf(policy, row, 'resolution', 0).due,
      slaResolutionState: 'ok',
      slaPausedAt: row.status === 'pending' ? row.createdAt : null,
    };
  }
  const set: Partial<SlaColumns> = {};
  let recount = from != null && from.priority !== event.ticket.priority;
  if (row.status === 'pending' && row.slaPausedAt === null) set.slaPausedAt = changedAt;
  if (row.status !== 'pending' && row.slaPausedAt !== null) {
    set.slaPausedAt = null;
    set.slaPausedMs = row.slaPausedMs + businessTimeBetween(row.slaPausedAt, changedAt, policy.businessHours);
    recount = true;
  }
  if (row.status === 'closed' && row.slaResolutionState !== 'met' && row.slaResolutionState !== 'breached') {
    set.slaResolutionState = (row.closedAt ?? now) <= row.slaResolutionDueAt ? 'met' : 'breached';
  }
  if (recount) {
    const next = { ...row, ...set };
    for (const target of ['first_response', 'resolution'] as const) {
      const times = timesOf(policy, next, target, next.slaPausedMs);
      set[COLUMNS[target].due] = times.due;
      if (!isRunning(next, target)) continue;
      // Better by the new times (a lower priority, time paused) shows at once; worse waits for
      // its check job, which records the event.
      const stored = next[COLUMNS[target].state] ?? 'ok';
      const by = stateAt(now, times);
      if (RANK[by] < RANK[stored]) set[COLUMNS[target].state] = by;
    }
  }
  return Object.keys(set).length > 0 ? set : null;
}

const expectedOf = (row: TicketRow): SlaColumns => ({
  slaFirstResponseDueAt: row.slaFirstResponseDueAt,
  slaFirstRespondedAt: row.slaFirstRespondedAt,
  slaFirstResponseState: row.slaFirstResponseState,
  slaResolutionDueAt: row.slaResolutionDueAt,
  slaResolutionState: row.slaResolutionState,
  slaPausedAt: row.slaPausedAt,
  slaPausedMs: row.slaPausedMs,
});

/** Publishes the ticket as it now is (sockets see the clocks); no reaction follows it. */
async function publishTicket(deps: ServiceDeps, ws: Scope, id: string) {
  const row = await findTicketById(deps.db, ws, id);
  if (row) deps.events.publish({ workspaceId: ws.workspaceId, type: 'ticket.updated', ticket: presentTicket(row) });
}

export function slaClockReaction(deps: ServiceDeps): Reaction<'ticket.updated'> {
  return {
    name: 'sla-clock',
    on: ['ticket.updated'],
    // Only what moves a clock: a new ticket, a status or a priority change (not its team or assignee).
    wants: (event) =>
      event.change !== undefined &&
      (event.change.from === null ||
        event.change.from.status !== event.ticket.status ||
        event.change.from.priority !== event.ticket.priority),
    async handle(event, { now }) {
      const ws = { workspaceId: event.workspaceId };
      const row = await findTicketById(deps.db, ws, event.ticket.id);
      const policy = row && (await findSlaPolicy(deps.db, ws));
      if (!row || !policy) return;
      const set = planClocks(row, policy, event, now);
      if (!set) return;
      await deps.db.transaction().execute(async (trx) => {
        // Another change to the clocks came first: fail, and the retry plans on what it left.
        if (!(await updateSlaIf(trx, ws, row.id, expectedOf(row), set)))
          throw new Error('SLA clocks changed meanwhile');
        await scheduleChecks(trx, ws, row, policy, set);
      });
      await publishTicket(deps, ws, row.id);
    },
  };
}

/**
 * A check falls due: if its due time still holds and its target still runs, the target turns
 * at risk or breached, once (the state moves only forward), with the `ticket.sla` event for
 * escalation and rules recorded in the same transaction.
 */
export function registerSlaChecks(jobs: JobRunner, deps: ServiceDeps): void {
  jobs.register(slaCheckJob, async ({ workspaceId, ticketId, target, state, dueAt }, { now }) => {
    const ws = { workspaceId };
    const row = await findTicketById(deps.db, ws, ticketId);
    if (!row || row[COLUMNS[target].due] !== dueAt || row.slaPausedAt !== null || !isRunning(row, target)) return;
    const stored = row[COLUMNS[target].state] ?? 'ok';
    if (RANK[stored] >= RANK[state]) return;
    const changed = await deps.db.transaction().execute(async (trx) => {
      if (!(await updateSlaIf(trx, ws, ticketId, expectedOf(row), { [COLUMNS[target].state]: state }))) return false;
      await recordAudit(trx, ws, now, {
        actorId: null,
        action: `ticket.sla_${state}`,
        entityType: 'ticket',
        entityId: ticketId,
        data: { target, dueAt: toIso(dueAt) },
      });
      await deps.reactions.record(trx, { workspaceId, type: 'ticket.sla', ticketId, target, state }, now);
      return true;
    });
    if (!changed) throw new Error('SLA clocks changed meanwhile'); // checked again on retry
    deps.events.publish({ workspaceId, type: 'ticket.sla', ticketId, target, state });
    await publishTicket(deps, ws, ticketId);
  });
}
