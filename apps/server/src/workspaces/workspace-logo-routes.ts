import { WorkspaceLogoKeySchema } from '@parley/protocol';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createFileStore } from '../uploads/file-store';
import { readWorkspaceLogo } from './workspace-logo';

const LogoParams = z.object({ key: WorkspaceLogoKeySchema });

/**
 * `GET /workspace-logos/:key`: public like avatars (the sign-in page and the switcher show logos;
 * an `<img>` sends no token), behind a random key that changes with every new logo.
 */
export function registerWorkspaceLogoRoutes(app: ZodApp, deps: RouteDeps): void {
  const files = createFileStore(deps.config.dataDir);
  app.get(
    '/workspace-logos/:key',
    {
      schema: {
        tags: ['workspaces'],
        summary: "A workspace's logo as WebP, at most 256 px (public; the URL changes with every new logo)",
        params: LogoParams,
        response: {
          200: {
            description: 'WebP image',
            content: { 'image/webp': { schema: z.string().meta({ format: 'binary' }) } },
          },
          ...errorResponses(400, 404),
        },
      },
    },
    async (request, reply) => sendLogo(reply, await readWorkspaceLogo(files, request.params.key)),
  );
}

/** Sent as a stream, never through the serializer (as avatars are). */
function sendLogo(reply: FastifyReply, { stream, size }: { stream: Readable; size: number }) {
  return reply
    .header('content-type', 'image/webp')
    .header('content-length', size)
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('cross-origin-resource-policy', 'cross-origin')
    .send(stream);
}
