import { IdSchema, WEBHOOK_SIGNATURE_HEADER } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import type { Clock } from '../clock';
import type { WebhookConfig } from '../config';
import type { Db } from '../db/connect';
import type { EventBus } from '../events/event-bus';
import { enqueueOrMoveEarlier } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { backoffDelay, defineJobType, RetryLaterError, type JobContext, type JobOutcome } from '../jobs/job-type';
import { postWebhook, type PostOutcome } from './webhook-http';
import {
  disableFailingWebhook,
  findWebhookRow,
  listPendingDeliveries,
  markWebhookFailing,
  markWebhookWorking,
  pruneDeliveries,
  updateDeliveryRow,
  type DeliveryRow,
  type WebhookRow,
} from './webhook-repository';
import { signatureHeader } from './webhook-signature';
import { addressPolicy, type AddressPolicy } from './webhook-target';

/**
 * Sends a webhook's deliveries (docs/webhooks.md). One durable job per webhook, its sender,
 * keyed by the webhook: so one node at a time sends to an endpoint, and it can keep the two
 * promises a job per delivery could not, the endpoint's concurrency limit and one ticket's
 * order (a delivery waits while an earlier one of its ticket is pending, retries included).
 * Each delivery's retries, with exponential backoff, live in its row; the sender runs again when
 * the next one is due (a recurring job), and `scheduleSenders` wakes it for new deliveries.
 * Detached: a slow endpoint does not hold up the node's other jobs.
 */
export const webhookSenderJob = defineJobType(
  'webhook.send',
  z.object({ workspaceId: IdSchema, webhookId: IdSchema }),
  { detached: true, maxAttempts: 20, backoffMs: 5_000, maxBackoffMs: 5 * 60_000, leaseMs: 3 * 60_000 },
);

/** A delivery's attempts: about 3 hours from the first to the last (30 s, 1, 2, 4 … 60 min). */
export const DELIVERY_RETRIES = { maxAttempts: 10, backoffMs: 30_000, maxBackoffMs: 60 * 60_000 };
/** One run of a sender stops starting deliveries after this long (its lease is longer). */
const RUN_BUDGET_MS = 60_000;
/** While deliveries are in flight, how often the sender looks for new ones to fill free places. */
const LOOK_AGAIN_MS = 500;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
/** Pending deliveries one look reads: the heads of this many are candidates. */
const LOOKAHEAD = 200;

const senderKey = (webhookId: string) => `webhook-send:${webhookId}`;

/** Makes each webhook's sender run by `at` (in the caller's transaction: with the deliveries). */
export async function scheduleSenders(db: Db, ws: Scope, webhookIds: readonly string[], at: number): Promise<void> {
  await enqueueOrMoveEarlier(
    db,
    webhookIds.map((webhookId) => ({
      type: webhookSenderJob,
      payload: { ...ws, webhookId },
      runAt: at,
      dedupeKey: senderKey(webhookId),
    })),
  );
}

export interface SenderDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  config: WebhookConfig;
}

/** How long the delivery log keeps what is done. */
const LOG_DAYS = 30;
const pruneJob = defineJobType('webhook.prune', z.object({}), { maxAttempts: 3 });

export function registerWebhookSending(jobs: JobRunner, deps: SenderDeps): void {
  const mayConnect = addressPolicy(deps.config.allowNetworks);
  jobs.register(webhookSenderJob, (payload, context) => runSender(deps, mayConnect, payload, context));
  jobs.register(pruneJob, async (_payload, { now }) => {
    while ((await pruneDeliveries(deps.db, now - LOG_DAYS * 24 * 3600_000, 500)) === 500);
    return { runAgainAt: now + 24 * 3600_000 };
  });
  jobs.keepRecurring({ type: pruneJob, payload: {}, runAt: deps.clock.now(), dedupeKey: 'webhook.prune' });
}

async function runSender(
  deps: SenderDeps,
  mayConnect: AddressPolicy,
  { workspaceId, webhookId }: { workspaceId: string; webhookId: string },
  { signal }: JobContext,
): Promise<JobOutcome> {
  const ws = { workspaceId };
  const deadline = deps.clock.now() + RUN_BUDGET_MS;
  const inFlight = new Map<string, Promise<void>>();
  let next: number | null = null;
  for (;;) {
    // Read again each time: an admin may have turned it off or changed its URL meanwhile.
    const hook = await findWebhookRow(deps.db, ws, webhookId);
    // Gone, or off: turning it on again schedules its sender.
    if (!hook || hook.disabledAt !== null) break;
    const now = deps.clock.now();
    const starting = !signal.aborted && now < deadline;
    const pick = pickDue(await listPendingDeliveries(deps.db, ws, webhookId, LOOKAHEAD), now, hook, inFlight);
    next = pick.next;
    if (starting) {
      for (const delivery of pick.due) {
        const attempt = send(deps, mayConnect, hook, delivery).finally(() => inFlight.delete(delivery.id));
        inFlight.set(delivery.id, attempt);
      }
    }
    if (inFlight.size === 0) {
      if (!starting && pick.due.length > 0) next = now; // the rest is for the next run
      break;
    }
    // A place comes free, or new deliveries may have come meanwhile (while the ones in flight
    // wait on a slow endpoint, free places must not stay empty).
    await Promise.race([...inFlight.values(), sleep(LOOK_AGAIN_MS)]);
  }
  await Promise.all(inFlight.values());
  return next === null ? undefined : { runAgainAt: next };
}

