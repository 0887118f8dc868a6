import { IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
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

/** The files of one deleted message. Enqueued in the delete's own transaction. */
export const removeMessageFilesJob = defineJobType('uploads.remove-message-files', z.object({ messageId: IdSchema }));

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
export async function scheduleMessageFilesRemoval(trx: Db, messageId: string, now: number): Promise<void> {
  await enqueueJob(trx, { type: removeMessageFilesJob, payload: { messageId }, runAt: now });
}

/** Registers both jobs, and the sweep as recurring (due at once on a fresh install). */
export function registerUploadCleanup(jobs: JobRunner, deps: UploadCleanupDeps): void {
  const sweepEveryMs = Math.min(SWEEP_EVERY_MS, deps.unattachedTtlMs);
  jobs.register(removeMessageFilesJob, async ({ messageId }) => {
    await removeAttachments(deps, await filesOfDeletedMessages(deps.db, messageId));
  });
  jobs.register(sweepUploadsJob, async (_payload, { now }) => {
    for (let batch = 0; batch < SWEEP_BATCHES; batch += 1) {
      const expired = await claimExpiredUploads(deps.db, now - deps.unattachedTtlMs);
      const orphaned = await filesOfDeletedMessages(deps.db);
      await removeAttachments(deps, [...expired, ...orphaned]);
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
 * Attachments of deleted messages: of one message, or (for the sweep) of any, which catches
 * messages deleted before this job existed.
 */
function filesOfDeletedMessages(db: Db, messageId?: string): Promise<StoredUpload[]> {
  let query = db
    .selectFrom('attachments')
    .innerJoin('messages', 'messages.id', 'attachments.messageId')
    .select(['attachments.id', 'attachments.storageKey'])
    .where('messages.deletedAt', 'is not', null);
  if (messageId) query = query.where('attachments.messageId', '=', messageId);
  return query.limit(SWEEP_BATCH).execute();
}

/**
 * Unsent uploads created before `cutoff`. Each is first cut loose from its conversation, which
 * makes it impossible to attach (`attachToMessage` matches the conversation): a send that races
 * the sweep either wins and keeps its file, or is told the upload is unknown. Rows already cut
 * loose by a sweep that failed half-way are taken again.
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
