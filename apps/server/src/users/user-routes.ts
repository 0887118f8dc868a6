import {
  AdminUserSchema,
  IdSchema,
  PublicUserSchema,
  UpdateUserBodySchema,
  UserPageSchema,
  UserSearchQuerySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { getUser, searchUsers, updateUser } from './user-service';

const UserParams = z.object({ id: IdSchema });

export function registerUserRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['users'], security: bearerAuth };

  app.get(
    '/users',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary: 'Find people of your workspace: staff search names; customers look up an exact username',
        querystring: UserSearchQuerySchema,
        response: { 200: UserPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => searchUsers(deps, actorOf(request), request.query),
  );

  app.get(
    '/users/:id',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary:
          'One member of your workspace, if you may see them (`people.manage` also sees whether they are active)',
        params: UserParams,
        response: { 200: z.union([AdminUserSchema, PublicUserSchema]), ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => getUser(deps, actorOf(request), request.params.id),
  );

  app.patch(
    '/users/:id',
    {
      preHandler: deps.guards.requirePermission('people.manage'),
      schema: {
        ...common,
        summary:
          "Change a member's role or (de)activate them in your workspace (`people.manage`); deactivation signs them out of it",
        params: UserParams,
        body: UpdateUserBodySchema,
        response: { 200: AdminUserSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateUser(deps, actorOf(request), request.params.id, request.body),
  );
}
