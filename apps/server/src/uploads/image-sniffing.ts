import { AVATAR_CONTENT_TYPES } from '@parley/protocol';
import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import sharp from 'sharp';

/**
 * What a file is, judged from its bytes alone: never from its name or the client's
 * Content-Type header, both of which the uploader controls.
 */
export const UNKNOWN_CONTENT_TYPE = 'application/octet-stream';

/** Images we decode (to resize or thumbnail) and serve inline. */
const IMAGE_TYPES: ReadonlySet<string> = new Set(AVATAR_CONTENT_TYPES);

export const isImageType = (contentType: string): boolean => IMAGE_TYPES.has(contentType);

/**
 * Types a browser opens as a document of its own, scripts and all: HTML, and XML of any kind
 * (an XML file can carry XHTML; SVG is XML). file-type does recognise `application/xml`.
 */
const ACTIVE_CONTENT = /^[a-z]+\/(?:[\w.-]+\+)?(?:xml|html|xhtml|javascript|ecmascript|x-shockwave-flash)$/;

/** The type to record and serve a file under: its own, unless a browser would run it as a page of ours. */
export const servableType = (contentType: string): string =>
  ACTIVE_CONTENT.test(contentType) ? UNKNOWN_CONTENT_TYPE : contentType;

export async function sniffBuffer(data: Buffer): Promise<string> {
  return (await fileTypeFromBuffer(data))?.mime ?? UNKNOWN_CONTENT_TYPE;
}

export async function sniffFile(file: string): Promise<string> {
  return (await fileTypeFromFile(file))?.mime ?? UNKNOWN_CONTENT_TYPE;
}

/**
 * sharp for untrusted input: at most ~40 megapixels (a decompression bomb is refused before
 * it is decoded), the first frame of an animation, EXIF orientation applied.
 */
export const MAX_INPUT_PIXELS = 40_000_000;

export const decodeImage = (input: Buffer | string) =>
  sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).autoOrient();

/** Width and height as displayed (after EXIF orientation). */
export async function imageSize(input: Buffer | string): Promise<{ width: number; height: number }> {
  const meta = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  return { width: meta.autoOrient.width, height: meta.autoOrient.height };
}
