import {
  CreateSavedViewBodySchema,
  IdSchema,
  SavedViewListSchema,
  SavedViewSchema,
  UpdateSavedViewBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createSavedView, deleteSavedView, listSavedViews, updateSavedView } from './saved-view-service';

const ViewParams = z.object({ id: IdSchema });

export function registerSavedViewRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['saved views'], security: bearerAuth };
  const staff = deps.guards.requirePermission('tickets.work');

  app.get(
    '/views',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary:
          "Saved views: the workspace's shared ones and your personal ones, by position, each with how many " +
          'tickets it lists for you now (staff; open one with `GET /tickets?viewId=`)',
        response: { 200: SavedViewListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listSavedViews(deps, actorOf(request)),
  );

  app.post(
    '/views',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: 'Save a ticket filter and sort as a view, at the end: personal, or shared (`settings.manage`)',
        body: CreateSavedViewBodySchema,
        response: { 201: SavedViewSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createSavedView(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/views/:id',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary:
          'Rename a view, change its filter, sort or position, or share it: your own, or a shared one ' +
          '(`settings.manage`)',
        params: ViewParams,
        body: UpdateSavedViewBodySchema,
        response: { 200: SavedViewSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateSavedView(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/views/:id',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: 'Delete a view: your own, or a shared one (`settings.manage`)',
        params: ViewParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteSavedView(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
