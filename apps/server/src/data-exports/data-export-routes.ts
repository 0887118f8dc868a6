import {
  DATA_EXPORT_RETENTION_DAYS,
  DataExportListSchema,
  DataExportSchema,
  IdSchema,
  MAX_DATA_EXPORTS_PER_DAY,
} from '@parley/protocol';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { contentDisposition } from '../uploads/upload-routes';
import { binary } from '../uploads/multipart-file';
import {
  listDataExports,
  openDataExport,
  requestDataExport,
  type DataExportDeps,
  type DataExportDownload,
} from './data-export-service';

export function registerDataExportRoutes(app: ZodApp, deps: RouteDeps & DataExportDeps): void {
  const common = { tags: ['data exports'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/me/data-exports',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Your copies of your data in this workspace',
        response: { 200: DataExportListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listDataExports(deps, actorOf(request)),
  );

  app.post(
    '/me/data-exports',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Ask for a copy of your data in this workspace (your profile, the messages you sent, your tickets)',
        description:
          'Built in the background into a zip of JSON files; a `data_export.ready` notification says when it can be ' +
          `downloaded, for ${DATA_EXPORT_RETENTION_DAYS} days. While one is still being built, asking again answers ` +
          `that one. \`429\`: you asked for ${MAX_DATA_EXPORTS_PER_DAY} in the last 24 hours (\`Retry-After\` says ` +
          'when you may ask again).',
        response: { 202: DataExportSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (request, reply) => reply.code(202).send(await requestDataExport(deps, actorOf(request))),
  );

  app.get(
    '/me/data-exports/:id/download',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Download one of your data exports (a zip)',
        description: '`409`: it is not ready (still being built, or it failed). Only you can download yours.',
        params: z.object({ id: IdSchema }),
        response: {
          200: binary('application/zip', 'README.txt, profile.json, messages.json and tickets.json'),
          ...errorResponses(401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => sendZip(reply, await openDataExport(deps, actorOf(request), request.params.id)),
  );
}

/** Sent as a stream, never through the serializer; nothing on the way may keep a copy. */
function sendZip(reply: FastifyReply, file: DataExportDownload) {
  return reply
    .header('content-type', 'application/zip')
    .header('content-length', file.size)
    .header('content-disposition', contentDisposition('attachment', file.fileName))
    .header('cache-control', 'private, no-store')
    .send(file.stream);
}
