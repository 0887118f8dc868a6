import type {
  AutomationAction,
  AutomationCondition,
  AutomationRule,
  AutomationRuleList,
  CreateAutomationRuleBody,
  FieldIssue,
  ReorderAutomationRulesBody,
  UpdateAutomationRuleBody,
} from '@parley/protocol';
import { isStaff, type Actor, type Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { cannedResponseRefusedForRule } from '../canned-responses/canned-service';
import { findTeam } from '../teams/team-service';
import { loadActor } from '../workspaces/member-repository';
import { findLabels } from '../labels/label-service';
import { ruleIndexOf } from './rule-index';
import {
  deleteRuleRow,
  findRule,
  insertRule,
  listRules,
  nextPosition,
  presentRule,
  setRulePosition,
  updateRuleRow,
  type RuleRecord,
} from './rule-repository';

/**
 * Admins keep the workspace's automation rules (`settings.manage`): each change is audited and
 * announced (`automation.rules_changed`), so every node forgets what it knew of them.
 */

export async function listAutomationRules(deps: ServiceDeps, ws: Scope): Promise<AutomationRuleList> {
  return { items: (await listRules(deps.db, ws)).map(presentRule) };
}

export async function createAutomationRule(
  deps: ServiceDeps,
  actor: Actor,
  body: CreateAutomationRuleBody,
): Promise<AutomationRule> {
  const conditions = body.conditions ?? [];
  await checkReferences(deps.db, actor, conditions, body.actions);
  const at = deps.clock.now();
  const rule = await deps.db.transaction().execute(async (trx) => {
    const rule: RuleRecord = {
      id: newId(),
      name: body.name,
      enabled: body.enabled ?? true,
      position: await nextPosition(trx, actor),
      event: body.event,
      conditions,
      actions: body.actions,
      createdAt: at,
      updatedAt: at,
    };
    await insertRule(trx, actor, rule);
    await audit(trx, actor, at, 'automation_rule.created', rule);
    return rule;
  });
  changed(deps, actor);
  return presentRule(rule);
}

export async function updateAutomationRule(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateAutomationRuleBody,
): Promise<AutomationRule> {
  const before = await findRule(deps.db, actor, id);
  if (!before) throw notFound('Rule');
  const rule: RuleRecord = {
    ...before,
    ...(body.name !== undefined && { name: body.name }),
    ...(body.enabled !== undefined && { enabled: body.enabled }),
    ...(body.event !== undefined && { event: body.event }),
    ...(body.conditions !== undefined && { conditions: body.conditions }),
    ...(body.actions !== undefined && { actions: body.actions }),
    updatedAt: deps.clock.now(),
  };
  await checkReferences(deps.db, actor, body.conditions ?? [], body.actions ?? []);
  await deps.db.transaction().execute(async (trx) => {
    await updateRuleRow(trx, actor, rule);
    await audit(trx, actor, rule.updatedAt, 'automation_rule.updated', rule);
  });
  changed(deps, actor);
  return presentRule(rule);
}

export async function deleteAutomationRule(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const rule = await findRule(trx, actor, id);
    if (!rule || !(await deleteRuleRow(trx, actor, id))) throw notFound('Rule');
    await audit(trx, actor, at, 'automation_rule.deleted', rule);
  });
  changed(deps, actor);
}

/** Puts the rules in the order given, which must name every rule of the workspace once. */
export async function reorderAutomationRules(
  deps: ServiceDeps,
  actor: Actor,
  body: ReorderAutomationRulesBody,
): Promise<AutomationRuleList> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    const rules = await listRules(trx, actor);
    const known = new Set(rules.map((r) => r.id));
    const given = new Set(body.ids);
    if (given.size !== body.ids.length || given.size !== known.size || body.ids.some((id) => !known.has(id))) {
      throw new AppError('validation_failed', 'Name every rule of the workspace once, in the new order', {
        fields: [{ in: 'body', path: 'ids', message: 'Every rule once, no other ids' }],
      });
    }
    for (const [position, id] of body.ids.entries()) await setRulePosition(trx, actor, id, position, at);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'automation_rule.reordered',
      entityType: 'automation_rule',
      entityId: body.ids[0] ?? actor.workspaceId,
      data: { ids: body.ids },
    });
  });
  changed(deps, actor);
  return listAutomationRules(deps, actor);
}

