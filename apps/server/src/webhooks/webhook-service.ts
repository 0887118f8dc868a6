import {
  WEBHOOK_PAYLOAD_VERSION,
  type CreateWebhookBody,
  type UpdateWebhookBody,
  type Webhook,
  type WebhookDelivery,
  type WebhookDeliveryPage,
  type WebhookDeliveryQuery,
  type WebhookEventType,
  type WebhookList,
  type WebhookPayload,
} from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { decodeCursor, toPage } from '../http/cursor';
import { newId } from '../ids';
import { scheduleSenders } from './webhook-delivery';
import { deliveryRow, eventsOfWebhook, webhookIndexOf, whatIsSent } from './webhook-events';
import {
  deleteWebhookRows,
  findDeliveryRow,
  findWebhookRow,
  insertDeliveries,
  insertWebhookRow,
  lastRedelivery,
  listDeliveryRows,
  listWebhookRows,
  updateWebhookRow,
  type DeliveryRow,
  type WebhookRow,
} from './webhook-repository';
import { newWebhookSecret } from './webhook-signature';
import { urlProblem, type AddressPolicy } from './webhook-target';

/** The workspace's webhooks; `settings.manage` keeps them, each change in the audit log. */

export interface WebhookDeps extends ServiceDeps {
  mayConnect: AddressPolicy;
}

/** Webhooks one workspace may have. */
export const MAX_WEBHOOKS = 20;
const DEFAULT_CONCURRENCY = 4;
/** After a rotation the old secret signs too, so receivers can switch without missing a delivery. */
const PREVIOUS_SECRET_MS = 24 * 3600_000;

export const presentWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  description: row.description,
  events: eventsOfWebhook(row),
  secret: row.secret,
  maxConcurrency: row.maxConcurrency,
  disabledAt: row.disabledAt === null ? null : toIso(Number(row.disabledAt)),
  disabledReason: row.disabledReason,
  failingSince: row.failingSince === null ? null : toIso(Number(row.failingSince)),
  createdAt: toIso(Number(row.createdAt)),
  updatedAt: toIso(Number(row.updatedAt)),
});

export const presentDelivery = (row: DeliveryRow): WebhookDelivery => ({
  id: row.id,
  eventId: row.eventId,
  eventType: row.eventType as WebhookDelivery['eventType'],
  status: row.status,
  redelivery: Number(row.redelivery),
  attempts: Number(row.attempts),
  nextAttemptAt: row.nextAttemptAt === null ? null : toIso(Number(row.nextAttemptAt)),
  responseStatus: row.responseStatus === null ? null : Number(row.responseStatus),
  responseBody: row.responseBody,
  error: row.error,
  durationMs: row.durationMs === null ? null : Number(row.durationMs),
  payload: row.payload,
  createdAt: toIso(Number(row.createdAt)),
  deliveredAt: row.deliveredAt === null ? null : toIso(Number(row.deliveredAt)),
});

export async function listWebhooks(deps: ServiceDeps, ws: Scope): Promise<WebhookList> {
  return { items: (await listWebhookRows(deps.db, ws)).map(presentWebhook) };
}

const sortedEvents = (events: readonly WebhookEventType[]) => JSON.stringify([...new Set(events)].sort());

async function checkUrl(deps: WebhookDeps, url: string): Promise<void> {
  const problem = await urlProblem(url, deps.mayConnect);
  if (problem) {
    throw new AppError('validation_failed', problem, {
      fields: [{ in: 'body', path: 'url', reason: 'invalid', message: problem }],
    });
  }
}

export async function createWebhook(deps: WebhookDeps, actor: Actor, body: CreateWebhookBody): Promise<Webhook> {
  if ((await listWebhookRows(deps.db, actor)).length >= MAX_WEBHOOKS) {
    throw new AppError('conflict', `A workspace has at most ${MAX_WEBHOOKS} webhooks`);
  }
  await checkUrl(deps, body.url);
  const at = deps.clock.now();
  const row: WebhookRow = {
    workspaceId: actor.workspaceId,
    id: newId(),
    url: body.url,
    description: body.description || null,
    events: sortedEvents(body.events),
    secret: newWebhookSecret(),
    previousSecret: null,
    previousSecretUntil: null,
    maxConcurrency: body.maxConcurrency ?? DEFAULT_CONCURRENCY,
    disabledAt: null,
    disabledReason: null,
    failingSince: null,
    createdAt: at,
    updatedAt: at,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertWebhookRow(trx, row);
    await audit(trx, actor, at, 'webhook.created', row);
  });
  announce(deps, actor);
  return presentWebhook(row);
}

