import {
  PermissionSchema,
  type DeskSettings,
  TicketPrioritySchema,
  TicketStatusSchema,
  type SystemEvent,
  type Ticket,
  type TicketChannel,
  type TicketCounts,
  type TicketCountsQuery,
  type TicketListItem,
  type TicketListQuery,
  type TicketPage,
  type UpdateTicketBody,
} from '@parley/protocol';
import { can, isStaff, type Actor, type Scope } from '../auth/actor';
import { toIso } from '../clock';
import type { DomainEvent } from '../events/domain-events';
import { enqueueJob } from '../jobs/job-queue';
import { recordAudit } from '../audit/audit-service';
import { insertMessage, markMemberRead } from '../conversations/message-repository';
import type { Db } from '../db/connect';
import { NO_SLA, type MessageRow, type TicketRow } from '../db/schema';
import { presentMessages } from '../conversations/message-presenter';
import { newSystemMessage } from '../conversations/system-lines';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';
import { readDeskSettings } from '../settings/desk-settings-service';
import { findTeam, findTicketCategory, isTeamMember, teamIdsOf } from '../teams/team-service';
import { loadActor } from '../workspaces/member-repository';
import { findUserById } from '../users/user-repository';
import { PRIORITY_RANK } from './ticket-priority';
import { savedViewQuery } from '../saved-views/saved-view-service';
import {
  canSeeTicket,
  checkLabelFilter,
  checkSlaFilter,
  checkView,
  defaultView,
  ticketAsSeenBy,
  ticketReach,
} from './ticket-policy';
import { presentTicket } from './ticket-presenter';
import { MAX_SNOOZE_MS, STATUS_LABEL, TRANSITIONS } from './ticket-status';
import { snoozeWakeJob } from './snooze-wake';
import { isOnBehalf, resolveRequester, unusablePasswordHash, type OnBehalf } from './ticket-on-behalf';
import { isUniqueViolation } from '../db/constraint-errors';
import { isPastReopenWindow, reopenWindowMs } from './ticket-reply';
import { presentQueueItems } from './ticket-queue-presenter';
import type { ValueRows } from '../custom-fields/field-repository';
import { readFieldValues } from '../custom-fields/field-service';
import {
  checkNewTicketFields,
  checkRequiredFields,
  planTicketFieldChanges,
  shownValue,
  writeTicketFields,
} from '../custom-fields/ticket-fields';
import { checkFieldQuery } from '../custom-fields/ticket-field-query';
import {
  countVisibleTicketsBy,
  countVisibleTicketsByAssignee,
  countVisibleTicketsByLabel,
  countVisibleTicketsByView,
  findTicketById,
  insertTicketWithThread,
  listVisibleTickets,
  SORT_COLUMNS,
  updateTicketIf,
  type TicketFields,
} from './ticket-repository';

export interface CreateTicketInput extends OnBehalf {
  subject: string;
  description: string;
  priority: Ticket['priority'];
  teamId?: string | undefined;
  fields?: UpdateTicketBody['fields'];
}

/** A ticket that came by another way than the app (a mail: email-inbox/). */
export interface TicketSource {
  channel: TicketChannel;
  /** Its channel's team, if that still exists; else the desk's default queue. */
  teamId: string | null;
  /** In the ticket's transaction: a unique key broken here (a mail delivered twice) opens no ticket. */
  record(trx: Db, ticket: TicketRow): Promise<void>;
}

/**
 * Opens a ticket and its thread; the requester is the actor, or the customer staff open it for
 * (`requesterId`, `requester`: ticket-on-behalf.ts). Without a team it goes to the desk's
 * default queue: `defaultTeamId` if set (and the team still there), else no team.
 */
