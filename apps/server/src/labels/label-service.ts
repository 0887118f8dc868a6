import type { CreateLabelBody, Label, LabelChip, LabelList, UpdateLabelBody } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { listAutomationRules } from '../automation/rule-service';
import { toIso } from '../clock';
import { isUniqueViolation } from '../db/constraint-errors';
import type { LabelRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { getSlaPolicy } from '../sla/sla-policy-service';
import {
  deleteLabelRow,
  findLabelRow,
  findLabelRows,
  insertLabelRow,
  labelsOfConversations,
  listLabelRows,
  updateLabelRow,
} from './label-repository';

/**
 * The workspace's labels: staff (`tickets.work`) read them, `settings.manage` keeps them. Each
 * change is in the audit log.
 */

export const presentLabel = (row: LabelRow): Label => ({
  id: row.id,
  name: row.name,
  colour: row.colour,
  description: row.description,
  createdAt: toIso(row.createdAt),
  updatedAt: toIso(row.updatedAt),
});

export const chipOf = (row: Pick<LabelRow, 'id' | 'name' | 'colour'>): LabelChip => ({
  id: row.id,
  name: row.name,
  colour: row.colour,
});

const nameTaken = () => fieldConflict([{ in: 'body', path: 'name', message: 'A label with this name exists' }]);

export async function listLabels(deps: ServiceDeps, ws: Scope): Promise<LabelList> {
  return { items: (await listLabelRows(deps.db, ws)).map(presentLabel) };
}

/** The workspace's labels of these ids; an id that is not one of them is left out. */
export const findLabels = (deps: Pick<ServiceDeps, 'db'>, ws: Scope, ids: readonly string[]) =>
  findLabelRows(deps.db, ws, ids);

export async function createLabel(deps: ServiceDeps, actor: Actor, body: CreateLabelBody): Promise<Label> {
  const at = deps.clock.now();
  const row: LabelRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    name: body.name,
    nameKey: body.name.toLowerCase(),
    colour: body.colour.toLowerCase(),
    description: body.description ?? null,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertLabelRow(trx, row);
      await audit(trx, actor, at, 'label.created', row);
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
  return published(deps, actor, presentLabel(row));
}

export async function updateLabel(deps: ServiceDeps, actor: Actor, id: string, body: UpdateLabelBody): Promise<Label> {
  const before = await findLabelRow(deps.db, actor, id);
  if (!before) throw notFound('Label');
  const at = deps.clock.now();
  const set: Partial<LabelRow> = {
    updatedAt: at,
    ...(body.name !== undefined && { name: body.name, nameKey: body.name.toLowerCase() }),
    ...(body.colour !== undefined && { colour: body.colour.toLowerCase() }),
    ...(body.description !== undefined && { description: body.description }),
  };
  const after = { ...before, ...set };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await updateLabelRow(trx, actor, id, set);
      await audit(trx, actor, at, 'label.updated', after);
    });
  } catch (error) {
    throw isUniqueViolation(error) ? nameTaken() : error;
  }
  return published(deps, actor, presentLabel(after));
}

/** Staff's open apps show the label as it is now (pickers, chips on rows and tickets). */
function published(deps: ServiceDeps, ws: Scope, label: Label): Label {
  deps.events.publish({ workspaceId: ws.workspaceId, type: 'label.updated', label });
  return label;
}

/**
 * Deletes a label and takes it off every ticket and conversation. A label that an automation
 * rule or an SLA escalation step names cannot be deleted (`409`, `details.rules` and
 * `details.slaSteps` say which): dropping a rule's condition silently would widen what the rule
 * does, so the admin edits those first.
 */
export async function deleteLabel(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const label = await findLabelRow(deps.db, actor, id);
  if (!label) throw notFound('Label');
  const rules = (await listAutomationRules(deps, actor)).items.filter((rule) =>
    [...rule.conditions, ...rule.actions].some((part) =>
      part.type === 'label'
        ? part.values.includes(id)
        : (part.type === 'add_label' || part.type === 'remove_label') && part.labelId === id,
    ),
  );
  const { policy } = await getSlaPolicy(deps, actor);
  const slaSteps = (policy?.escalation ?? []).flatMap((step, index) =>
    step.action.type === 'add_label' && step.action.labelId === id ? [index] : [],
  );
  if (rules.length > 0 || slaSteps.length > 0) {
    const names = [...rules.map((r) => `rule "${r.name}"`), ...slaSteps.map((i) => `SLA escalation step ${i + 1}`)];
    throw new AppError('conflict', `The label is used by ${names.join(', ')}; change those first`, {
      rules: rules.map((r) => ({ id: r.id, name: r.name })),
      slaSteps,
    });
  }
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const on = await deleteLabelRow(trx, actor, id);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'label.deleted',
      entityType: 'label',
      entityId: id,
      data: { name: label.name, colour: label.colour, removedFrom: on.length },
    });
  });
  deps.events.publish({ workspaceId: actor.workspaceId, type: 'label.deleted', labelId: id });
}

function audit(trx: ServiceDeps['db'], actor: Actor, at: number, action: string, row: LabelRow) {
  return recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'label',
    entityId: row.id,
    data: { name: row.name, colour: row.colour, description: row.description },
  });
}

/** The labels of each conversation (a ticket's are on its thread), by name, in one query. */
export const labelsOf = (deps: Pick<ServiceDeps, 'db'>, ws: Scope, conversationIds: readonly string[]) =>
  labelsOfConversations(deps.db, ws, conversationIds);
