import { DeskSettingsSchema, UpdateDeskSettingsBodySchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { getDeskSettings, updateDeskSettings } from './desk-settings-service';

export function registerDeskSettingsRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['settings'], security: bearerAuth };

  app.get(
    '/settings',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary: "How your workspace's desk works (anyone signed in: the app shapes its forms by it)",
        response: { 200: DeskSettingsSchema, ...errorResponses(401) },
      },
    },
    async (request) => getDeskSettings(deps, actorOf(request)),
  );

  app.patch(
    '/settings',
    {
      preHandler: deps.guards.requirePermission('settings.manage'),
      schema: {
        ...common,
        summary: "Change your workspace's desk settings (`settings.manage`); answers all of them",
        body: UpdateDeskSettingsBodySchema,
        response: { 200: DeskSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => updateDeskSettings(deps, actorOf(request), request.body),
  );
}
