import type { Attachment } from '@parley/protocol';
import type { Selectable } from 'kysely';
import type { ReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import type { Actor, Scope } from '../auth/actor';
import { toIso } from '../clock';
import { accessConversation } from '../conversations/conversation-access';
import type { Db } from '../db/connect';
import type { AttachmentsTable } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import { newStorageKey, type FileStore } from './file-store';
import { decodeImage, imageSize, isImageType, servableType, sniffFile, UNKNOWN_CONTENT_TYPE } from './image-sniffing';
import { assertWithinQuota } from './upload-quota';

type AttachmentRow = Selectable<AttachmentsTable>;

export interface AttachmentDeps extends ServiceDeps {
  files: FileStore;
  /** What one user's attachments in one workspace may take in all (UPLOAD_QUOTA_BYTES). */
  quotaBytes: number;
}

/** Thumbnails fit in a square of this many pixels (never enlarged). */
export const THUMBNAIL_PX = 320;

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
    thumbnailUrl: isImageType(row.contentType) ? `/attachments/${row.id}/thumbnail` : null,
    createdAt: toIso(row.createdAt),
  };
}

/**
 * Links uploads to the message that carries them. Each id must be an upload of this sender to
 * this conversation of the workspace not yet attached to any message; otherwise nothing is linked.
 */
