import { AvailabilitySchema, SetAvailabilityBodySchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { setAvailability } from './availability-service';

export function registerAvailabilityRoutes(app: ZodApp, deps: RouteDeps): void {
  app.put(
    '/me/availability',
    {
      preHandler: deps.guards.requirePermission('tickets.work'),
      schema: {
        tags: ['users'],
        security: bearerAuth,
        summary: 'Staff: set yourself away (no auto-assigned tickets) or available again, in this workspace',
        body: SetAvailabilityBodySchema,
        response: { 200: AvailabilitySchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => setAvailability(deps, actorOf(request), request.body.away),
  );
}
