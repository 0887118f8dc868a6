import { ApiTokenListSchema, CreateApiTokenBodySchema, CreatedApiTokenSchema, IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createApiToken, listApiTokens, revokeApiToken } from './api-token-service';

export function registerApiTokenRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['api tokens'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/me/api-tokens',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Your API tokens in this workspace',
        response: { 200: ApiTokenListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listApiTokens(deps, actorOf(request)),
  );

  app.post(
    '/me/api-tokens',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'A new API token: it acts as you, within its scopes, until it expires or is revoked',
        description:
          'The answer has its secret, shown this once. Send it as `Authorization: Bearer pat_…`, or as the ' +
          "socket's `auth` token (scope `realtime`). An API token cannot make tokens. `409`: you have 50.",
        body: CreateApiTokenBodySchema,
        response: { 201: CreatedApiTokenSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createApiToken(deps, actorOf(request), request.body)),
  );

  app.delete(
    '/me/api-tokens/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Revoke one of your API tokens (at once, on every node)',
        params: z.object({ id: IdSchema }),
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeApiToken(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
