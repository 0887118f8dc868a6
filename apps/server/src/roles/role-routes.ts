import {
  CreateRoleBodySchema,
  IdSchema,
  UpdateRoleBodySchema,
  WorkspaceRoleListSchema,
  WorkspaceRoleSchema,
} from '@parley/protocol';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { can } from '../auth/actor';
import type { RouteDeps } from '../deps';
import { AppError } from '../http/app-error';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createRole, deleteRole, listWorkspaceRoles, updateRole } from './role-service';

const RoleParams = z.object({ id: IdSchema });

export function registerRoleRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['roles'], security: bearerAuth };
  const editors = deps.guards.requirePermission('settings.manage');
  // Who gives people roles must see them too, not only who defines them.
  const readers: preHandlerAsyncHookHandler = async function requireRoleReader(request, reply) {
    await deps.guards.requireUser.call(this, request, reply);
    const actor = actorOf(request);
    if (!can(actor, 'people.manage') && !can(actor, 'settings.manage')) {
      throw new AppError('forbidden', 'Requires the permission people.manage or settings.manage');
    }
  };

  app.get(
    '/roles',
    {
      preHandler: readers,
      schema: {
        ...common,
        summary:
          "The workspace's roles with their permissions and member counts (`people.manage` or `settings.manage`)",
        response: { 200: WorkspaceRoleListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listWorkspaceRoles(deps, actorOf(request)),
  );

  app.post(
    '/roles',
    {
      preHandler: editors,
      schema: {
        ...common,
        summary: 'Define a role of the workspace: a name and what it may do (`settings.manage`)',
        body: CreateRoleBodySchema,
        response: { 201: WorkspaceRoleSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createRole(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/roles/:id',
    {
      preHandler: editors,
      schema: {
        ...common,
        summary:
          "Rename a role of the workspace's own or change what it may do, for its members at once (`settings.manage`); built-in roles are read-only (409)",
        params: RoleParams,
        body: UpdateRoleBodySchema,
        response: { 200: WorkspaceRoleSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateRole(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/roles/:id',
    {
      preHandler: editors,
      schema: {
        ...common,
        summary:
          "Delete a role of the workspace's own that nobody has (`settings.manage`); built-in roles and roles in use: 409",
        params: RoleParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteRole(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
