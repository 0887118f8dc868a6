import { IdSchema, PinListSchema, SavedMessagePageSchema, SavedMessageQuerySchema } from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { listPins, setPinned } from './pin-service';
import { listSaved, setSaved } from './saved-message-service';

const ConversationParams = z.object({ id: IdSchema });
const PinParams = z.object({ id: IdSchema, messageId: IdSchema });
const SavedParams = z.object({ messageId: IdSchema });

export function registerPinRoutes(app: ZodApp, deps: RouteDeps): void {
  const pins = { tags: ['conversations'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/conversations/:id/pins',
    {
      preHandler,
      schema: {
        ...pins,
        summary: "The conversation's pinned messages, newest pin first",
        params: ConversationParams,
        response: { 200: PinListSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => listPins(deps, actorOf(request), request.params.id),
  );

  for (const [method, pinned] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/conversations/:id/pins/:messageId',
      {
        preHandler,
        schema: {
          ...pins,
          summary: pinned
            ? 'Pin a message (a line in the thread says so); answers the pins now'
            : 'Unpin a message; answers the pins now',
          params: PinParams,
          response: { 200: PinListSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => setPinned(deps, actorOf(request), request.params.id, request.params.messageId, pinned),
    );
  }

  const saved = { tags: ['me'], security: bearerAuth };
  app.get(
    '/me/saved-messages',
    {
      preHandler,
      schema: {
        ...saved,
        summary: 'Your saved messages, newest saved first (ones you can no longer read are left out)',
        querystring: SavedMessageQuerySchema,
        response: { 200: SavedMessagePageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listSaved(deps, actorOf(request), request.query),
  );
  for (const [method, keep] of [
    ['put', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/me/saved-messages/:messageId',
      {
        preHandler,
        schema: {
          ...saved,
          summary: keep ? 'Save a message you can read, to come back to' : 'Take a message off your saved list',
          params: SavedParams,
          response: { 204: z.undefined(), ...errorResponses(401, 404, 409) },
        },
      },
      async (request, reply) => {
        await setSaved(deps, actorOf(request), request.params.messageId, keep);
        return reply.code(204).send();
      },
    );
  }
}
