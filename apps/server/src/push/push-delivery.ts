import type { Clock } from '../clock';
import type { PushConfig } from '../config';
import type { Db } from '../db/connect';
import type { JobRunner } from '../jobs/job-runner';
import { GiveUpError, RetryLaterError } from '../jobs/job-type';
import { enqueueExpoReceipt } from './expo-receipts';
import { sendExpoPush } from './expo-sender';
import type { PushOutcome } from './push-outcome';
import { sendPushJob } from './push-queue';
import { countDeviceFailure, deleteDevice, findDevice, markDeviceUsed } from './push-repository';
import { sendWebPush, type WebPushTransport } from './web-push-sender';

/**
 * A device whose pushes are refused this many times in a row (4xx other than 404/410: a key its
 * push service no longer takes, say) is removed: nobody is reading it.
 */
export const PUSH_MAX_FAILURES = 3;

export interface PushDeliveryDeps {
  db: Db;
  clock: Clock;
  push: PushConfig;
  web: WebPushTransport;
  log: { info(details: object, message: string): void };
}

/**
 * Runs `push.send` jobs. At least once: a node that dies after the push service accepted a push
 * and before the job is marked done sends it again when its lease lapses. The repeat carries the
 * same `Topic` (the service replaces a push it still holds) and the same `tag` (the device
 * replaces the notification it shows), so the person sees one notification.
 */
export function registerPushDelivery(jobs: JobRunner, deps: PushDeliveryDeps): void {
  jobs.register(sendPushJob, async ({ workspaceId, deviceId, payload }) => {
    const ws = { workspaceId };
    const device = await findDevice(deps.db, ws, deviceId);
    if (!device) return; // unregistered since: nothing to send to
    const now = deps.clock.now();
    let outcome: PushOutcome;
    if (device.kind === 'expo') outcome = await sendExpoPush(deps.push, device, payload, now);
    else if (device.vapidKey !== deps.push.vapid.publicKey) {
      // Subscribed under a VAPID key we no longer have: its push service would refuse us.
      outcome = { kind: 'gone', reason: 'subscribed under a rotated VAPID key' };
    } else outcome = await sendWebPush(deps.push, deps.web, device, payload, now);

    switch (outcome.kind) {
      case 'delivered':
        await markDeviceUsed(deps.db, ws, device.id, deps.clock.now());
        if (outcome.receiptId)
          await enqueueExpoReceipt(deps.db, { workspaceId, deviceId, receiptId: outcome.receiptId }, now);
        return;
      case 'gone':
        await deleteDevice(deps.db, ws, device.id);
        deps.log.info({ push: { workspaceId, deviceId, reason: outcome.reason } }, 'push device gone; removed');
        return;
      case 'retry':
        if (outcome.retryAfterMs !== undefined) throw new RetryLaterError(outcome.reason, outcome.retryAfterMs);
        throw new Error(outcome.reason);
      case 'rejected':
        if ((await countDeviceFailure(deps.db, ws, device.id)) >= PUSH_MAX_FAILURES) {
          await deleteDevice(deps.db, ws, device.id);
        }
        throw new GiveUpError(outcome.reason);
    }
  });
}
