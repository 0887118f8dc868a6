import crypto from 'node:crypto';
import { IdSchema, PushPayloadSchema, type PushPayload } from '@parley/protocol';
import { z } from 'zod';
import type { Db } from '../db/connect';
import { enqueueJob } from '../jobs/job-queue';
import { defineJobType } from '../jobs/job-type';
import { listDevicesOfUser } from './push-repository';

/**
 * One push to one device. A push is worth little late: retries come quickly and stop after
 * about twenty minutes (10 s, 20 s, … capped at 10 min); what is still failing then stays
 * failed in `jobs` (the dead letter).
 */
export const sendPushJob = defineJobType(
  'push.send',
  z.object({ workspaceId: IdSchema, deviceId: IdSchema, payload: PushPayloadSchema }),
  { maxAttempts: 8, backoffMs: 10_000, maxBackoffMs: 10 * 60_000, leaseMs: 60_000 },
);

export interface QueuedPush {
  workspaceId: string;
  userId: string;
  payload: PushPayload;
  /** No second push of this key to a device while the first is still queued. */
  dedupeKey?: string;
}

/**
 * Queues `payload` for every device the person has in the workspace, one `push.send` job each
 * (a device that fails does not hold up the others). Pass the caller's transaction as `db` to
 * queue with the change that asked for it. Answers the ids of the jobs added.
 */
export async function enqueuePush(db: Db, push: QueuedPush, runAt: number): Promise<string[]> {
  const payload = PushPayloadSchema.parse(push.payload);
  const devices = await listDevicesOfUser(db, { workspaceId: push.workspaceId }, push.userId);
  const ids: string[] = [];
  for (const device of devices) {
    const id = await enqueueJob(db, {
      type: sendPushJob,
      payload: { workspaceId: push.workspaceId, deviceId: device.id, payload },
      runAt,
      ...(push.dedupeKey !== undefined && { dedupeKey: `${fitted(push.dedupeKey)}:${device.id}` }),
    });
    if (id) ids.push(id);
  }
  return ids;
}

/** The jobs table keeps keys of up to 191 characters: a longer key is replaced by its hash. */
function fitted(key: string): string {
  return key.length <= 150 ? key : crypto.createHash('sha256').update(key).digest('base64url');
}