export async function createTicket(
  deps: ServiceDeps,
  actor: Actor,
  input: CreateTicketInput,
  source?: TicketSource,
): Promise<Ticket> {
  const { db, clock } = deps;
  const onBehalf = isOnBehalf(input);
  if (onBehalf && !isStaff(actor)) throw new AppError('forbidden', 'Only staff open tickets for someone else');
  const settings = await readDeskSettings(db, actor);
  if (!isStaff(actor) && !source) await checkCustomerChoices(db, actor, input, settings);
  else if (input.teamId && !(await findTeam(db, actor, input.teamId))) throw notFound('Team');
  const newFields = await checkNewTicketFields(db, actor, input.fields);
  const sourceTeamId = source?.teamId && (await findTeam(db, actor, source.teamId)) ? source.teamId : null;
  const teamId =
    input.teamId ??
    sourceTeamId ??
    (settings.defaultTeamId && (await findTeam(db, actor, settings.defaultTeamId)) ? settings.defaultTeamId : null);
  // Hashed before the transaction (it is slow on purpose), used only if the contact is new.
  const passwordHash = input.requester ? await unusablePasswordHash() : undefined;
  const at = clock.now();
  const open = () =>
    db.transaction().execute(async (trx) => {
      const requester = onBehalf
        ? await resolveRequester(trx, actor, input, passwordHash, at)
        : { id: actor.id, origin: undefined };
      const ticket: TicketRow = {
        id: newId(),
        workspaceId: actor.workspaceId,
        subject: input.subject,
        description: input.description,
        status: 'open',
        priority: input.priority,
        priorityRank: PRIORITY_RANK[input.priority],
        requesterId: requester.id,
        assigneeId: null,
        teamId,
        conversationId: newId(),
        createdAt: at,
        updatedAt: at,
        closedAt: null,
        snoozedUntil: null,
        followUpOf: null,
        channel: source?.channel ?? 'app',
        ...NO_SLA,
        labelIds: null,
      };
      // `from: null`: a new ticket, which its team's agents (or the admins) hear of; opened for
      // someone (`byUserId` is not the requester), the requester hears of it.
      const event: DomainEvent = {
        workspaceId: actor.workspaceId,
        type: 'ticket.updated',
        ticket: presentTicket(ticket),
        change: { byUserId: actor.id, from: null },
      };
      await insertTicketWithThread(trx, ticket);
      await source?.record(trx, ticket);
      await writeTicketFields(trx, actor, ticket.id, newFields.writes, at);
      await markMemberRead(trx, actor, ticket.conversationId, requester.id, 0, at);
      if (onBehalf) await markMemberRead(trx, actor, ticket.conversationId, actor.id, 0, at);
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'ticket.created',
        entityType: 'ticket',
        entityId: ticket.id,
        data: {
          subject: ticket.subject,
          priority: ticket.priority,
          teamId: ticket.teamId,
          ...(onBehalf && { onBehalfOf: requester.id, requester: requester.origin }),
        },
      });
      await deps.reactions.record(trx, event, at);
      return event;
    });
  let event: DomainEvent & { type: 'ticket.updated' };
  try {
    event = await open();
  } catch (error) {
    // The same new contact's first ticket opened twice at once: the account exists now.
    if (!(input.requester && isUniqueViolation(error))) throw error;
    event = await open();
  }
  deps.events.publish(event);
  return withFields(deps.db, actor, ticketAsSeenBy(actor, event.ticket));
}

/** A ticket as a REST answer: with the custom field values the reader may see. */
async function withFields(db: Db, actor: Actor, ticket: Ticket): Promise<Ticket> {
  const values = await readFieldValues(db, actor, 'ticket', [ticket.id]);
  return { ...ticket, fields: values.get(ticket.id) ?? {} };
}

/**
 * Customers pick a category (a team offered to them), never a team by name, and Urgent only
 * when the desk allows it. A team that is not offered is refused like one that does not exist.
 */
async function checkCustomerChoices(
  db: Db,
  actor: Actor,
  input: CreateTicketInput,
  settings: DeskSettings,
): Promise<void> {
  if (input.priority === 'urgent' && !settings.customersMayChooseUrgent) {
    throw new AppError('validation_failed', 'Urgent is set by the support team; choose High if it is pressing', {
      fields: [{ in: 'body', path: 'priority', message: 'Choose Low, Medium or High' }],
    });
  }
  if (input.teamId && (await findTicketCategory(db, actor, input.teamId)) === null) {
    throw new AppError('validation_failed', 'Choose one of the offered categories', {
      fields: [{ in: 'body', path: 'teamId', message: 'Not an offered category' }],
    });
  }
}

/** The teams whose tickets the actor sees and whose queues they have; only staff have them. */
const teamIdsFor = (db: Db, actor: Actor) =>
  ticketReach(actor) === 'own' ? Promise.resolve([]) : teamIdsOf(db, actor);

