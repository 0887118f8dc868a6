import { clientOf } from '../auth/client-info';
import { MyWorkspacesSchema, SessionSchema, SwitchWorkspaceBodySchema } from '@parley/protocol';
import { switchWorkspace, type AuthDeps } from '../auth/auth-service';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { listMyWorkspaces } from './workspace-service';

export function registerWorkspaceRoutes(app: ZodApp, deps: RouteDeps & { auth: AuthDeps }): void {
  app.get(
    '/me/workspaces',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        tags: ['workspaces'],
        security: bearerAuth,
        summary: 'Your workspaces, with your role and unread count in each (the switcher)',
        response: { 200: MyWorkspacesSchema, ...errorResponses(401) },
      },
    },
    async (request) => ({ items: await listMyWorkspaces(deps.db, actorOf(request)) }),
  );

  app.post(
    '/auth/switch',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        tags: ['auth'],
        security: bearerAuth,
        summary: 'Sign in to another of your workspaces: a new session there (this one goes on)',
        body: SwitchWorkspaceBodySchema,
        response: { 200: SessionSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => switchWorkspace(deps.auth, actorOf(request), request.body, clientOf(request)),
  );
}
