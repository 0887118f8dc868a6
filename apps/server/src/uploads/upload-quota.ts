import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';

/**
 * What a user's uploads take in a workspace: the attachments they uploaded there that still
 * exist, sent or not. Files of deleted messages no longer count, although their removal is a job
 * that may lag. Each workspace a person belongs to gives them the whole quota.
 */
export async function storageUsedBy(db: Db, ws: Scope, userId: string): Promise<number> {
  const row = await db
    .selectFrom('attachments')
    .leftJoin('messages', (join) =>
      join.onRef('messages.id', '=', 'attachments.messageId').on('messages.workspaceId', '=', ws.workspaceId),
    )
    .select((eb) => eb.fn.sum<number | string | null>('attachments.sizeBytes').as('used'))
    .where('attachments.workspaceId', '=', ws.workspaceId)
    .where('attachments.uploaderId', '=', userId)
    .where('messages.deletedAt', 'is', null)
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

/**
 * Refuses to store `incomingBytes` more for a user whose uploads in the workspace would then exceed
 * `quotaBytes`. `413 payload_too_large` rather than `507`: the request is too big for this
 * user, not the server short of disk (507, a server fault a client may retry). `details` says
 * how much is used and allowed, so a client can tell it apart from the per-file limit.
 */
export async function assertWithinQuota(
  deps: { db: Db; quotaBytes: number },
  ws: Scope,
  userId: string,
  incomingBytes: number,
): Promise<void> {
  const usedBytes = await storageUsedBy(deps.db, ws, userId);
  if (usedBytes + incomingBytes <= deps.quotaBytes && usedBytes < deps.quotaBytes) return;
  throw new AppError(
    'payload_too_large',
    `Your uploads would exceed your storage quota of ${deps.quotaBytes} bytes (${usedBytes} used); ` +
      'delete messages with files to make room',
    { reason: 'quota_exceeded', quotaBytes: deps.quotaBytes, usedBytes },
  );
}
