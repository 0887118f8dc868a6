import type { Attachment } from '@parley/protocol';
import type { Selectable } from 'kysely';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { AttachmentsTable } from '../db/schema';
import { AppError } from '../http/app-error';

type AttachmentRow = Selectable<AttachmentsTable>;

const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif']);

export function presentAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    conversationId: row.conversationId!,
    messageId: row.messageId,
    fileName: row.fileName,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    width: row.width,
    height: row.height,
    url: `/attachments/${row.id}`,
    thumbnailUrl: IMAGE_TYPES.has(row.contentType) ? `/attachments/${row.id}/thumbnail` : null,
    createdAt: toIso(row.createdAt),
  };
}

/**
 * Links uploads to the message that carries them. Each id must be an upload of this sender to
 * this conversation not yet attached to any message; otherwise nothing is linked.
 */
export async function attachToMessage(
  db: Db,
  p: { attachmentIds: readonly string[]; conversationId: string; uploaderId: string; messageId: string },
): Promise<void> {
  if (p.attachmentIds.length === 0) return;
  const ids = [...new Set(p.attachmentIds)];
  const result = await db
    .updateTable('attachments')
    .set({ messageId: p.messageId })
    .where('id', 'in', ids)
    .where('conversationId', '=', p.conversationId)
    .where('uploaderId', '=', p.uploaderId)
    .where('messageId', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== ids.length) {
    throw new AppError('validation_failed', 'Unknown or already used attachment', {
      fields: [{ in: 'body', path: 'attachmentIds', message: 'Upload each file to this conversation first, once' }],
    });
  }
}

/** The attachments of these messages, by message id. */
export async function listAttachmentsByMessage(
  db: Db,
  messageIds: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('messageId', 'in', [...messageIds])
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byMessage.get(row.messageId!) ?? [];
    list.push(presentAttachment(row));
    byMessage.set(row.messageId!, list);
  }
  return byMessage;
}
