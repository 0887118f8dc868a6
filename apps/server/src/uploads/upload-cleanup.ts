import { IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { Scope } from '../auth/actor';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import type { FileStore } from './file-store';

/**
 * Uploads that no message will carry: files of deleted messages, and uploads never sent. Both
 * go by durable jobs, so a restart or a crash between the change and the clean-up loses nothing.
 * Files go first and the row after, so a failure leaves a row that the retry finds again, never
 * a file that nothing points to.
 */
export interface UploadCleanupDeps {
  db: Db;
  clock: Clock;
  files: FileStore;
  /** Uploads not sent with a message within this long are removed. */
  unattachedTtlMs: number;
}

/**
 * The files of one deleted message. Enqueued in the delete's own transaction. `workspaceId` is
 * absent from jobs queued before workspaces: the message id alone names the message then.
 */
export const removeMessageFilesJob = defineJobType(
  'uploads.remove-message-files',
  z.object({ messageId: IdSchema, workspaceId: IdSchema.optional() }),
);

/** Hourly (or every TTL, when shorter): expired unsent uploads, and any deleted message's files. */
export const sweepUploadsJob = defineJobType('uploads.sweep', z.object({}), { maxAttempts: 5 });
const SWEEP_KEY = 'uploads.sweep';
const SWEEP_EVERY_MS = 60 * 60_000;
const SWEEP_BATCH = 200;
/** Batches per sweep; when more remain, the sweep comes back a second later instead. */
const SWEEP_BATCHES = 10;

/**
 * Call inside `deleteMessage`'s transaction: the job exists if and only if the delete committed.
 * Chosen over leaving it to the sweep so the files go within seconds, not within the hour.
 */
export async function scheduleMessageFilesRemoval(trx: Db, ws: Scope, messageId: string, now: number): Promise<void> {
  await enqueueJob(trx, {
    type: removeMessageFilesJob,
    payload: { messageId, workspaceId: ws.workspaceId },
    runAt: now,
  });
}

/**
 * Registers both jobs, and the sweep as recurring (due at once on a fresh install).
 *
 * These are installation-wide jobs, so the workspace check is off for them (`acrossWorkspaces`):
 * there is one sweep for all workspaces, and a message's job names its workspace only when it
 * was queued after workspaces came. They only ever remove files nobody can reach any more, and
 * never show a row to anyone.
 */
export function registerUploadCleanup(jobs: JobRunner, deps: UploadCleanupDeps): void {
  const sweepEveryMs = Math.min(SWEEP_EVERY_MS, deps.unattachedTtlMs);
  const db = acrossWorkspaces(deps.db);
  const cleanup = { ...deps, db };
  jobs.register(removeMessageFilesJob, async (message) => {
    await removeAttachments(cleanup, await filesOfDeletedMessages(db, message));
  });
  jobs.register(sweepUploadsJob, async (_payload, { now }) => {
    for (let batch = 0; batch < SWEEP_BATCHES; batch += 1) {
      const expired = await claimExpiredUploads(db, now - deps.unattachedTtlMs);
      const orphaned = await filesOfDeletedMessages(db);
      await removeAttachments(cleanup, [...expired, ...orphaned]);
      if (expired.length < SWEEP_BATCH && orphaned.length < SWEEP_BATCH) return { runAgainAt: now + sweepEveryMs };
    }
    return { runAgainAt: now + 1_000 };
  });
  jobs.keepRecurring({
    type: sweepUploadsJob,
    payload: {},
    runAt: deps.clock.now(),
    dedupeKey: SWEEP_KEY,
  });
}

interface StoredUpload {
  id: string;
  storageKey: string;
}

/**
 * Attachments of deleted messages: of one message, or (for the sweep) of any, in any workspace,
 * which catches messages deleted before this job existed. `db` spans workspaces.
 */
function filesOfDeletedMessages(
  db: Db,
  message?: { messageId: string; workspaceId?: string | undefined },
): Promise<StoredUpload[]> {
  let query = db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.messageId')
    .select(['attachments.id', 'attachments.storageKey'])
    .where('messages.deletedAt', 'is not', null);
  if (message) query = query.where('attachments.messageId', '=', message.messageId);
  if (message?.workspaceId) query = query.where('attachments.workspaceId', '=', message.workspaceId);
  return query.limit(SWEEP_BATCH).execute();
}

/**
 * Unsent uploads of any workspace (`db` spans them) created before `cutoff`. Each is first cut
 * loose from its conversation, which makes it impossible to attach (`attachToMessage` matches the
 * conversation): a send that races the sweep either wins and keeps its file, or is told the
 * upload is unknown. Rows already cut loose by a sweep that failed half-way are taken again.
 */
async function claimExpiredUploads(db: Db, cutoff: number): Promise<StoredUpload[]> {
  const expired = db
    .selectFrom('attachments')
    .select('id')
    .where('messageId', 'is', null)
    .where('createdAt', '<', cutoff)
    .orderBy('createdAt')
    .limit(SWEEP_BATCH);
  const ids = (await expired.execute()).map((row) => row.id);
  if (ids.length === 0) return [];
  await db
    .updateTable('attachments')
    .set({ conversationId: null })
    .where('id', 'in', ids)
    .where('messageId', 'is', null)
    .execute();
  return db
    .selectFrom('attachments')
    .select(['id', 'storageKey'])
    .where('id', 'in', ids)
    .where('messageId', 'is', null)
    .where('conversationId', 'is', null)
    .execute();
}

async function removeAttachments({ db, files }: UploadCleanupDeps, uploads: StoredUpload[]): Promise<void> {
  for (const upload of uploads) {
    await files.purge(
      files.pathOf('attachments', upload.storageKey),
      files.pathOf('attachments', upload.storageKey, '.thumb.webp'),
    );
  }
  if (uploads.length > 0) {
    await db
      .deleteFrom('attachments')
      .where(
        'id',
        'in',
        uploads.map((u) => u.id),
      )
      .execute();
  }
}
