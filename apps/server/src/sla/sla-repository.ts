import { SlaPolicySchema, type SlaPolicy } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { TicketRow } from '../db/schema';

/** The workspace's SLA policy; undefined: none (no SLA). */
export async function findSlaPolicy(db: Db, ws: Scope): Promise<SlaPolicy | undefined> {
  const row = await db
    .selectFrom('slaPolicies')
    .select('policy')
    .where('workspaceId', '=', ws.workspaceId)
    .executeTakeFirst();
  return row && SlaPolicySchema.parse(JSON.parse(row.policy));
}

export async function saveSlaPolicy(trx: Db, ws: Scope, policy: SlaPolicy, by: string, at: number): Promise<void> {
  const values = { policy: JSON.stringify(policy), updatedBy: by, updatedAt: at };
  const { numUpdatedRows } = await trx
    .updateTable('slaPolicies')
    .set(values)
    .where('workspaceId', '=', ws.workspaceId)
    .executeTakeFirst();
  if (Number(numUpdatedRows) === 0) {
    await trx
      .insertInto('slaPolicies')
      .values({ workspaceId: ws.workspaceId, ...values })
      .execute();
  }
}

export async function deleteSlaPolicyRow(trx: Db, ws: Scope): Promise<boolean> {
  const { numDeletedRows } = await trx
    .deleteFrom('slaPolicies')
    .where('workspaceId', '=', ws.workspaceId)
    .executeTakeFirst();
  return Number(numDeletedRows) > 0;
}

/** The SLA columns of a ticket as read: a clock change applies only while they still hold. */
export type SlaColumns = Pick<
  TicketRow,
  | 'slaFirstResponseDueAt'
  | 'slaFirstRespondedAt'
  | 'slaFirstResponseState'
  | 'slaResolutionDueAt'
  | 'slaResolutionState'
  | 'slaPausedAt'
  | 'slaPausedMs'
>;

/** Sets SLA columns only if the ticket's `expected` columns still hold; answers whether it did. */
export async function updateSlaIf(
  trx: Db,
  ws: Scope,
  id: string,
  expected: Partial<SlaColumns>,
  set: Partial<SlaColumns>,
): Promise<boolean> {
  let update = trx.updateTable('tickets').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id);
  for (const [column, value] of Object.entries(expected) as [keyof SlaColumns, string | number | null][]) {
    update = value === null ? update.where(column, 'is', null) : update.where(column, '=', value as never);
  }
  return Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
}

/**
 * Claims an escalation step for a ticket; false when it was claimed before (the step is done).
 * Its own statement, outside any transaction: a unique violation would abort one on PostgreSQL.
 */
export async function claimEscalationStep(db: Db, ws: Scope, ticketId: string, stepKey: string, at: number) {
  try {
    await db
      .insertInto('slaEscalations')
      .values({ workspaceId: ws.workspaceId, ticketId, stepKey, doneAt: at })
      .execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** Gives a claimed step back, when doing it failed: the retry does it. */
export async function releaseEscalationStep(db: Db, ws: Scope, ticketId: string, stepKey: string) {
  await db
    .deleteFrom('slaEscalations')
    .where('workspaceId', '=', ws.workspaceId)
    .where('ticketId', '=', ticketId)
    .where('stepKey', '=', stepKey)
    .execute();
}
