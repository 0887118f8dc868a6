import { IdSchema, type AutomationAction, type Message, type UpdateTicketBody } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import { fillCannedResponseForRule } from '../canned-responses/canned-service';
import { sendMessageAsParley } from '../conversations/message-service';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import type { Reactions } from '../events/reactions';
import { AppError } from '../http/app-error';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType, type JobContext, type JobOutcome } from '../jobs/job-type';
import { findTicketById } from '../tickets/ticket-repository';
import { updateTicketAsParley } from '../tickets/ticket-service';
import { anchorHolds, type TimedSince } from './rule-anchors';
import { conditionsHold, needsBusinessHours, needsFields, needsLabels } from './rule-conditions';
import { changeTicketLabelAsParley, ticketLabelIds } from '../labels/ticket-labels';
import { ticketFieldValues } from '../custom-fields/field-service';
import { findSlaPolicy } from '../sla/sla-repository';
import { interestOf, interestsOf, ruleIndexOf, type RuleIndex } from './rule-index';
import { notifyForRule } from './rule-notify';
import { claimRun, findRule, listRules, releaseRun, type RuleRecord } from './rule-repository';

/**
 * Runs the workspace's automation rules (docs/architecture.md "Automation rules"): a durable
 * reaction to ticket and message events, and a durable timer per timed rule and ticket.
 */

/** How deep a chain of rules may go: a change made at this depth triggers no further rule. */
export const MAX_RULE_DEPTH = 3;

const MINUTE = 60_000;

/** A timed rule's check: due `minutes` after its anchor (a ticket's creation, status change or message). */
export const ruleTimerJob = defineJobType(
  'automation.timer',
  z.object({
    workspaceId: IdSchema,
    ruleId: IdSchema,
    ticketId: IdSchema,
    since: z.enum(['created', 'status_changed', 'customer_message', 'agent_message']),
    anchorAt: z.number(),
    messageId: IdSchema.optional(),
  }),
  { backoffMs: 10_000, maxBackoffMs: 10 * 60_000, leaseMs: 60_000 },
);

/** The reaction (in `every-reaction.ts`). */
export function addAutomationRules(reactions: Reactions, deps: ServiceDeps): void {
  const index = ruleIndexOf(deps.events);
  index.readWith(async (workspaceId) =>
    (await listRules(deps.db, { workspaceId }, { enabledOnly: true })).map((r) => interestOf(r.event)),
  );
  reactions.add({
    name: 'automation-rules',
    on: ['ticket.updated', 'message.created', 'ticket.sla', 'ticket.labels_changed'],
    wants: (event) => index.wants(event),
    handle: (event, context) => handleEvent(deps, index, event, context),
  });
}

/** The timers' job kind (in `app.ts`, beside the snooze wake-ups). */
export function registerAutomationTimers(jobs: JobRunner, deps: ServiceDeps): void {
  jobs.register(ruleTimerJob, (payload, context) => fireTimer(deps, payload, context));
}

interface Trigger {
  ticketId: string;
  /** Unique per event and kind of run: a rule runs once per key. */
  eventKey: string;
  /** Of the change that triggers the rule; the rule's own changes are one deeper. */
  depth: number;
  message?: Message | undefined;
}