/**
 * What may start now: the first pending delivery of each ticket (and every one without a
 * ticket) that is due, up to the webhook's free places. `next`: when the earliest one not due
 * yet is (null: nothing waits).
 */
export function pickDue(
  pending: readonly DeliveryRow[],
  now: number,
  hook: Pick<WebhookRow, 'maxConcurrency'>,
  inFlight: ReadonlyMap<string, unknown>,
): { due: DeliveryRow[]; next: number | null } {
  const due: DeliveryRow[] = [];
  const seenKeys = new Set<string>();
  let next: number | null = null;
  let free = hook.maxConcurrency - inFlight.size;
  for (const delivery of pending) {
    if (delivery.orderingKey !== null) {
      if (seenKeys.has(delivery.orderingKey)) continue; // behind an earlier one of its ticket
      seenKeys.add(delivery.orderingKey);
    }
    if (inFlight.has(delivery.id)) continue;
    const at = Number(delivery.nextAttemptAt);
    if (at <= now) {
      if (free > 0) {
        due.push(delivery);
        free -= 1;
      } else next = now;
    } else next = next === null ? at : Math.min(next, at);
  }
  return { due, next };
}

/** One attempt of one delivery, and what it changes: the delivery, and the webhook's health. */
async function send(deps: SenderDeps, mayConnect: AddressPolicy, hook: WebhookRow, d: DeliveryRow) {
  const at = deps.clock.now();
  const secrets = [hook.secret];
  if (hook.previousSecret && Number(hook.previousSecretUntil) > at) secrets.push(hook.previousSecret);
  const outcome = await postWebhook(
    hook.url,
    d.payload,
    {
      'content-type': 'application/json',
      'user-agent': 'Parley-Webhooks/1',
      'parley-event-id': d.eventId,
      'parley-event-type': d.eventType,
      'parley-delivery': d.id,
      [WEBHOOK_SIGNATURE_HEADER]: signatureHeader(secrets, Math.floor(at / 1000), d.payload),
    },
    { mayConnect, timeoutMs: deps.config.timeoutMs, now: deps.clock.now },
  );
  const attempts = d.attempts + 1;
  const ws = { workspaceId: hook.workspaceId };
  const result = {
    attempts,
    responseStatus: outcome.status,
    responseBody: outcome.body,
    error: outcome.error ?? (ok(outcome) ? null : `HTTP ${outcome.status}`),
    durationMs: outcome.durationMs,
  };
  if (ok(outcome)) {
    await updateDeliveryRow(deps.db, ws, d.id, {
      ...result,
      status: 'delivered',
      nextAttemptAt: null,
      deliveredAt: at,
    });
    await markWebhookWorking(deps.db, ws, hook.id);
    return;
  }
  if (attempts < DELIVERY_RETRIES.maxAttempts) {
    const wait = backoffDelay(
      DELIVERY_RETRIES,
      attempts,
      outcome.retryAfterMs === null ? undefined : new RetryLaterError('Retry-After', outcome.retryAfterMs),
    );
    await updateDeliveryRow(deps.db, ws, d.id, { ...result, nextAttemptAt: at + wait });
    await markWebhookFailing(deps.db, ws, hook.id, at);
    return;
  }
  await updateDeliveryRow(deps.db, ws, d.id, { ...result, status: 'failed', nextAttemptAt: null });
  await markWebhookFailing(deps.db, ws, hook.id, at);
  // Off when it has failed for long enough, read as the database has it now: deliveries in flight
  // beside this one (a success among them) have had their say.
  if (await disableFailingWebhook(deps.db, ws, hook.id, at, at - deps.config.disableAfterMs)) {
    deps.events.publish({ ...ws, type: 'webhooks.changed' });
    deps.events.publish({ ...ws, type: 'webhook.disabled', webhookId: hook.id, url: hook.url });
  }
}

const ok = (outcome: PostOutcome) => outcome.status !== null && outcome.status >= 200 && outcome.status < 300;
