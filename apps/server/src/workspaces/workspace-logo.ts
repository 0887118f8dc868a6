import type { Db } from '../db/connect';
import { AppError, notFound } from '../http/app-error';
import type { FileStore } from '../uploads/file-store';
import { newStorageKey } from '../uploads/file-store';
import { decodeImage, isImageType, sniffBuffer } from '../uploads/image-sniffing';

/** The logo's box: wide or tall logos fit inside it, never cropped (unlike avatars). */
export const LOGO_SIZE = 256;

const logoFile = (files: FileStore, key: string) => files.pathOf('workspace-logos', key, '.webp');

/**
 * Stores `data` as a workspace logo: checked to be a PNG, JPEG, WebP or GIF by its bytes, fitted
 * into a 256 px square (transparency kept), written as WebP under a new random key. Resolves to
 * the key (`workspaces.logoKey`; the URL is `/workspace-logos/<key>`, see `presentWorkspace`).
 */
export async function storeWorkspaceLogo(files: FileStore, data: Buffer): Promise<string> {
  if (!isImageType(await sniffBuffer(data))) {
    throw new AppError('unsupported_media_type', 'Only PNG, JPEG, WebP and GIF images are accepted');
  }
  let rendition: Buffer;
  try {
    rendition = await decodeImage(data)
      .resize(LOGO_SIZE, LOGO_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 90 })
      .toBuffer();
  } catch {
    throw new AppError('unsupported_media_type', 'The image could not be read');
  }
  const key = newStorageKey();
  await files.write(logoFile(files, key), rendition);
  return key;
}

/**
 * Makes `data` the workspace's logo (the seed's way in; an admin route would do the same) and
 * removes the previous logo's file.
 */
export async function setWorkspaceLogo(
  deps: { db: Db; files: FileStore; now: number },
  workspaceId: string,
  data: Buffer,
): Promise<string> {
  const key = await storeWorkspaceLogo(deps.files, data);
  const previous = await deps.db
    .selectFrom('workspaces')
    .select('logoKey')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  await deps.db
    .updateTable('workspaces')
    .set({ logoKey: key, updatedAt: deps.now })
    .where('id', '=', workspaceId)
    .execute();
  if (previous?.logoKey) await deps.files.remove(logoFile(deps.files, previous.logoKey));
  return key;
}

/** A stored logo, or 404. */
export async function readWorkspaceLogo(files: FileStore, key: string) {
  const found = await files.read(logoFile(files, key));
  if (!found) throw notFound('Logo');
  return found;
}