async function handleEvent(deps: ServiceDeps, index: RuleIndex, event: DomainEvent, context: JobContext) {
  const ws = { workspaceId: event.workspaceId };
  const generation = index.generation(ws.workspaceId);
  const rules = await listRules(deps.db, ws, { enabledOnly: true });
  index.learn(
    ws.workspaceId,
    rules.map((r) => interestOf(r.event)),
    generation,
  );
  const ticketId = ticketIdOf(event);
  if (!ticketId) return;
  const interests = new Set<string>(interestsOf(event));
  const message = event.type === 'message.created' ? event.message : undefined;

  // Each event that starts a timed rule's clock schedules its check (once per start: the key).
  for (const rule of rules) {
    if (rule.event.type !== 'time.elapsed' || !interests.has(interestOf(rule.event))) continue;
    const anchor = anchorOf(event, rule.event.since);
    if (!anchor) continue;
    await enqueueJob(deps.db, {
      type: ruleTimerJob,
      payload: { ...ws, ruleId: rule.id, ticketId, since: rule.event.since, ...anchor },
      runAt: anchor.anchorAt + rule.event.minutes * MINUTE,
      dedupeKey: `automation:${rule.id}:${ticketId}:${anchor.anchorAt}`,
    });
  }

  const cause =
    event.type === 'ticket.updated' || event.type === 'ticket.labels_changed' ? event.change?.cause : undefined;
  const depth = cause?.depth ?? 0;
  if (depth >= MAX_RULE_DEPTH) return;
  for (const rule of rules) {
    // A rule's own change does not trigger it again.
    if (rule.event.type === 'time.elapsed' || !interests.has(rule.event.type) || rule.id === cause?.ruleId) continue;
    await runRule(deps, ws, rule, { ticketId, eventKey: `event:${context.jobId}`, depth, message });
  }
}

const ticketIdOf = (event: DomainEvent): string | undefined =>
  event.type === 'ticket.updated'
    ? event.ticket.id
    : event.type === 'message.created'
      ? event.context?.ticket?.id
      : event.type === 'ticket.sla'
        ? event.ticketId
        : event.type === 'ticket.labels_changed'
          ? event.ticket.id
          : undefined;

function anchorOf(event: DomainEvent, since: TimedSince): { anchorAt: number; messageId?: string } | undefined {
  if (event.type === 'ticket.updated') {
    if (since === 'created') return { anchorAt: Date.parse(event.ticket.createdAt) };
    if (since === 'status_changed') return { anchorAt: Date.parse(event.ticket.updatedAt) };
  }
  if (event.type === 'message.created' && (since === 'customer_message' || since === 'agent_message')) {
    return { anchorAt: Date.parse(event.message.createdAt), messageId: event.message.id };
  }
  return undefined;
}

async function fireTimer(
  deps: ServiceDeps,
  timer: z.infer<typeof ruleTimerJob.payload>,
  { now }: JobContext,
): Promise<JobOutcome> {
  const ws = { workspaceId: timer.workspaceId };
  const rule = await findRule(deps.db, ws, timer.ruleId);
  if (!rule?.enabled || rule.event.type !== 'time.elapsed' || rule.event.since !== timer.since) return;
  const due = timer.anchorAt + rule.event.minutes * MINUTE;
  // The rule was made to wait longer since: check again then.
  if (due > now) return { runAgainAt: due };
  const ticket = await findTicketById(deps.db, ws, timer.ticketId);
  if (!ticket || !(await anchorHolds(deps.db, ws, ticket, timer))) return;
  await runRule(deps, ws, rule, { ticketId: ticket.id, eventKey: `timer:${ticket.id}:${timer.anchorAt}`, depth: 0 });
}

/**
 * Runs one rule for one event, at most once (`rule_runs`): checks its conditions on the ticket
 * as it is now (earlier rules' changes included), does its actions as Parley, and writes what it
 * did to the audit log.
 */
async function runRule(deps: ServiceDeps, ws: Scope, rule: RuleRecord, trigger: Trigger): Promise<void> {
  const ticket = await findTicketById(deps.db, ws, trigger.ticketId);
  const at = deps.clock.now();
  const businessHours = needsBusinessHours(rule.conditions)
    ? ((await findSlaPolicy(deps.db, ws))?.businessHours ?? null)
    : null;
  if (!ticket) return;
  const labelIds = needsLabels(rule.conditions) ? await ticketLabelIds(deps, ws, ticket) : undefined;
  const fields = needsFields(rule.conditions) ? await ticketFieldValues(deps.db, ws, ticket.id) : undefined;
  const moment = { message: trigger.message, at, businessHours, labelIds, fields };
  if (!conditionsHold(rule.conditions, ticket, moment)) return;
  const run = { ruleId: rule.id, eventKey: trigger.eventKey, ticketId: ticket.id, at };
  if (!(await claimRun(deps.db, ws, run))) return;
  try {
    const did = await perform(deps, ws, rule, ticket, trigger.depth + 1);
    await recordAudit(deps.db, ws, deps.clock.now(), {
      actorId: null,
      action: 'automation_rule.ran',
      entityType: 'automation_rule',
      entityId: rule.id,
      data: { ticketId: ticket.id, rule: rule.name, event: trigger.eventKey, depth: trigger.depth + 1, did },
    });
  } catch (error) {
    // The job is retried: give the run back so the retry does it.
    await releaseRun(deps.db, ws, rule.id, trigger.eventKey);
    throw error;
  }
}

