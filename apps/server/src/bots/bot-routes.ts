import {
  ApiTokenListSchema,
  BotListSchema,
  CreateApiTokenBodySchema,
  CreateBotBodySchema,
  CreatedApiTokenSchema,
  IdSchema,
  PublicUserSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createBot, createBotToken, listBots, listBotTokens, revokeBotToken } from './bot-service';

const Params = z.object({ id: IdSchema });

export function registerBotRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['bots'], security: bearerAuth };
  const preHandler = deps.guards.requirePermission('people.manage');

  app.get(
    '/bots',
    {
      preHandler,
      schema: {
        ...common,
        summary: "The workspace's bots (`people.manage`)",
        response: { 200: BotListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listBots(deps, actorOf(request)),
  );

  app.post(
    '/bots',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'A bot account: no password, acts through the API tokens made for it (`people.manage`)',
        description: 'Deactivate it like anyone (`PATCH /users/{id}`): its tokens stop. `409`: the username is taken.',
        body: CreateBotBodySchema,
        response: { 201: PublicUserSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createBot(deps, actorOf(request), request.body)),
  );

  app.get(
    '/bots/:id/api-tokens',
    {
      preHandler,
      schema: {
        ...common,
        summary: "A bot's API tokens (`people.manage`)",
        params: Params,
        response: { 200: ApiTokenListSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => listBotTokens(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/bots/:id/api-tokens',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'A new API token for a bot; its secret is shown this once (`people.manage`)',
        params: Params,
        body: CreateApiTokenBodySchema,
        response: { 201: CreatedApiTokenSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createBotToken(deps, actorOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/bots/:id/api-tokens/:tokenId',
    {
      preHandler,
      schema: {
        ...common,
        summary: "Revoke a bot's API token (`people.manage`)",
        params: z.object({ id: IdSchema, tokenId: IdSchema }),
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeBotToken(deps, actorOf(request), request.params.id, request.params.tokenId);
      return reply.code(204).send();
    },
  );
}