export async function attachToMessage(
  db: Db,
  ws: Scope,
  p: { attachmentIds: readonly string[]; conversationId: string; uploaderId: string; messageId: string },
): Promise<void> {
  if (p.attachmentIds.length === 0) return;
  const ids = [...new Set(p.attachmentIds)];
  const result = await db
    .updateTable('attachments')
    .set({ messageId: p.messageId })
    .where('workspaceId', '=', ws.workspaceId)
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

/**
 * Carries the uploader's unsent attachments from one conversation to another, for a message
 * that is going elsewhere than where its files were uploaded (a reply that opens a follow-up
 * ticket). Ids that are not such attachments are left for `attachToMessage` to refuse.
 */
export async function moveUnsentAttachments(
  db: Db,
  ws: Scope,
  attachmentIds: readonly string[],
  uploaderId: string,
  fromConversationId: string,
  toConversationId: string,
): Promise<void> {
  if (attachmentIds.length === 0) return;
  await db
    .updateTable('attachments')
    .set({ conversationId: toConversationId })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', 'in', [...new Set(attachmentIds)])
    .where('conversationId', '=', fromConversationId)
    .where('uploaderId', '=', uploaderId)
    .where('messageId', 'is', null)
    .execute();
}

/** The attachments of these messages of the workspace, by message id. */
export async function listAttachmentsByMessage(
  db: Db,
  ws: Scope,
  messageIds: readonly string[],
): Promise<Map<string, Attachment[]>> {
  const byMessage = new Map<string, Attachment[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = await db
    .selectFrom('attachments')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
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

/** A file as it arrives: its bytes, its name as the client gave it, and whether it was cut. */
export interface IncomingFile {
  stream: Readable;
  fileName: string;
  /** True once the stream stopped at the size limit (asked after reading it to the end). */
  truncated(): boolean;
  limitBytes: number;
}

/**
 * Stores a file for a message yet to be sent to this conversation. Only someone who may write
 * the conversation may upload (checked before a byte is read). The type comes from the bytes;
 * images get a WebP thumbnail and their size recorded; one that does not decode is kept as an
 * opaque download, and so is markup a browser would run (servableType). The client's file name
 * is metadata only, never a path.
 */
export async function uploadAttachment(
  deps: AttachmentDeps,
  actor: Actor,
  conversationId: string,
  receive: () => Promise<IncomingFile>,
): Promise<Attachment> {
  const { db, files } = deps;
  await accessConversation(deps, actor, conversationId, { write: true });
  // A user already at the quota is refused before a byte is read; the size is known only once
  // the file is written, so it is checked again before the row makes it count.
  await assertWithinQuota(deps, actor, actor.id, 0);
  const incoming = await receive();

  const key = newStorageKey();
  const filePath = files.pathOf('attachments', key);
  const thumbnailPath = files.pathOf('attachments', key, '.thumb.webp');
  try {
    const sizeBytes = await files.write(filePath, incoming.stream);
    if (incoming.truncated()) {
      throw new AppError('payload_too_large', `Attachments are limited to ${incoming.limitBytes} bytes`);
    }
    await assertWithinQuota(deps, actor, actor.id, sizeBytes);
    let contentType = servableType(await sniffFile(filePath));
    let size: { width: number; height: number } | null = null;
    if (isImageType(contentType)) {
      const thumbnail = await makeThumbnail(filePath);
      if (thumbnail) {
        size = thumbnail.size;
        await files.write(thumbnailPath, thumbnail.data);
      } else {
        contentType = UNKNOWN_CONTENT_TYPE;
      }
    }
    const row: AttachmentRow = {
      id: newId(),
      workspaceId: actor.workspaceId,
      uploaderId: actor.id,
      conversationId,
      messageId: null,
      storageKey: key,
      fileName: sanitizeFileName(incoming.fileName),
      contentType,
      sizeBytes,
      width: size?.width ?? null,
      height: size?.height ?? null,
      createdAt: deps.clock.now(),
    };
    await db.insertInto('attachments').values(row).execute();
    return presentAttachment(row);
  } catch (error) {
    await files.remove(filePath, thumbnailPath);
    throw error;
  }
}

async function makeThumbnail(file: string) {
  try {
    const size = await imageSize(file);
    const data = await decodeImage(file)
      .resize(THUMBNAIL_PX, THUMBNAIL_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return { size, data };
  } catch {
    return null; // looks like an image, does not decode as one
  }
}

export interface AttachmentDownload {
  stream: ReadStream;
  size: number;
  contentType: string;
  fileName: string;
}

/**
 * An attachment's file (or its thumbnail) for someone who may read it: a reader of its
 * conversation who may see the message carrying it (internal notes: staff only; deleted
 * messages: nobody), or before it is sent, its uploader alone. Anyone else gets the same 404
 * as for an id that does not exist.
 */
export async function openAttachment(
  deps: AttachmentDeps,
  actor: Actor,
  attachmentId: string,
  variant: 'file' | 'thumbnail',
): Promise<AttachmentDownload> {
  const { db, files } = deps;
  const row = await db
    .selectFrom('attachments')
    .selectAll()
    .where('workspaceId', '=', actor.workspaceId)
    .where('id', '=', attachmentId)
    .executeTakeFirst();
  if (!row?.conversationId) throw notFound('Attachment');
  const access = await accessConversation(deps, actor, row.conversationId).catch((error: unknown) => {
    throw error instanceof AppError && error.code === 'not_found' ? notFound('Attachment') : error;
  });
  if (row.messageId === null) {
    if (row.uploaderId !== actor.id) throw notFound('Attachment');
  } else {
    const message = await db
      .selectFrom('messages')
      .select(['kind', 'deletedAt'])
      .where('workspaceId', '=', actor.workspaceId)
      .where('id', '=', row.messageId)
      .executeTakeFirst();
    if (!message || message.deletedAt !== null || (message.kind === 'note' && !access.seesNotes)) {
      throw notFound('Attachment');
    }
  }

  const thumbnail = variant === 'thumbnail';
  if (thumbnail && !isImageType(row.contentType)) throw notFound('Thumbnail');
  const found = await files.read(files.pathOf('attachments', row.storageKey, thumbnail ? '.thumb.webp' : ''));
  if (!found) throw notFound(thumbnail ? 'Thumbnail' : 'Attachment');
  return { ...found, contentType: thumbnail ? 'image/webp' : row.contentType, fileName: row.fileName };
}

/**
 * The client's file name, made harmless as metadata: no directories, no control or
 * bidi-override characters, at most 255 characters (keeping the extension), never empty.
 */
export function sanitizeFileName(raw: string): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    .replace(/[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  const chars = Array.from(clean);
  if (chars.length <= 255) return clean || 'file';
  const dot = clean.lastIndexOf('.');
  const ext = dot > 0 && clean.length - dot <= 16 ? Array.from(clean.slice(dot)) : [];
  return [...chars.slice(0, 255 - ext.length), ...ext].join('');
}