/** What one action did, for the audit log. */
type Done = Record<string, unknown>;

/**
 * The ticket's changes first, in one change (one system line each, one event naming the rule),
 * then notes and replies, then notifications. An action the ticket refuses now (a transition
 * that is not allowed, an assignee who left) is skipped and says why.
 */
async function perform(
  deps: ServiceDeps,
  ws: Scope,
  rule: RuleRecord,
  ticket: TicketRow,
  depth: number,
): Promise<Done[]> {
  const did: Done[] = [];
  const patch = ticketPatch(rule.actions, deps.clock.now());
  if (Object.keys(patch).length > 0) {
    try {
      // Only while the ticket is as the conditions saw it: someone faster wins.
      const { status, priority, teamId, assigneeId } = ticket;
      const expected = { status, priority, teamId, assigneeId };
      const changed = await updateTicketAsParley(deps, ws, ticket.id, expected, patch, { ruleId: rule.id, depth });
      did.push({ type: 'update_ticket', patch, ...(changed === null && { skipped: 'changed meanwhile' }) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      did.push({ type: 'update_ticket', patch, skipped: error.message });
    }
  }
  for (const action of rule.actions) {
    if (action.type === 'add_label' || action.type === 'remove_label') {
      const change = action.type === 'add_label' ? 'add' : 'remove';
      const skipped = await changeTicketLabelAsParley(deps, ws, ticket.id, action.labelId, change, {
        ruleId: rule.id,
        depth,
      });
      did.push({ type: action.type, labelId: action.labelId, ...(skipped && { skipped }) });
    }
  }
  for (const action of rule.actions) {
    if (action.type === 'add_note' || action.type === 'send_reply') {
      const kind = action.type === 'add_note' ? 'note' : 'text';
      const message = await sendMessageAsParley(deps, ws, ticket, kind, action.body);
      did.push({ type: action.type, messageId: message.id });
    }
    if (action.type === 'send_canned_reply') {
      // Filled for the ticket as it is now (after this rule's changes: the new assignee signs).
      const now = (await findTicketById(deps.db, ws, ticket.id)) ?? ticket;
      const body = await fillCannedResponseForRule(deps.db, ws, action.cannedResponseId, now);
      if (body === undefined) {
        did.push({ type: action.type, cannedResponseId: action.cannedResponseId, skipped: 'canned response gone' });
      } else {
        const message = await sendMessageAsParley(deps, ws, ticket, 'text', body);
        did.push({ type: action.type, cannedResponseId: action.cannedResponseId, messageId: message.id });
      }
    }
    if (action.type === 'notify') {
      const notified = await notifyForRule(deps, ws, ticket, action.userIds, action.message);
      did.push({ type: 'notify', userIds: notified });
    }
  }
  return did;
}

function ticketPatch(actions: AutomationAction[], now: number): UpdateTicketBody {
  const patch: UpdateTicketBody = {};
  for (const action of actions) {
    if (action.type === 'assign') patch.assigneeId = action.userId;
    if (action.type === 'set_team') patch.teamId = action.teamId;
    if (action.type === 'set_priority') patch.priority = action.priority;
    if (action.type === 'set_status') {
      patch.status = action.status;
      if (action.status === 'snoozed') patch.snoozedUntil = toIso(now + (action.snoozeMinutes ?? 60) * MINUTE);
      else delete patch.snoozedUntil;
    }
  }
  return patch;
}
