import {
  CannedResponseListQuerySchema,
  CannedResponseListSchema,
  CannedResponseSchema,
  CreateCannedResponseBodySchema,
  IdSchema,
  RenderCannedResponseBodySchema,
  RenderedCannedResponseSchema,
  UpdateCannedResponseBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import {
  createCannedResponse,
  deleteCannedResponse,
  listCannedResponses,
  renderCannedResponse,
  updateCannedResponse,
} from './canned-service';

const CannedParams = z.object({ id: IdSchema });

export function registerCannedResponseRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['canned-responses'], security: bearerAuth };
  const staff = deps.guards.requirePermission('tickets.work');
  // Keeping the team and workspace responses is a setting: a role with settings.manage alone may.
  const keepers = deps.guards.requirePermission('tickets.work', 'settings.manage');

  app.get(
    '/canned-responses',
    {
      preHandler: keepers,
      schema: {
        ...common,
        summary: 'Canned responses you may insert (or, `purpose=manage`, change), most used first (staff)',
        querystring: CannedResponseListQuerySchema,
        response: { 200: CannedResponseListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listCannedResponses(deps, actorOf(request), request.query),
  );

  app.post(
    '/canned-responses',
    {
      preHandler: keepers,
      schema: {
        ...common,
        summary:
          'Add a canned response: `personal` (yours alone), or `team` / `workspace` (`settings.manage`); a shortcut its owner uses already: 409',
        body: CreateCannedResponseBodySchema,
        response: { 201: CannedResponseSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createCannedResponse(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/canned-responses/:id',
    {
      preHandler: keepers,
      schema: {
        ...common,
        summary: 'Change a canned response: your own, or a team or workspace one (`settings.manage`)',
        params: CannedParams,
        body: UpdateCannedResponseBodySchema,
        response: { 200: CannedResponseSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateCannedResponse(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/canned-responses/:id',
    {
      preHandler: keepers,
      schema: {
        ...common,
        summary:
          'Delete a canned response you may change; one an automation rule sends: 409 naming the rules (`details.rules`)',
        params: CannedParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteCannedResponse(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/canned-responses/:id/render',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: 'Fill a canned response in for a ticket you may work, to edit before sending; counts one use',
        params: CannedParams,
        body: RenderCannedResponseBodySchema,
        response: { 200: RenderedCannedResponseSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => renderCannedResponse(deps, actorOf(request), request.params.id, request.body.ticketId),
  );
}
