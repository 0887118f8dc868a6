import { AppError } from '../http/app-error';
import { decodeImage, isImageType, sniffBuffer } from './image-sniffing';

/**
 * An uploaded picture (an avatar, a workspace logo) as WebP renditions of each size: checked
 * to be a PNG, JPEG, WebP or GIF by its bytes, decoded with the limits for untrusted input.
 * `cover` crops to squares (avatars); `inside` keeps the proportions within the square (logos).
 */
export async function renderPicture(
  data: Buffer,
  sizes: readonly number[],
  fit: 'cover' | 'inside',
): Promise<Buffer[]> {
  if (!isImageType(await sniffBuffer(data))) {
    throw new AppError('unsupported_media_type', 'Only PNG, JPEG, WebP and GIF images are accepted');
  }
  try {
    return await Promise.all(
      sizes.map((size) => decodeImage(data).resize(size, size, { fit }).webp({ quality: 85 }).toBuffer()),
    );
  } catch {
    throw new AppError('unsupported_media_type', 'The image could not be read');
  }
}
