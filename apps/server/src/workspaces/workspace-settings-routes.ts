import multipart from '@fastify/multipart';
import {
  UpdateWorkspaceBodySchema,
  WorkspaceLogoKeySchema,
  WorkspaceLogoQuerySchema,
  WorkspaceLogoResponseSchema,
  WorkspaceSettingsSchema,
  UPLOAD_FIELD,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createFileStore } from '../uploads/file-store';
import { binary, readAll, receiveFile, sendPublicImage } from '../uploads/multipart-file';
import {
  getWorkspaceSettings,
  readWorkspaceLogo,
  removeWorkspaceLogo,
  setWorkspaceLogo,
  updateWorkspaceSettings,
} from './workspace-settings-service';

/** `GET/PATCH /workspace`, the logo upload, and the public logo images. */
export function registerWorkspaceSettingsRoutes(app: ZodApp, deps: RouteDeps): void {
  const files = createFileStore(deps.config.dataDir);
  const services = { ...deps, files };
  const { uploadBytes } = deps.config.limits;
  const common = { tags: ['workspaces'], security: bearerAuth };
  const manage = deps.guards.requirePermission('settings.manage');

  app.get(
    '/workspace',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary: 'The workspace of this session: name, branding and whether anyone may sign up',
        response: { 200: WorkspaceSettingsSchema, ...errorResponses(401) },
      },
    },
    async (request) => getWorkspaceSettings(deps, actorOf(request)),
  );

  app.patch(
    '/workspace',
    {
      preHandler: manage,
      schema: {
        ...common,
        summary: "Change the workspace's name, accent colour or sign-up policy (`settings.manage`)",
        description: 'A new name or accent colour reaches every open app of the workspace (`workspace.updated`).',
        body: UpdateWorkspaceBodySchema,
        response: { 200: WorkspaceSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => updateWorkspaceSettings(deps, actorOf(request), request.body),
  );

  app.register(async (scope: ZodApp) => {
    await scope.register(multipart, {
      limits: { fileSize: uploadBytes, files: 1, fields: 10, fieldSize: 1024, parts: 20 },
    });
    scope.put(
      '/workspace/logo',
      {
        preHandler: manage,
        schema: {
          ...common,
          summary: "Set the workspace's logo (PNG, JPEG, WebP or GIF; `settings.manage`)",
          description:
            `Send \`multipart/form-data\` with the file in the field \`${UPLOAD_FIELD}\`. At most ${uploadBytes} ` +
            'bytes; the type is read from the bytes. Fitted into squares of 256 and 64 px, proportions kept.',
          consumes: ['multipart/form-data'],
          response: { 200: WorkspaceLogoResponseSchema, ...errorResponses(400, 401, 403, 413, 415, 503, 507) },
        },
      },
      async (request) => {
        const data = await readAll(await receiveFile(request, uploadBytes), 'Logos');
        return { logoUrl: await setWorkspaceLogo(services, actorOf(request), data) };
      },
    );
  });

  app.delete(
    '/workspace/logo',
    {
      preHandler: manage,
      schema: {
        ...common,
        summary: "Remove the workspace's logo (`settings.manage`)",
        response: { 204: z.undefined().describe('Removed (or there was none)'), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await removeWorkspaceLogo(services, actorOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/workspace-logos/:key',
    {
      schema: {
        tags: ['workspaces'],
        summary: "A workspace's logo as WebP (public; the URL changes with every upload)",
        params: z.object({ key: WorkspaceLogoKeySchema }),
        querystring: WorkspaceLogoQuerySchema,
        response: { 200: binary('image/webp', 'WebP image'), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) =>
      sendPublicImage(reply, await readWorkspaceLogo(files, request.params.key, request.query.size)),
  );
}
