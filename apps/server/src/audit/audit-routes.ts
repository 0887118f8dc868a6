import { AuditPageSchema, AuditQuerySchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { listAudit } from './audit-service';

export function registerAuditRoutes(app: ZodApp, deps: RouteDeps): void {
  app.get(
    '/audit',
    {
      preHandler: deps.guards.requirePermission('reports.view'),
      schema: {
        tags: ['audit'],
        security: bearerAuth,
        summary:
          'Who did what to which ticket, user, team or the desk settings of your workspace, newest first (`reports.view`)',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAudit(deps.db, actorOf(request), request.query),
  );
}
