import multipart from '@fastify/multipart';
import {
  AttachmentSchema,
  AvatarKeySchema,
  AvatarQuerySchema,
  AvatarResponseSchema,
  IdSchema,
  UPLOAD_FIELD,
} from '@parley/protocol';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { openAttachment, uploadAttachment, type AttachmentDownload } from './attachment-service';
import { binary, readAll, receiveFile, sendPublicImage } from './multipart-file';
import { readAvatar, removeAvatar, setAvatar } from './avatar-service';
import { createFileStore } from './file-store';
import { isImageType } from './image-sniffing';

const IdParams = z.object({ id: IdSchema });
const AvatarParams = z.object({ key: AvatarKeySchema });

const QUOTA_NOTE =
  "A user's attachments in a workspace share a storage quota (`UPLOAD_QUOTA_BYTES`); past it the answer is " +
  '`413 payload_too_large` with `details.reason` `quota_exceeded`, `quotaBytes` and `usedBytes`.';

const MULTIPART_NOTE = `Send \`multipart/form-data\` with the file in the field \`${UPLOAD_FIELD}\`.`;

/**
 * Avatars and attachments. Multipart parsing is registered in this scope only, with tight
 * limits (one file, a few small fields); every other route keeps refusing multipart bodies.
 */
export function registerUploadRoutes(app: ZodApp, deps: RouteDeps): void {
  const files = createFileStore(deps.config.dataDir);
  const { uploadBytes, attachmentBytes } = deps.config.limits;
  const services = { ...deps, files, quotaBytes: deps.config.uploads.quotaBytes };
  const preHandler = deps.guards.requireUser;

  app.register(async (scope: ZodApp) => {
    await scope.register(multipart, {
      limits: { fileSize: Math.max(uploadBytes, attachmentBytes), files: 1, fields: 10, fieldSize: 1024, parts: 20 },
    });

    scope.put(
      '/me/avatar',
      {
        preHandler,
        schema: {
          tags: ['users'],
          security: bearerAuth,
          summary: 'Set your avatar (PNG, JPEG, WebP or GIF, cropped to squares)',
          description: `${MULTIPART_NOTE} At most ${uploadBytes} bytes; the type is read from the bytes. ` + QUOTA_NOTE,
          consumes: ['multipart/form-data'],
          response: { 200: AvatarResponseSchema, ...errorResponses(400, 401, 413, 415, 503, 507) },
        },
      },
      async (request) => {
        const incoming = await receiveFile(request, uploadBytes);
        const data = await readAll(incoming, 'Avatars');
        return { avatarUrl: await setAvatar(services, actorOf(request), data) };
      },
    );

    scope.post(
      '/conversations/:id/attachments',
      {
        preHandler,
        schema: {
          tags: ['conversations'],
          security: bearerAuth,
          summary: 'Upload a file to send with your next message here (`attachmentIds`)',
          description:
            `${MULTIPART_NOTE} At most ${attachmentBytes} bytes. ` +
            'An upload not sent with a message within `UNATTACHED_UPLOAD_TTL_SECONDS` is removed. ' +
            QUOTA_NOTE,
          consumes: ['multipart/form-data'],
          params: IdParams,
          response: { 201: AttachmentSchema, ...errorResponses(400, 401, 404, 413, 415, 503, 507) },
        },
      },
      async (request, reply) => {
        const attachment = await uploadAttachment(services, actorOf(request), request.params.id, () =>
          receiveFile(request, attachmentBytes),
        );
        return reply.code(201).send(attachment);
      },
    );
  });

  app.delete(
    '/me/avatar',
    {
      preHandler,
      schema: {
        tags: ['users'],
        security: bearerAuth,
        summary: 'Remove your avatar',
        response: { 204: z.undefined().describe('Removed (or there was none)'), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await removeAvatar(services, actorOf(request).id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/avatars/:key',
    {
      schema: {
        tags: ['users'],
        summary: 'An avatar as a square WebP image (public; the URL changes with every upload)',
        params: AvatarParams,
        querystring: AvatarQuerySchema,
        response: { 200: binary('image/webp', 'Square WebP image'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => sendPublicImage(reply, await readAvatar(files, request.params.key, request.query.size)),
  );

  const downloadSchema = (summary: string) => ({
    tags: ['conversations'],
    security: bearerAuth,
    summary,
    params: IdParams,
    response: {
      200: binary('application/octet-stream', 'The file; `Content-Type` is the type detected at upload'),
      ...errorResponses(400, 401, 404),
    },
  });

  app.get(
    '/attachments/:id',
    {
      preHandler,
      schema: downloadSchema('Download an attachment (readers of its conversation)'),
    },
    async (request, reply) =>
      sendDownload(reply, await openAttachment(services, actorOf(request), request.params.id, 'file')),
  );

  app.get(
    '/attachments/:id/thumbnail',
    {
      preHandler,
      schema: downloadSchema("An image attachment's WebP thumbnail (at most 320 px)"),
    },
    async (request, reply) =>
      sendDownload(reply, await openAttachment(services, actorOf(request), request.params.id, 'thumbnail')),
  );
}

function sendDownload(reply: FastifyReply, file: AttachmentDownload) {
  const disposition = isImageType(file.contentType) ? 'inline' : 'attachment';
  return reply
    .header('content-type', file.contentType)
    .header('content-length', file.size)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', contentDisposition(disposition, file.fileName))
    .header('cache-control', 'private, max-age=3600')
    .send(file.stream);
}

/** `attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded` (RFC 6266). */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
