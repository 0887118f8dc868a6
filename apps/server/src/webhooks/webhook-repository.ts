import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { WebhookDeliveriesTable, WebhooksTable } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';

export type WebhookRow = WebhooksTable;
export type DeliveryRow = WebhookDeliveriesTable;

export const listWebhookRows = (db: Db, ws: Scope): Promise<WebhookRow[]> =>
  db.selectFrom('webhooks').selectAll().where('workspaceId', '=', ws.workspaceId).orderBy('id').execute();

/** The workspace's webhooks that are on: whom an event goes to. */
export const listEnabledWebhookRows = (db: Db, ws: Scope): Promise<WebhookRow[]> =>
  db
    .selectFrom('webhooks')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('disabledAt', 'is', null)
    .orderBy('id')
    .execute();

export const findWebhookRow = (db: Db, ws: Scope, id: string): Promise<WebhookRow | undefined> =>
  db
    .selectFrom('webhooks')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

export const insertWebhookRow = (db: Db, row: WebhookRow) => db.insertInto('webhooks').values(row).execute();

export const updateWebhookRow = (db: Db, ws: Scope, id: string, set: Partial<WebhookRow>) =>
  db.updateTable('webhooks').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();

export async function deleteWebhookRows(db: Db, ws: Scope, id: string): Promise<boolean> {
  await db
    .deleteFrom('webhookDeliveries')
    .where('workspaceId', '=', ws.workspaceId)
    .where('webhookId', '=', id)
    .execute();
  const deleted = await db
    .deleteFrom('webhooks')
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(deleted.numDeletedRows) === 1;
}

/**
 * Adds deliveries; one that exists already (the same event handled twice: reactions run at
 * least once) is left as it is. Answers the webhooks that got a new one.
 */
export async function insertDeliveries(db: Db, rows: DeliveryRow[]): Promise<Set<string>> {
  const added = new Set<string>();
  for (const row of rows) {
    const exists = await db
      .selectFrom('webhookDeliveries')
      .select('id')
      .where('workspaceId', '=', row.workspaceId)
      .where('webhookId', '=', row.webhookId)
      .where('eventId', '=', row.eventId)
      .where('redelivery', '=', row.redelivery)
      .executeTakeFirst();
    if (exists) continue;
    await db.insertInto('webhookDeliveries').values(row).execute();
    added.add(row.webhookId);
  }
  return added;
}

/** A webhook's deliveries still to send, oldest first (the order they go in). */
export const listPendingDeliveries = (db: Db, ws: Scope, webhookId: string, limit: number): Promise<DeliveryRow[]> =>
  db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('webhookId', '=', webhookId)
    .where('status', '=', 'pending')
    .orderBy('id')
    .limit(limit)
    .execute();

/** A page of a webhook's log, newest first, after the delivery `before` (exclusive). */
export const listDeliveryRows = (
  db: Db,
  ws: Scope,
  webhookId: string,
  before: string | null,
  limit: number,
): Promise<DeliveryRow[]> =>
  db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('webhookId', '=', webhookId)
    .$if(before !== null, (q) => q.where('id', '<', before!))
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

export const findDeliveryRow = (db: Db, ws: Scope, webhookId: string, id: string): Promise<DeliveryRow | undefined> =>
  db
    .selectFrom('webhookDeliveries')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('webhookId', '=', webhookId)
    .where('id', '=', id)
    .executeTakeFirst();

/** The highest redelivery number of the event at this webhook. */
export async function lastRedelivery(db: Db, ws: Scope, webhookId: string, eventId: string): Promise<number> {
  const row = await db
    .selectFrom('webhookDeliveries')
    .select((eb) => eb.fn.max('redelivery').as('n'))
    .where('workspaceId', '=', ws.workspaceId)
    .where('webhookId', '=', webhookId)
    .where('eventId', '=', eventId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export const updateDeliveryRow = (db: Db, ws: Scope, id: string, set: Partial<DeliveryRow>) =>
  db.updateTable('webhookDeliveries').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();

/** Forgets deliveries made before `before` (the log keeps a window), at most `limit` of them. */
export async function pruneDeliveries(db: Db, before: number, limit: number): Promise<number> {
  const old = await acrossWorkspaces(db)
    .selectFrom('webhookDeliveries')
    .select(['workspaceId', 'id'])
    .where('createdAt', '<', before)
    .where('status', '!=', 'pending')
    .limit(limit)
    .execute();
  const byWorkspace = new Map<string, { id: string }[]>();
  for (const row of old) byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), row]);
  for (const [workspaceId, rows] of byWorkspace) {
    await db
      .deleteFrom('webhookDeliveries')
      .where('workspaceId', '=', workspaceId)
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
  }
  return old.length;
}

/*
 * A webhook's health, changed by one statement each: several deliveries to it may end at once,
 * and none may undo what another just wrote (a success clearing `failing_since`, say).
 */

/** A delivery got through: it works (a no-op when it was not failing). */
export const markWebhookWorking = (db: Db, ws: Scope, id: string) =>
  db
    .updateTable('webhooks')
    .set({ failingSince: null })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .where('failingSince', 'is not', null)
    .execute();

/** An attempt failed at `at`: failing since then, unless it was failing before. */
export const markWebhookFailing = (db: Db, ws: Scope, id: string, at: number) =>
  db
    .updateTable('webhooks')
    .set((eb) => ({ failingSince: eb.fn.coalesce('failingSince', eb.val(at)) }))
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .execute();

/** Turns the webhook off if it is on and has failed since `failingSinceBefore` or earlier; answers whether it did. */
export async function disableFailingWebhook(
  db: Db,
  ws: Scope,
  id: string,
  at: number,
  failingSinceBefore: number,
): Promise<boolean> {
  const result = await db
    .updateTable('webhooks')
    .set({ disabledAt: at, disabledReason: 'failing', updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .where('disabledAt', 'is', null)
    .where('failingSince', '<=', failingSinceBefore)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
