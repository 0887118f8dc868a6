import { UPLOAD_FIELD } from '@parley/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { AppError } from '../http/app-error';
import type { IncomingFile } from './attachment-service';

/** What the upload routes share: reading the one file of a multipart body, and serving public images. */

/** Binary answers: documented for /docs, sent as streams (never through the serializer). */
export const binary = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: z.string().meta({ format: 'binary' }) } },
});

/** The request's one file part (field `file`), limited to `limitBytes`. */
export async function receiveFile(request: FastifyRequest, limitBytes: number): Promise<IncomingFile> {
  if (!request.isMultipart()) {
    if (request.headers['content-type']) {
      throw new AppError('unsupported_media_type', `Send multipart/form-data with a "${UPLOAD_FIELD}" field`);
    }
    throw missingFile();
  }
  let part;
  try {
    part = await request.file({ limits: { fileSize: limitBytes } });
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 413) throw error;
    throw new AppError('bad_request', 'Malformed multipart body');
  }
  if (!part) throw missingFile();
  if (part.fieldname !== UPLOAD_FIELD) {
    part.file.resume();
    throw missingFile();
  }
  const { file } = part;
  return { stream: file, fileName: part.filename, truncated: () => file.truncated, limitBytes };
}

const missingFile = () =>
  new AppError('validation_failed', `Missing file: send it in the multipart field "${UPLOAD_FIELD}"`, {
    fields: [{ in: 'body', path: UPLOAD_FIELD, message: 'Required', reason: 'required' }],
  });

export async function readAll(incoming: IncomingFile, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming.stream) chunks.push(chunk as Buffer);
  if (incoming.truncated()) {
    throw new AppError('payload_too_large', `${what} are limited to ${incoming.limitBytes} bytes`);
  }
  return Buffer.concat(chunks);
}

/** Streams go out as they are; the route's zod response schema only documents them. */
export function sendPublicImage(reply: FastifyReply, { stream, size }: { stream: Readable; size: number }) {
  return (
    reply
      .header('content-type', 'image/webp')
      .header('content-length', size)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=31536000, immutable')
      // Public images, shown by web clients on other origins too.
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(stream)
  );
}