/** One page of the queue: the tickets the actor may see, filtered and sorted, as rows to show. */
export async function listTickets(deps: ServiceDeps, actor: Actor, given: TicketListQuery): Promise<TicketPage> {
  const query = given.viewId ? await savedViewQuery(deps.db, actor, given) : given;
  const columns = SORT_COLUMNS[query.sort];
  checkView(actor, query.view);
  checkSlaFilter(actor, query.sla);
  checkLabelFilter(actor, query.labelIds);
  const sortField = await checkFieldQuery(deps.db, actor, query);
  const shape = columns.map(([c]) => (c === 'id' ? 'string' : 'number') as 'string' | 'number');
  const after = query.cursor ? decodeCursor(query.cursor, sortField ? ['number', 'string', ...shape] : shape) : null;
  const rows = await listVisibleTickets(deps.db, actor, await teamIdsFor(deps.db, actor), query, after, sortField);
  const items = await presentQueueItems(deps.db, actor, rows.slice(0, query.limit));
  const byId = new Map(items.map((item) => [item.id, item]));
  return toPage(
    rows,
    query.limit,
    (row) => byId.get(row.id)!,
    (row) => [
      ...(sortField ? [Number(row.sortMissing), row.sortValue == null ? '' : String(row.sortValue)] : []),
      ...columns.map(([c]) => row[c]),
    ],
  );
}

/**
 * How many tickets each queue filter would list, for exactly the tickets the list may show
 * this actor (a customer counts their own only).
 */
export async function countTickets(deps: ServiceDeps, actor: Actor, filters: TicketCountsQuery): Promise<TicketCounts> {
  checkView(actor, filters.view);
  checkSlaFilter(actor, filters.sla);
  checkLabelFilter(actor, filters.labelIds);
  await checkFieldQuery(deps.db, actor, filters);
  const teamIds = await teamIdsFor(deps.db, actor);
  const [byStatus, byPriority, assignee, byView, byLabel] = await Promise.all([
    countVisibleTicketsBy(deps.db, actor, teamIds, filters, 'status'),
    countVisibleTicketsBy(deps.db, actor, teamIds, filters, 'priority'),
    countVisibleTicketsByAssignee(deps.db, actor, teamIds, filters),
    isStaff(actor) ? countVisibleTicketsByView(deps.db, actor, teamIds, filters) : null,
    isStaff(actor) ? countVisibleTicketsByLabel(deps.db, actor, teamIds, filters) : null,
  ]);
  return {
    status: tally(TicketStatusSchema.options, byStatus),
    priority: tally(TicketPrioritySchema.options, byPriority),
    assignee,
    view: byView && { ...byView, all: can(actor, 'tickets.all') ? byView.all : null },
    label: byLabel,
    defaultView: defaultView(actor, teamIds),
  };
}

/** Each value's count (0 when no ticket has it) and the group's total. */
function tally<V extends string>(values: readonly V[], counts: Map<string, number>): Record<V | 'all', number> {
  const each = Object.fromEntries(values.map((v) => [v, counts.get(v) ?? 0])) as Record<V, number>;
  return { all: values.reduce((sum, v) => sum + each[v], 0), ...each } as Record<V | 'all', number>;
}

/** The ticket if the actor may see it, else `not_found` (labels check access with it too). */
export async function visibleTicket(db: Db, actor: Actor, id: string): Promise<TicketRow> {
  const ticket = await findTicketById(db, actor, id);
  if (!ticket || !canSeeTicket(actor, ticket, await teamIdsFor(db, actor))) throw notFound('Ticket');
  return ticket;
}

/** One ticket, with what its queue row shows (a live change to an unknown ticket fetches this). */
export async function getTicket(deps: ServiceDeps, actor: Actor, id: string): Promise<TicketListItem> {
  const [item] = await presentQueueItems(deps.db, actor, [await visibleTicket(deps.db, actor, id)]);
  return item!;
}

/**
 * Changes status, priority, assignee or team, as the actor's role allows. Each change leaves a
 * system message in the thread and a row in the audit log (notifications follow from the event). A change
 * that raced another one to the same fields answers `409 conflict` instead of applying on stale
 * state (two agents closing and reopening at once used to both "win", with a broken audit trail).
 */
