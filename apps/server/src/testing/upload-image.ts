import type { Session } from '@parley/protocol';
import sharp from 'sharp';
import { multipart } from './multipart';
import { bearer, type TestApp } from './test-app';

/** A small PNG of the given size. */
export const pngImage = (width = 40, height = 30) =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } } })
    .png()
    .toBuffer();

/** Uploads `content` as `who` in the multipart field the upload routes read. */
export function uploadImage(t: TestApp, who: Session, method: 'PUT' | 'POST', url: string, content: Buffer) {
  const body = multipart({ fileName: 'picture.png', contentType: 'image/png', content });
  return t.app.inject({
    method,
    url,
    headers: { ...bearer(who), 'content-type': body.contentType },
    payload: body.payload,
  });
}
