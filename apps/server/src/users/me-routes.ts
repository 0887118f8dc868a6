import { MeSchema, UpdateMeBodySchema } from '@parley/protocol';
import type { ServiceDeps } from '../deps';
import { actorOf, type AuthGuards } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { getMe, updateMe } from './user-service';

export function registerMeRoutes(app: ZodApp, deps: ServiceDeps & { guards: AuthGuards }): void {
  const common = { tags: ['users'], security: bearerAuth };

  app.get(
    '/me',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary: 'The signed-in user, with their role and permissions in the workspace of the session',
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request) => getMe(deps.db, actorOf(request)),
  );

  app.patch(
    '/me',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary: 'Change your display name, status text or mail language (nothing else: a role in the body is ignored)',
        body: UpdateMeBodySchema,
        response: { 200: MeSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => updateMe(deps, actorOf(request), request.body),
  );
}
