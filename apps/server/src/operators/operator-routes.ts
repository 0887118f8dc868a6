import {
  CreateWorkspaceBodySchema,
  CreatedWorkspaceSchema,
  IdSchema,
  OperatorUpdateWorkspaceBodySchema,
  OperatorWorkspaceListSchema,
  OperatorWorkspaceSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { requireOperator } from './operator-guard';
import { createWorkspace, deleteWorkspace, listWorkspaces, updateWorkspaceByOperator } from './operator-service';

const IdParams = z.object({ id: IdSchema });

/** The installation's workspaces, for its operators only (everyone else: 403). */
export function registerOperatorRoutes(app: ZodApp, deps: RouteDeps): void {
  const preHandler = requireOperator(deps);
  const common = { tags: ['operators'], security: bearerAuth };

  app.get(
    '/operator/workspaces',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Every workspace of the installation, with member and ticket counts (operators)',
        response: { 200: OperatorWorkspaceListSchema, ...errorResponses(401, 403) },
      },
    },
    async () => ({ items: await listWorkspaces(deps) }),
  );

  app.post(
    '/operator/workspaces',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Create a workspace with its built-in roles, and an invite for its first admin (operators)',
        body: CreateWorkspaceBodySchema,
        response: { 201: CreatedWorkspaceSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createWorkspace(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/operator/workspaces/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Rename, suspend or resume a workspace (operators)',
        description:
          'Suspended: nobody can sign in or refresh a session there, and its open sockets close at once. ' +
          'The default workspace cannot be suspended (409).',
        params: IdParams,
        body: OperatorUpdateWorkspaceBodySchema,
        response: { 200: OperatorWorkspaceSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateWorkspaceByOperator(deps, request.params.id, request.body),
  );

  app.delete(
    '/operator/workspaces/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Delete a workspace and everything in it (operators)',
        description:
          'Suspended at once; a durable job then deletes its rows and files. The default workspace cannot be ' +
          'deleted (409).',
        params: IdParams,
        response: {
          202: z.undefined().describe('Suspended; deletion queued'),
          ...errorResponses(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      await deleteWorkspace(deps, request.params.id);
      return reply.code(202).send();
    },
  );
}
