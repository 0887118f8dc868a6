import type {
  CannedResponse,
  CannedResponseList,
  CannedResponseListQuery,
  CreateCannedResponseBody,
  RenderedCannedResponse,
  UpdateCannedResponseBody,
} from '@parley/protocol';
import { can, type Actor, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { TicketRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { findTeam, teamIdsOf } from '../teams/team-service';
import { visibleTicket } from '../tickets/ticket-service';
import { findUserById } from '../users/user-repository';
import { findWorkspace } from '../workspaces/workspace-repository';
import { rulesUsingCannedResponse } from '../automation/rule-service';
import { fieldValuesFor } from '../custom-fields/field-service';
import { renderPlaceholders, type FieldLookup, type PlaceholderValues } from './canned-render';
import {
  countCannedUse,
  deleteCannedRow,
  findCanned,
  insertCanned,
  listCannedFor,
  ownerKeyOf,
  updateCannedRow,
  type CannedRecord,
} from './canned-repository';

/**
 * Canned responses (docs/architecture.md "Canned responses"). Every route is for staff
 * (`tickets.work`). Who uses one: its owner (`personal`), the team's members (`team`), all staff
 * (`workspace`). Who keeps one: its owner; team and workspace ones, whoever has `settings.manage`.
 * One the actor may neither use nor keep does not exist for them (404).
 */

/**
 * `{{ticket.fields.KEY}}` and `{{customer.fields.KEY}}`: the ticket's and its requester's custom
 * field values as shown (archived fields have none), read in two queries.
 */
export async function fieldLookupFor(db: Db, ws: Scope, ticket: TicketRow): Promise<FieldLookup> {
  const [ofTicket, ofCustomer] = await Promise.all([
    fieldValuesFor(db, ws, 'ticket', [ticket.id]),
    fieldValuesFor(db, ws, 'customer', [ticket.requesterId]),
  ]);
  const values = { ticket: ofTicket.get(ticket.id) ?? {}, customer: ofCustomer.get(ticket.requesterId) ?? {} };
  return (owner, key) => values[owner][key];
}

const mayUse = (actor: Actor, r: CannedRecord, teamIds: readonly string[]) =>
  r.scope === 'workspace' || (r.scope === 'personal' ? r.ownerId === actor.id : teamIds.includes(r.teamId ?? ''));

const mayEdit = (actor: Actor, r: CannedRecord) =>
  r.scope === 'personal' ? r.ownerId === actor.id : can(actor, 'settings.manage');

const present = (actor: Actor, r: CannedRecord): CannedResponse => ({
  id: r.id,
  scope: r.scope,
  ownerId: r.ownerId,
  teamId: r.teamId,
  shortcut: r.shortcut,
  title: r.title,
  body: r.body,
  usageCount: r.usageCount,
  canEdit: mayEdit(actor, r),
  createdAt: toIso(r.createdAt),
  updatedAt: toIso(r.updatedAt),
});

/** Most used first; then by title, the same on every database. */
const byUse = (a: CannedRecord, b: CannedRecord) =>
  b.usageCount - a.usageCount || a.title.localeCompare(b.title) || (a.id < b.id ? -1 : 1);

/**
 * `use`: the actor's own, their teams' and the workspace's. `manage`: the actor's own, and with
 * `settings.manage` every team's and the workspace's. Filtered by `q` in the shortcut, title or
 * body, ignoring case (an agent has tens of responses, not thousands: filtered here, the same
 * on every database, rather than by three dialects' LIKE and collations).
 */
export async function listCannedResponses(
  deps: ServiceDeps,
  actor: Actor,
  query: CannedResponseListQuery,
): Promise<CannedResponseList> {
  const manage = query.purpose === 'manage';
  const admin = can(actor, 'settings.manage');
  const teamIds = manage ? [] : await teamIdsOf(deps.db, actor);
  const rows = await listCannedFor(deps.db, actor, {
    ownerId: actor.id,
    teamIds,
    allTeams: manage && admin,
    workspace: !manage || admin,
  });
  const needle = (query.q ?? '').replace(/^\//, '').toLocaleLowerCase();
  const found = needle
    ? rows.filter((r) => [r.shortcut, r.title, r.body].some((text) => text.toLocaleLowerCase().includes(needle)))
    : rows;
  return { items: found.sort(byUse).map((r) => present(actor, r)) };
}

export async function createCannedResponse(
  deps: ServiceDeps,
  actor: Actor,
  body: CreateCannedResponseBody,
): Promise<CannedResponse> {
  if (body.scope !== 'personal' && !can(actor, 'settings.manage')) {
    throw new AppError('forbidden', 'Team and workspace responses require the permission settings.manage');
  }
  if (body.scope === 'team' && !(await findTeam(deps.db, actor, body.teamId ?? ''))) {
    throw new AppError('validation_failed', 'teamId: No such team', {
      fields: [{ in: 'body', path: 'teamId', message: 'No such team' }],
    });
  }
  const at = deps.clock.now();
  const ownerId = body.scope === 'personal' ? actor.id : null;
  const teamId = body.scope === 'team' ? body.teamId! : null;
  const record: CannedRecord = {
    id: newId(),
    workspaceId: actor.workspaceId,
    scope: body.scope,
    ownerId,
    teamId,
    ownerKey: ownerKeyOf(body.scope, ownerId, teamId),
    shortcut: body.shortcut,
    title: body.title,
    body: body.body,
    usageCount: 0,
    createdBy: actor.id,
    createdAt: at,
    updatedAt: at,
  };
  await write(async () =>
    deps.db.transaction().execute(async (trx) => {
      const { usageCount: _, ...row } = record;
      await insertCanned(trx, row);
      await audit(trx, actor, at, 'canned_response.created', record);
    }),
  );
  return present(actor, record);
}

export async function updateCannedResponse(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateCannedResponseBody,
): Promise<CannedResponse> {
  const before = await editable(deps.db, actor, id);
  const after: CannedRecord = {
    ...before,
    shortcut: body.shortcut ?? before.shortcut,
    title: body.title ?? before.title,
    body: body.body ?? before.body,
    updatedAt: deps.clock.now(),
  };
  await write(async () =>
    deps.db.transaction().execute(async (trx) => {
      await updateCannedRow(trx, actor, id, after);
      await audit(trx, actor, after.updatedAt, 'canned_response.updated', after);
    }),
  );
  return present(actor, after);
}

/**
 * Deletes it, unless an automation rule sends it: then `409` naming the rules (`details.rules`),
 * so a rule never loses its reply silently. Change or delete those rules first.
 */
export async function deleteCannedResponse(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const record = await editable(deps.db, actor, id);
  const rules = await rulesUsingCannedResponse(deps.db, actor, id);
  if (rules.length > 0) {
    throw new AppError(
      'conflict',
      `Automation rules send this response: ${rules.map((r) => `"${r.name}"`).join(', ')}. Change them first.`,
      { rules },
    );
  }
  await deps.db.transaction().execute(async (trx) => {
    if (!(await deleteCannedRow(trx, actor, id))) throw notFound('Canned response');
    await audit(trx, actor, deps.clock.now(), 'canned_response.deleted', record);
  });
}

/**
 * The response filled in for a ticket the actor may see, and one more use counted. The body is
 * the agent's to edit before sending: nothing is sent here.
 */
export async function renderCannedResponse(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  ticketId: string,
): Promise<RenderedCannedResponse> {
  const record = await findCanned(deps.db, actor, id);
  const teamIds = await teamIdsOf(deps.db, actor);
  if (!record || !(mayUse(actor, record, teamIds) || mayEdit(actor, record))) throw notFound('Canned response');
  const ticket = await visibleTicket(deps.db, actor, ticketId);
  const agent = await findUserById(deps.db, actor.id);
  const rendered = await fillForTicket(deps.db, actor, record.body, ticket, agent ? { name: agent.displayName } : null);
  await countCannedUse(deps.db, actor, id);
  return rendered;
}

/**
 * For automation: a team or workspace response filled in for a ticket, as Parley sends it
 * (`{{agent.*}}`: the ticket's assignee, else "Parley"). Undefined when it is gone. Not counted
 * as a use: the count ranks what agents pick.
 */
export async function fillCannedResponseForRule(
  db: Db,
  ws: Scope,
  id: string,
  ticket: TicketRow,
): Promise<string | undefined> {
  const record = await findCanned(db, ws, id);
  if (!record || record.scope === 'personal') return undefined;
  const assignee = ticket.assigneeId ? await findUserById(db, ticket.assigneeId) : undefined;
  return (await fillForTicket(db, ws, record.body, ticket, { name: assignee?.displayName ?? 'Parley' })).body;
}

/** Why a rule may not send this response: it does not exist, or it is someone's personal one. */
export async function cannedResponseRefusedForRule(db: Db, ws: Scope, id: string): Promise<string | null> {
  const record = await findCanned(db, ws, id);
  if (!record) return 'No such canned response';
  return record.scope === 'personal' ? 'A personal canned response: rules send team or workspace ones' : null;
}

async function fillForTicket(
  db: Db,
  ws: Scope,
  template: string,
  ticket: TicketRow,
  agent: PlaceholderValues['agent'],
): Promise<RenderedCannedResponse> {
  const [customer, workspace, fields] = await Promise.all([
    findUserById(db, ticket.requesterId),
    findWorkspace(db, ws.workspaceId),
    fieldLookupFor(db, ws, ticket),
  ]);
  const values: PlaceholderValues = {
    customer: { name: customer?.displayName ?? '', email: customer?.email ?? null },
    ticket: { id: ticket.id, subject: ticket.subject },
    agent,
    workspace: { name: workspace?.name ?? '' },
  };
  return renderPlaceholders(template, values, fields);
}

/** A response the actor may change; one they may only use is `403`, one they cannot see `404`. */
async function editable(db: Db, actor: Actor, id: string): Promise<CannedRecord> {
  const record = await findCanned(db, actor, id);
  if (!record) throw notFound('Canned response');
  if (mayEdit(actor, record)) return record;
  const teamIds = await teamIdsOf(db, actor);
  if (!mayUse(actor, record, teamIds)) throw notFound('Canned response');
  throw new AppError('forbidden', 'Team and workspace responses require the permission settings.manage');
}

/** A shortcut the owner uses already: `409` naming the field. */
async function write(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw fieldConflict([{ in: 'body', path: 'shortcut', message: 'This shortcut is in use already' }]);
    }
    throw error;
  }
}

/** Team and workspace responses are workspace settings: their changes are audited. Personal ones are not. */
async function audit(trx: Db, actor: Actor, at: number, action: string, r: CannedRecord) {
  if (r.scope === 'personal') return;
  await recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'canned_response',
    entityId: r.id,
    data: { scope: r.scope, teamId: r.teamId, shortcut: r.shortcut, title: r.title },
  });
}
