import {
  CreateEmailChannelBodySchema,
  EmailChannelListSchema,
  EmailChannelSchema,
  IdSchema,
  UpdateEmailChannelBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createChannel, deleteChannel, listChannels, updateChannel } from './channel-service';

const Params = z.object({ id: IdSchema });

export function registerEmailChannelRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['email channels'], security: bearerAuth };
  const admin = deps.guards.requirePermission('settings.manage');

  app.get(
    '/email-channels',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "The workspace's support addresses (`settings.manage`)",
        response: { 200: EmailChannelListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listChannels(deps, actorOf(request)),
  );

  app.post(
    '/email-channels',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Receive mail at a support address (`settings.manage`)',
        description:
          'Mail to the address (or to `address+anything`) that reaches the inbound SMTP listener ' +
          '(`INBOUND_SMTP_PORT`) opens a ticket for its sender, or lands in the ticket it answers. ' +
          '`409 conflict`: the address receives mail for a workspace already.',
        body: CreateEmailChannelBodySchema,
        response: { 201: EmailChannelSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createChannel(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/email-channels/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "Change a support address's sender name or team (`settings.manage`)",
        params: Params,
        body: UpdateEmailChannelBodySchema,
        response: { 200: EmailChannelSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateChannel(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/email-channels/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Stop receiving mail at a support address (`settings.manage`)',
        description: 'Its tickets stay; replies to them are no longer mailed.',
        params: Params,
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteChannel(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
