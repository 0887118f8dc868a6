import {
  MAX_LABELS_PER_ITEM,
  type FieldIssue,
  type ItemLabels,
  type LabelChip,
  type SystemEvent,
} from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { presentMessages } from '../conversations/message-presenter';
import { insertMessage } from '../conversations/message-repository';
import { newSystemMessage } from '../conversations/system-lines';
import { isUniqueViolation } from '../db/constraint-errors';
import type { MessageRow, TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import type { DomainEvent } from '../events/domain-events';
import { AppError } from '../http/app-error';
import { findTicketById } from '../tickets/ticket-repository';
import { PARLEY, visibleTicket, type ChangeCause } from '../tickets/ticket-service';
import { findUserById } from '../users/user-repository';
import { changeConversationLabels, labelsOfConversations } from './label-repository';
import { chipOf, findLabels } from './label-service';

/** What gets labelled: a ticket (by its thread), or a conversation and its staff members (who hear it). */
export interface LabelTarget {
  conversationId: string;
  ticket?: TicketRow;
  staffIds?: string[];
}

/** Who a label change is by, as the system line names them (`id: null`: Parley). */
export interface ChangedBy {
  id: string | null;
  name: string;
}

/**
 * The labels of these ids, all of the workspace, or `400` naming each one that is not
 * (`path` is where the ids came from in the body).
 */
export async function labelChips(
  deps: Pick<ServiceDeps, 'db'>,
  ws: Scope,
  ids: readonly string[],
  path: string,
): Promise<Map<string, LabelChip>> {
  const found = new Map((await findLabels(deps, ws, ids)).map((row) => [row.id, chipOf(row)]));
  const issues: Omit<FieldIssue, 'reason'>[] = ids.flatMap((id, i) =>
    found.has(id) ? [] : [{ in: 'body' as const, path: `${path}.${i}`, message: 'No such label' }],
  );
  if (issues.length > 0) {
    throw new AppError('validation_failed', issues.map((f) => `${f.path}: ${f.message}`).join('; '), {
      fields: issues,
    });
  }
  return found;
}

/**
 * Staff who may see the ticket give it exactly these labels (`PUT /tickets/:id/labels`). What
 * changed leaves an internal system line, an audit entry and `ticket.labels_changed`.
 */
export async function setTicketLabels(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  labelIds: readonly string[],
): Promise<ItemLabels> {
  const ticket = await visibleTicket(deps.db, actor, ticketId);
  const wanted = await labelChips(deps, actor, [...new Set(labelIds)], 'labelIds');
  const by = { id: actor.id, name: (await findUserById(deps.db, actor.id))!.displayName };
  const target = { conversationId: ticket.conversationId, ticket };
  const labels = await changeLabels(deps, actor, target, wanted, () => [...wanted.keys()], by);
  return { labels };
}

/**
 * Staff who may see the ticket put labels on and take others off, keeping the rest (a bulk
 * action). `known` holds the labels to add, checked once for the whole batch.
 */
export async function addAndRemoveTicketLabels(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  known: Map<string, LabelChip>,
  removeIds: readonly string[],
): Promise<LabelChip[]> {
  const ticket = await visibleTicket(deps.db, actor, ticketId);
  const by = { id: actor.id, name: (await findUserById(deps.db, actor.id))!.displayName };
  const wantedOf = (current: string[]) =>
    [...new Set([...current, ...known.keys()])].filter((id) => !removeIds.includes(id));
  return changeLabels(deps, actor, { conversationId: ticket.conversationId, ticket }, known, wantedOf, by);
}

/**
 * Parley puts a label on a ticket or takes one off (a rule's action, an SLA step). A label or
 * ticket that is gone meanwhile, or a ticket with all the labels it can carry, is nothing to do:
 * answers why, or null once done.
 */
export async function changeTicketLabelAsParley(
  deps: ServiceDeps,
  ws: Scope,
  ticketId: string,
  labelId: string,
  change: 'add' | 'remove',
  cause?: ChangeCause,
): Promise<string | null> {
  const ticket = await findTicketById(deps.db, ws, ticketId);
  const [label] = await findLabels(deps, ws, [labelId]);
  if (!ticket || !label) return 'label or ticket gone';
  const chips = new Map([[label.id, chipOf(label)]]);
  try {
    await changeLabels(
      deps,
      ws,
      { conversationId: ticket.conversationId, ticket },
      chips,
      (current) => (change === 'add' ? [...current, label.id] : current.filter((id) => id !== label.id)),
      PARLEY,
      cause,
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'validation_failed') return error.message;
    throw error;
  }
  return null;
}

/** The label ids of a ticket (for rules' conditions). */
export async function ticketLabelIds(deps: Pick<ServiceDeps, 'db'>, ws: Scope, ticket: TicketRow): Promise<string[]> {
  return ((await labelsOfConversations(deps.db, ws, [ticket.conversationId])).get(ticket.conversationId) ?? []).map(
    (l) => l.id,
  );
}

/**
 * Changes a ticket's labels to what `wantedOf(current ids)` says, in one transaction with its
 * system line (a `note`: labels are internal), audit entry and recorded event; publishes after
 * the commit. Answers the ticket's labels now. Two changes at once: the one that loses the
 * race on a new row runs again on what the other left.
 */
export async function changeLabels(
  deps: ServiceDeps,
  ws: Scope,
  target: LabelTarget,
  known: Map<string, LabelChip>,
  wantedOf: (current: string[]) => string[],
  by: ChangedBy,
  cause?: ChangeCause,
): Promise<LabelChip[]> {
  const attempt = () => changeOnce(deps, ws, target, known, wantedOf, by, cause);
  let result: Awaited<ReturnType<typeof changeOnce>>;
  try {
    result = await attempt();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    result = await attempt();
  }
  if (!result.event) return result.labels;
  deps.events.publish(result.event);
  for (const message of await presentMessages(deps.db, ws, result.messages)) {
    deps.events.publish({ workspaceId: ws.workspaceId, type: 'message.created', message });
  }
  return result.labels;
}

async function changeOnce(
  deps: ServiceDeps,
  ws: Scope,
  target: LabelTarget,
  known: Map<string, LabelChip>,
  wantedOf: (current: string[]) => string[],
  by: ChangedBy,
  cause?: ChangeCause,
): Promise<{ labels: LabelChip[]; event: DomainEvent | null; messages: MessageRow[] }> {
  const at = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const { conversationId, ticket } = target;
    const current = (await labelsOfConversations(trx, ws, [conversationId])).get(conversationId) ?? [];
    const currentIds = current.map((l) => l.id);
    const wanted = new Set(wantedOf(currentIds));
    const added = [...wanted].filter((id) => !currentIds.includes(id) && known.has(id)).map((id) => known.get(id)!);
    const removed = current.filter((l) => !wanted.has(l.id));
    if (added.length === 0 && removed.length === 0) return { labels: current, event: null, messages: [] };
    if (added.length > 0 && wanted.size > MAX_LABELS_PER_ITEM) {
      throw new AppError(
        'validation_failed',
        `A ticket or conversation carries at most ${MAX_LABELS_PER_ITEM} labels`,
        {
          fields: [{ in: 'body', path: 'labelIds', message: `At most ${MAX_LABELS_PER_ITEM}`, reason: 'invalid' }],
        },
      );
    }
    await changeConversationLabels(
      trx,
      ws,
      conversationId,
      added.map((l) => l.id),
      removed.map((l) => l.id),
      at,
    );
    const labels = [...current.filter((l) => wanted.has(l.id)), ...added].sort((a, b) =>
      a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1,
    );
    const named = (l: LabelChip) => ({ id: l.id, name: l.name });
    const systemEvent: SystemEvent = {
      event: 'labels_changed',
      actor: by,
      params: { added: added.map(named), removed: removed.map(named) },
    };
    const message = await insertMessage(trx, ws, {
      ...newSystemMessage(conversationId, systemEvent, at),
      kind: 'note',
    });
    await recordAudit(trx, ws, at, {
      actorId: by.id,
      action: ticket ? 'ticket.labels_changed' : 'conversation.labels_changed',
      entityType: ticket ? 'ticket' : 'conversation',
      entityId: ticket ? ticket.id : conversationId,
      data: { added: added.map(named), removed: removed.map(named), ...(cause && { ruleId: cause.ruleId }) },
    });
    if (!ticket) {
      const event: DomainEvent = {
        workspaceId: ws.workspaceId,
        type: 'conversation.labels_changed',
        conversationId,
        staffIds: target.staffIds ?? [],
        labels,
      };
      return { labels, event, messages: [message] };
    }
    const event: DomainEvent = {
      workspaceId: ws.workspaceId,
      type: 'ticket.labels_changed',
      ticket: {
        id: ticket.id,
        conversationId: ticket.conversationId,
        requesterId: ticket.requesterId,
        assigneeId: ticket.assigneeId,
        teamId: ticket.teamId,
      },
      labels,
      change: {
        byUserId: by.id,
        added: added.map((l) => l.id),
        removed: removed.map((l) => l.id),
        ...(cause && { cause }),
      },
    };
    await deps.reactions.record(trx, event, at);
    return { labels, event, messages: [message] };
  });
}