export async function updateTicket(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  patch: UpdateTicketBody,
): Promise<Ticket> {
  const ticket = await visibleTicket(deps.db, actor, id);
  const at = deps.clock.now();
  const changes = await planChanges(deps, actor, ticket, patch, at);
  const by = { id: actor.id, name: (await findUserById(deps.db, actor.id))!.displayName };
  // Staff's changes must leave the fields their status requires filled; a customer closing
  // their ticket and Parley's own changes are not held up by fields they cannot fill.
  const updated = await applyChanges(deps, actor, ticket, changes, by, at, undefined, isStaff(actor));
  return withFields(deps.db, actor, ticketAsSeenBy(actor, updated));
}

/** Which automation rule made a change, at which depth of a chain of rules. */
export interface ChangeCause {
  ruleId: string;
  depth: number;
}

/** Who the system line and the audit log name for a change Parley made by itself. */
export const PARLEY = { id: null, name: 'Parley' } as const;

/**
 * A change Parley makes by itself (a snooze ending, auto-assignment, an SLA escalation, a rule):
 * planned as an admin's would be, shown as Parley's (`byUserId: null`). Answers null, changing
 * nothing, when the ticket is gone or its `expected` fields no longer hold (someone was faster:
 * the reaction that asked is then moot), so a repeated job does no harm.
 */
export async function updateTicketAsParley(
  deps: ServiceDeps,
  ws: Scope,
  id: string,
  expected: TicketFields,
  patch: UpdateTicketBody,
  /** The automation rule that asked, and how deep in a chain of rules (recorded on the event). */
  cause?: ChangeCause,
): Promise<Ticket | null> {
  const ticket = await findTicketById(deps.db, ws, id);
  if (!ticket || !Object.entries(expected).every(([k, v]) => ticket[k as keyof TicketFields] === v)) return null;
  const at = deps.clock.now();
  const changes = await planChanges(deps, parleyActor(ws), ticket, patch, at);
  try {
    return await applyChanges(deps, ws, ticket, changes, PARLEY, at, cause);
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict') return null;
    throw error;
  }
}

/** Parley acting in a workspace: may do anything an admin may, and is nobody. */
const parleyActor = (ws: Scope): Actor => ({
  workspaceId: ws.workspaceId,
  id: '',
  roleId: '',
  role: 'admin',
  permissions: new Set(PermissionSchema.options),
});

async function applyChanges(
  deps: ServiceDeps,
  ws: Scope,
  ticket: TicketRow,
  changes: Change[],
  by: { id: string | null; name: string },
  at: number,
  cause?: ChangeCause,
  enforceRequiredFields = false,
): Promise<Ticket> {
  const { db } = deps;
  if (changes.length === 0) return presentTicket(ticket);
  const fieldWrites = changes.flatMap((c) => (c.fieldWrite ? [c.fieldWrite] : []));
  const fieldKeys = changes.flatMap((c) => (c.fieldKey ? [c.fieldKey] : []));
  const set: Partial<TicketRow> = Object.assign({ updatedAt: at }, ...changes.map((c) => c.set));
  const updated: TicketRow = { ...ticket, ...set };
  // The changes were planned (transitions checked, events and audit "from" values written) on
  // the ticket as read above; they apply only if the fields they change are still as read.
  const planned = Object.fromEntries(PLANNED_ON.filter((f) => f in set).map((f) => [f, ticket[f]])) as TicketFields;
  const presented = presentTicket(updated);
  // What it was before tells subscribers what changed: a new assignee, a customer closing it.
  const from = {
    status: ticket.status,
    assigneeId: ticket.assigneeId,
    priority: ticket.priority,
    teamId: ticket.teamId,
  };
  const event: DomainEvent = {
    workspaceId: ws.workspaceId,
    type: 'ticket.updated',
    ticket: presented,
    change: { byUserId: by.id, from, ...(cause && { cause }), ...(fieldKeys.length > 0 && { fields: fieldKeys }) },
  };
  const systemMessages = await db.transaction().execute(async (trx) => {
    const messages: MessageRow[] = [];
    if (!(await updateTicketIf(trx, ws, ticket.id, planned, set))) {
      throw new AppError('conflict', 'Someone else changed this ticket meanwhile; reload it and try again');
    }
    await writeTicketFields(trx, ws, ticket.id, fieldWrites, at);
    if (enforceRequiredFields && (fieldWrites.length > 0 || updated.status !== ticket.status)) {
      await checkRequiredFields(trx, ws, ticket.id, updated.status);
    }
    for (const change of changes) {
      const systemEvent: SystemEvent = { ...change.event, actor: by };
      const line = newSystemMessage(ticket.conversationId, systemEvent, at);
      // An internal field's change is for staff: a note, not a line the customer reads.
      const message = await insertMessage(trx, ws, change.internal ? { ...line, kind: 'note' } : line);
      messages.push(message);
      await recordAudit(trx, ws, at, {
        actorId: by.id,
        action: change.action,
        entityType: 'ticket',
        entityId: ticket.id,
        data: change.data,
      });
    }
    if (updated.assigneeId && updated.assigneeId !== ticket.assigneeId) {
      await markMemberRead(trx, ws, ticket.conversationId, updated.assigneeId, 0, at);
    }
    if (updated.status === 'snoozed' && updated.snoozedUntil !== ticket.snoozedUntil) {
      await enqueueJob(trx, {
        type: snoozeWakeJob,
        payload: { workspaceId: ws.workspaceId, ticketId: ticket.id },
        runAt: updated.snoozedUntil!,
      });
    }
    await deps.reactions.record(trx, event, at);
    return messages;
  });
  deps.events.publish(event);
  for (const message of await presentMessages(db, ws, systemMessages)) {
    deps.events.publish({ workspaceId: ws.workspaceId, type: 'message.created', message });
  }
  return presented;
}

