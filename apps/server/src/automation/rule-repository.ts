import {
  AutomationActionSchema,
  AutomationConditionSchema,
  AutomationEventSchema,
  type AutomationRule,
} from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { AutomationRulesTable } from '../db/schema';

/** A stored rule, its JSON parsed (and checked against today's schemas). */
export interface RuleRecord {
  id: string;
  name: string;
  enabled: boolean;
  position: number;
  event: AutomationRule['event'];
  conditions: AutomationRule['conditions'];
  actions: AutomationRule['actions'];
  createdAt: number;
  updatedAt: number;
}

const fromRow = (row: AutomationRulesTable): RuleRecord => ({
  id: row.id,
  name: row.name,
  enabled: Number(row.enabled) === 1,
  position: Number(row.position),
  event: AutomationEventSchema.parse(JSON.parse(row.event)),
  conditions: z.array(AutomationConditionSchema).parse(JSON.parse(row.conditions)),
  actions: z.array(AutomationActionSchema).parse(JSON.parse(row.actions)),
  createdAt: Number(row.createdAt),
  updatedAt: Number(row.updatedAt),
});

export const presentRule = (rule: RuleRecord): AutomationRule => ({
  id: rule.id,
  name: rule.name,
  enabled: rule.enabled,
  position: rule.position,
  event: rule.event,
  conditions: rule.conditions,
  actions: rule.actions,
  createdAt: toIso(rule.createdAt),
  updatedAt: toIso(rule.updatedAt),
});

/** Every rule of the workspace in the order they run (`enabled`: only those that are on). */
export async function listRules(db: Db, ws: Scope, { enabledOnly = false } = {}): Promise<RuleRecord[]> {
  let select = db.selectFrom('automationRules').selectAll().where('workspaceId', '=', ws.workspaceId);
  if (enabledOnly) select = select.where('enabled', '=', 1);
  const rows = await select.orderBy('position').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function findRule(db: Db, ws: Scope, id: string): Promise<RuleRecord | undefined> {
  const row = await db
    .selectFrom('automationRules')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && fromRow(row);
}

const toColumns = (rule: Omit<RuleRecord, 'id' | 'createdAt'>) => ({
  name: rule.name,
  enabled: rule.enabled ? 1 : 0,
  position: rule.position,
  event: JSON.stringify(rule.event),
  conditions: JSON.stringify(rule.conditions),
  actions: JSON.stringify(rule.actions),
  updatedAt: rule.updatedAt,
});

export async function insertRule(db: Db, ws: Scope, rule: RuleRecord): Promise<void> {
  await db
    .insertInto('automationRules')
    .values({ id: rule.id, workspaceId: ws.workspaceId, createdAt: rule.createdAt, ...toColumns(rule) })
    .execute();
}

export async function updateRuleRow(db: Db, ws: Scope, rule: RuleRecord): Promise<void> {
  await db
    .updateTable('automationRules')
    .set(toColumns(rule))
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', rule.id)
    .execute();
}

export async function deleteRuleRow(db: Db, ws: Scope, id: string): Promise<boolean> {
  await db.deleteFrom('ruleRuns').where('workspaceId', '=', ws.workspaceId).where('ruleId', '=', id).execute();
  const result = await db
    .deleteFrom('automationRules')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function setRulePosition(db: Db, ws: Scope, id: string, position: number, at: number): Promise<void> {
  await db
    .updateTable('automationRules')
    .set({ position, updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();
}

/** The next position: after every rule of the workspace. */
export async function nextPosition(db: Db, ws: Scope): Promise<number> {
  const row = await db
    .selectFrom('automationRules')
    .select((eb) => eb.fn.max('position').as('last'))
    .where('workspaceId', '=', ws.workspaceId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

/**
 * Claims the run of `ruleId` for the event `eventKey`: true the first time, false when it ran
 * already (a job that runs twice).
 */
export async function claimRun(
  db: Db,
  ws: Scope,
  run: { ruleId: string; eventKey: string; ticketId: string; at: number },
): Promise<boolean> {
  const existing = await db
    .selectFrom('ruleRuns')
    .select('ruleId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('ruleId', '=', run.ruleId)
    .where('eventKey', '=', run.eventKey)
    .executeTakeFirst();
  if (existing) return false;
  try {
    await db
      .insertInto('ruleRuns')
      .values({
        workspaceId: ws.workspaceId,
        ruleId: run.ruleId,
        eventKey: run.eventKey,
        ticketId: run.ticketId,
        ranAt: run.at,
      })
      .execute();
    return true;
  } catch (error) {
    // Two runs of one job at once (a lease ran out): the other one claimed it.
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Gives a claimed run back (its actions failed): the job's retry runs it again. */
export async function releaseRun(db: Db, ws: Scope, ruleId: string, eventKey: string): Promise<void> {
  await db
    .deleteFrom('ruleRuns')
    .where('workspaceId', '=', ws.workspaceId)
    .where('ruleId', '=', ruleId)
    .where('eventKey', '=', eventKey)
    .execute();
}
