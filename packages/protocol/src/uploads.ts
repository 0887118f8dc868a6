import { z } from 'zod';

/**
 * Uploads travel as `multipart/form-data` with one file in the field `file`; the answers are
 * JSON. Attachments themselves are described by `Attachment` (see conversations).
 */

/** Random key of a stored avatar: 32 lowercase hex digits, never a user-supplied name. */
export const AvatarKeySchema = z.string().regex(/^[0-9a-f]{32}$/, 'Expected an avatar key');

export const AVATAR_SIZES = [256, 64] as const;
export type AvatarSize = (typeof AVATAR_SIZES)[number];

/** `GET /avatars/:key?size=`: square WebP renditions, 256 px (default) or 64 px. */
export const AvatarQuerySchema = z.object({
  size: z
    .enum(['256', '64'])
    .default('256')
    .transform((s) => Number(s) as AvatarSize)
    .describe('Edge of the square image in pixels'),
});

export const AvatarResponseSchema = z
  .object({ avatarUrl: z.string().describe('Public URL of the new avatar, e.g. `/avatars/<key>`') })
  .meta({ id: 'AvatarResponse' });
export type AvatarResponse = z.infer<typeof AvatarResponseSchema>;

/** Image types accepted as avatars (detected from the bytes, not the name or header). */
export const AVATAR_CONTENT_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
