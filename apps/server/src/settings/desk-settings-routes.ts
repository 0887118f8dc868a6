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
        summary: 'How the desk works (anyone signed in: the app shapes its forms by it)',
        response: { 200: DeskSettingsSchema, ...errorResponses(401) },
      },
    },
    async () => getDeskSettings(deps),
  );

  app.patch(
    '/settings',
    {
      preHandler: deps.guards.requireRole('admin'),
      schema: {
        ...common,
        summary: 'Admin: change desk settings; answers all of them',
        body: UpdateDeskSettingsBodySchema,
        response: { 200: DeskSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => updateDeskSettings(deps, actorOf(request), request.body),
  );
}