export async function updateWebhook(
  deps: WebhookDeps,
  actor: Actor,
  id: string,
  body: UpdateWebhookBody,
): Promise<Webhook> {
  const before = await findWebhookRow(deps.db, actor, id);
  if (!before) throw notFound('Webhook');
  if (body.url !== undefined) await checkUrl(deps, body.url);
  const at = deps.clock.now();
  const turningOn = body.enabled === true && before.disabledAt !== null;
  const set: Partial<WebhookRow> = {
    updatedAt: at,
    ...(body.url !== undefined && { url: body.url }),
    ...(body.events !== undefined && { events: sortedEvents(body.events) }),
    ...(body.description !== undefined && { description: body.description || null }),
    ...(body.maxConcurrency !== undefined && { maxConcurrency: body.maxConcurrency }),
    ...(body.enabled === false && before.disabledAt === null && { disabledAt: at, disabledReason: 'admin' as const }),
    // On again: a fresh start (its waiting deliveries go now).
    ...(turningOn && { disabledAt: null, disabledReason: null, failingSince: null }),
    ...(body.rotateSecret && {
      secret: newWebhookSecret(),
      previousSecret: before.secret,
      previousSecretUntil: at + PREVIOUS_SECRET_MS,
    }),
  };
  const after = { ...before, ...set };
  await deps.db.transaction().execute(async (trx) => {
    await updateWebhookRow(trx, actor, id, set);
    if (turningOn) await scheduleSenders(trx, actor, [id], at);
    await audit(trx, actor, at, 'webhook.updated', after, { secretRotated: body.rotateSecret === true });
  });
  announce(deps, actor);
  return presentWebhook(after);
}

/** Deletes the webhook and its delivery log; what was still to send is not sent. */
export async function deleteWebhook(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const row = await findWebhookRow(deps.db, actor, id);
  if (!row) throw notFound('Webhook');
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteWebhookRows(trx, actor, id);
    await audit(trx, actor, at, 'webhook.deleted', row);
  });
  announce(deps, actor);
}

export async function listDeliveries(
  deps: ServiceDeps,
  ws: Scope,
  webhookId: string,
  query: WebhookDeliveryQuery & { limit: number },
): Promise<WebhookDeliveryPage> {
  if (!(await findWebhookRow(deps.db, ws, webhookId))) throw notFound('Webhook');
  const before = query.cursor ? String(decodeCursor(query.cursor, ['string'])[0]) : null;
  const rows = await listDeliveryRows(deps.db, ws, webhookId, before, query.limit + 1);
  return toPage(rows, query.limit, presentDelivery, (row) => [row.id]);
}

/** Sends a delivered or failed delivery's event again, as a new delivery with the same event id. */
export async function redeliver(
  deps: ServiceDeps,
  actor: Actor,
  webhookId: string,
  deliveryId: string,
): Promise<WebhookDelivery> {
  const hook = await enabledWebhook(deps, actor, webhookId);
  const original = await findDeliveryRow(deps.db, actor, webhookId, deliveryId);
  if (!original) throw notFound('Delivery');
  if (original.status === 'pending') throw new AppError('conflict', 'The delivery is still being sent');
  const at = deps.clock.now();
  const redelivery = (await lastRedelivery(deps.db, actor, webhookId, original.eventId)) + 1;
  return queue(deps, actor, at, deliveryRow(hook, original, at, redelivery));
}

/** Sends a `ping` event: to try the endpoint and its signature check. */
export async function ping(deps: ServiceDeps, actor: Actor, webhookId: string): Promise<WebhookDelivery> {
  const hook = await enabledWebhook(deps, actor, webhookId);
  const at = deps.clock.now();
  const payload: WebhookPayload = {
    id: newId(),
    version: WEBHOOK_PAYLOAD_VERSION,
    workspaceId: actor.workspaceId,
    occurredAt: toIso(at),
    type: 'ping',
    data: { webhookId },
  };
  return queue(deps, actor, at, deliveryRow(hook, whatIsSent(payload), at));
}

async function enabledWebhook(deps: ServiceDeps, ws: Scope, id: string): Promise<WebhookRow> {
  const hook = await findWebhookRow(deps.db, ws, id);
  if (!hook) throw notFound('Webhook');
  if (hook.disabledAt !== null) throw new AppError('conflict', 'The webhook is off: turn it on first');
  return hook;
}

async function queue(deps: ServiceDeps, ws: Scope, at: number, row: DeliveryRow): Promise<WebhookDelivery> {
  await deps.db.transaction().execute(async (trx) => {
    await insertDeliveries(trx, [row]);
    await scheduleSenders(trx, ws, [row.webhookId], at);
  });
  return presentDelivery(row);
}

/** Every node forgets what it knew of the workspace's webhooks (this one at once). */
function announce(deps: ServiceDeps, ws: Scope) {
  webhookIndexOf(deps.events).forget(ws.workspaceId);
  deps.events.publish({ workspaceId: ws.workspaceId, type: 'webhooks.changed' });
}

const audit = (trx: Db, actor: Actor, at: number, action: string, row: WebhookRow, extra: object = {}) =>
  recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'webhook',
    entityId: row.id,
    // Never the secret.
    data: { url: row.url, events: eventsOfWebhook(row), disabled: row.disabledAt !== null, ...extra },
  });