const PLANNED_ON = ['status', 'priority', 'teamId', 'assigneeId'] as const satisfies readonly (keyof TicketFields)[];

interface Change {
  set: Partial<TicketRow>;
  action: string;
  data: Record<string, unknown>;
  /** For the system message in the thread; the actor is added when it is written. */
  event: DistributiveOmit<SystemEvent, 'actor'>;
  /** A custom field's new value rows, written in the change's transaction. */
  fieldWrite?: ValueRows;
  fieldKey?: string;
  /** Staff-only: the line is a note. */
  internal?: boolean;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

async function planChanges(
  { db, ...deps }: ServiceDeps,
  actor: Actor,
  ticket: TicketRow,
  patch: UpdateTicketBody,
  at: number,
): Promise<Change[]> {
  if (!isStaff(actor)) {
    const fields = Object.entries(patch).filter(([k, v]) => v !== undefined && k !== 'status');
    // (`fields` too: customers give field values only when they open a ticket.)
    if (fields.length > 0 || (patch.status !== undefined && patch.status !== 'open' && patch.status !== 'closed')) {
      throw new AppError('forbidden', 'Customers can only close or reopen their ticket');
    }
  }
  const changes: Change[] = [];

  const snoozedUntil = patch.snoozedUntil === undefined ? null : snoozeEnd(patch.snoozedUntil, at);
  if (patch.status !== undefined && (patch.status !== ticket.status || snoozedUntil !== ticket.snoozedUntil)) {
    const to = patch.status;
    if (to !== ticket.status && !TRANSITIONS[ticket.status].includes(to)) {
      throw new AppError('conflict', `A ${STATUS_LABEL[ticket.status]} ticket cannot become ${STATUS_LABEL[to]}`);
    }
    if (to !== 'closed' && isPastReopenWindow({ db, ...deps }, actor, ticket, at)) {
      const days = Math.round(reopenWindowMs({ db, ...deps }) / (24 * 3600_000));
      throw new AppError(
        'conflict',
        `This ticket was closed more than ${days} days ago; write to it and a follow-up ticket opens`,
      );
    }
    const until = snoozedUntil === null ? {} : { until: toIso(snoozedUntil) };
    changes.push({
      set: { status: to, closedAt: to === 'closed' ? at : null, snoozedUntil },
      action: 'ticket.status_changed',
      data: { from: ticket.status, to, ...until },
      event: { event: 'ticket.status_changed', params: { from: ticket.status, to, ...until } },
    });
  }

  if (patch.priority !== undefined && patch.priority !== ticket.priority) {
    if (!can(actor, 'tickets.priority')) throw new AppError('forbidden', 'Your role may not change priority');
    changes.push({
      set: { priority: patch.priority, priorityRank: PRIORITY_RANK[patch.priority] },
      action: 'ticket.priority_changed',
      data: { from: ticket.priority, to: patch.priority },
      event: { event: 'ticket.priority_changed', params: { from: ticket.priority, to: patch.priority } },
    });
  }

  if (patch.teamId !== undefined && patch.teamId !== ticket.teamId) {
    const team = patch.teamId ? await findTeam(db, actor, patch.teamId) : null;
    if (patch.teamId && !team) throw notFound('Team');
    if (!can(actor, 'tickets.all') && (!team || !(await isTeamMember(db, actor, team.id, actor.id)))) {
      throw new AppError('forbidden', 'Agents can move tickets only into their own teams');
    }
    changes.push({
      set: { teamId: team?.id ?? null },
      action: 'ticket.team_changed',
      data: { from: ticket.teamId, to: team?.id ?? null },
      // The thread is the customer's too, and team names are internal: the category, if any.
      event: { event: 'ticket.team_changed', params: { team: team ? { category: team.category } : null } },
    });
  }

  if (patch.assigneeId !== undefined && patch.assigneeId !== ticket.assigneeId) {
    const assignee = patch.assigneeId ? await assignableUser(db, actor, ticket, patch.assigneeId, patch.teamId) : null;
    changes.push({
      set: { assigneeId: assignee?.id ?? null },
      action: 'ticket.assignee_changed',
      data: { from: ticket.assigneeId, to: assignee?.id ?? null },
      event: {
        event: 'ticket.assignee_changed',
        params: { assignee: assignee && { id: assignee.id, name: assignee.displayName } },
      },
    });
  }

  if (patch.fields !== undefined) {
    for (const c of await planTicketFieldChanges(db, actor, ticket.id, patch.fields)) {
      changes.push({
        set: {},
        action: 'ticket.field_changed',
        data: { key: c.field.key, from: c.from, to: c.to },
        event: {
          event: 'ticket.field_changed',
          params: { field: { key: c.field.key, name: c.field.name }, value: shownValue(c.field, c.to) },
        },
        fieldWrite: c.write,
        fieldKey: c.field.key,
        internal: !c.field.visibleToCustomers,
      });
    }
  }
  return changes;
}

/** When a snooze asked for ends, if it is a time to wake up at: ahead, and within a year. */
function snoozeEnd(iso: string, at: number): number {
  const until = Date.parse(iso);
  if (until > at && until - at <= MAX_SNOOZE_MS) return until;
  throw new AppError('validation_failed', 'Snooze until a time ahead, within a year', {
    fields: [{ in: 'body', path: 'snoozedUntil', message: 'A time ahead, within a year' }],
  });
}

/**
 * Tickets go to active staff of the workspace. Without `tickets.assign`, staff assign within their
 * teams: to themself, or to a member of the ticket's team when they are in that team too. With
 * it, to any staff member.
 */
async function assignableUser(
  db: Db,
  actor: Actor,
  ticket: TicketRow,
  userId: string,
  newTeamId: string | null | undefined,
): Promise<Actor & { displayName: string }> {
  const [user, member] = await Promise.all([findUserById(db, userId), loadActor(db, actor, userId)]);
  if (!user || !member) throw notFound('User');
  if (!isStaff(member)) {
    throw new AppError('validation_failed', 'Tickets can be assigned to agents and admins only', {
      fields: [{ in: 'body', path: 'assigneeId', message: 'Not an agent or admin' }],
    });
  }
  if (!can(actor, 'tickets.assign') && user.id !== actor.id) {
    const teamId = newTeamId === undefined ? ticket.teamId : newTeamId;
    const sameTeam =
      teamId !== null &&
      (await isTeamMember(db, actor, teamId, actor.id)) &&
      (await isTeamMember(db, actor, teamId, user.id));
    if (!sameTeam)
      throw new AppError(
        'forbidden',
        "Agents can assign a ticket only to members of the ticket's team, or to themselves",
      );
  }
  return { ...member, displayName: user.displayName };
}
