import { AVATAR_SIZES, type AvatarSize } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { notFound } from '../http/app-error';
import { avatarUrl } from '../users/user-presenter';
import type { FileStore } from './file-store';
import { newStorageKey } from './file-store';
import { renderPicture } from './image-renditions';
import { assertWithinQuota } from './upload-quota';

export interface AvatarDeps {
  db: Db;
  clock: Clock;
  files: FileStore;
  /** UPLOAD_QUOTA_BYTES: a new avatar must fit in what the user's attachments (in the workspace asking) leave. */
  quotaBytes: number;
}

const avatarFile = (files: FileStore, key: string, size: AvatarSize) => files.pathOf('avatars', key, `-${size}.webp`);
const allAvatarFiles = (files: FileStore, key: string) => AVATAR_SIZES.map((size) => avatarFile(files, key, size));

/**
 * Makes `data` the user's avatar: checked to be a PNG, JPEG, WebP or GIF by its bytes, cropped
 * to squares of every size, stored as WebP under a new random key. The previous avatar's files
 * go once the new one is in place. Resolves to the new avatar's URL.
 *
 * The avatar belongs to the account (every workspace of theirs shows it); the quota it must fit
 * in is the one of the workspace `user` is acting in.
 */
export async function setAvatar(deps: AvatarDeps, user: Scope & { id: string }, data: Buffer): Promise<string> {
  const userId = user.id;
  const renditions = await renderPicture(data, AVATAR_SIZES, 'cover');

  // An avatar replaces the last one, so it does not add up; but a user at the quota stores no more.
  await assertWithinQuota(
    deps,
    user,
    userId,
    renditions.reduce((sum, r) => sum + r.length, 0),
  );
  const key = newStorageKey();
  const written = allAvatarFiles(deps.files, key);
  try {
    await Promise.all(written.map((file, i) => deps.files.write(file, renditions[i]!)));
    const previous = await swapAvatarKey(deps, userId, key);
    if (previous) await deps.files.remove(...allAvatarFiles(deps.files, previous));
  } catch (error) {
    await deps.files.remove(...written);
    throw error;
  }
  return avatarUrl(key)!;
}

/** Removes the user's avatar, if any. */
export async function removeAvatar(deps: AvatarDeps, userId: string): Promise<void> {
  const previous = await swapAvatarKey(deps, userId, null);
  if (previous) await deps.files.remove(...allAvatarFiles(deps.files, previous));
}

/** A stored avatar rendition, or 404. */
export async function readAvatar(files: FileStore, key: string, size: AvatarSize) {
  const found = await files.read(avatarFile(files, key, size));
  if (!found) throw notFound('Avatar');
  return found;
}

/**
 * Sets users.avatarKey, answering the key it replaced. Compare-and-set, so of two concurrent
 * uploads each learns the key it really replaced and no file is left behind or deleted twice.
 */
async function swapAvatarKey({ db, clock }: AvatarDeps, userId: string, next: string | null): Promise<string | null> {
  for (;;) {
    const user = await db.selectFrom('users').select('avatarKey').where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('User');
    const previous = user.avatarKey;
    if (previous === next) return null;
    const result = await db
      .updateTable('users')
      .set({ avatarKey: next, updatedAt: clock.now() })
      .where('id', '=', userId)
      .where((eb) => (previous === null ? eb('avatarKey', 'is', null) : eb('avatarKey', '=', previous)))
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return previous;
  }
}