function audit(trx: Db, actor: Actor, at: number, action: string, rule: RuleRecord) {
  return recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'automation_rule',
    entityId: rule.id,
    data: {
      name: rule.name,
      enabled: rule.enabled,
      event: rule.event,
      conditions: rule.conditions,
      actions: rule.actions,
    },
  });
}

/** The rules (on or off) with an action that sends this canned response. */
export async function rulesUsingCannedResponse(
  db: Db,
  ws: Scope,
  cannedResponseId: string,
): Promise<Array<{ id: string; name: string }>> {
  return (await listRules(db, ws))
    .filter((rule) =>
      rule.actions.some((a) => a.type === 'send_canned_reply' && a.cannedResponseId === cannedResponseId),
    )
    .map((rule) => ({ id: rule.id, name: rule.name }));
}

/** This node forgets at once; the others when the event reaches them. */
function changed(deps: ServiceDeps, ws: Scope) {
  ruleIndexOf(deps.events).forget(ws.workspaceId);
  deps.events.publish({ workspaceId: ws.workspaceId, type: 'automation.rules_changed' });
}

/**
 * Every team and person a rule names must exist in the workspace: teams as teams, assignees
 * and people to notify as active staff, requesters as members. Otherwise `400` naming the field.
 */
async function checkReferences(
  db: Db,
  ws: Scope,
  conditions: AutomationCondition[],
  actions: AutomationAction[],
): Promise<void> {
  const issues: Omit<FieldIssue, 'reason'>[] = [];
  const team = async (path: string, id: string | null) => {
    if (id !== null && !(await findTeam(db, ws, id))) issues.push({ in: 'body', path, message: 'No such team' });
  };
  const person = async (path: string, id: string | null, staff: boolean) => {
    if (id === null) return;
    const member = await loadActor(db, ws, id);
    if (!member) issues.push({ in: 'body', path, message: 'No such person in this workspace' });
    else if (staff && !isStaff(member)) issues.push({ in: 'body', path, message: 'Not an agent or admin' });
  };
  const label = async (path: string, id: string) => {
    if ((await findLabels({ db }, ws, [id])).length === 0) issues.push({ in: 'body', path, message: 'No such label' });
  };
  for (const [i, c] of conditions.entries()) {
    if (c.type === 'label') {
      for (const [j, id] of c.values.entries()) await label(`conditions.${i}.values.${j}`, id);
      continue;
    }
    for (const [j, value] of ('values' in c ? c.values : []).entries()) {
      const path = `conditions.${i}.values.${j}`;
      if (c.type === 'team') await team(path, value as string | null);
      if (c.type === 'assignee' || c.type === 'requester') await person(path, value as string | null, false);
    }
  }
  for (const [i, a] of actions.entries()) {
    if (a.type === 'assign') await person(`actions.${i}.userId`, a.userId, true);
    if (a.type === 'set_team') await team(`actions.${i}.teamId`, a.teamId);
    if (a.type === 'add_label' || a.type === 'remove_label') await label(`actions.${i}.labelId`, a.labelId);
    if (a.type === 'notify') {
      for (const [j, id] of a.userIds.entries()) await person(`actions.${i}.userIds.${j}`, id, true);
    }
    if (a.type === 'send_canned_reply') {
      const refused = await cannedResponseRefusedForRule(db, ws, a.cannedResponseId);
      if (refused) issues.push({ in: 'body', path: `actions.${i}.cannedResponseId`, message: refused });
    }
    if (a.type === 'set_status' && (a.status === 'snoozed') !== (a.snoozeMinutes !== undefined)) {
      issues.push({
        in: 'body',
        path: `actions.${i}.snoozeMinutes`,
        message: a.status === 'snoozed' ? 'Say for how long to snooze' : 'Only a snooze takes minutes',
      });
    }
  }
  if (issues.length > 0) {
    throw new AppError('validation_failed', issues.map((f) => `${f.path}: ${f.message}`).join('; '), {
      fields: issues,
    });
  }
}
