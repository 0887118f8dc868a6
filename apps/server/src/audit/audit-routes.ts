import { AuditPageSchema, AuditQuerySchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { listAudit } from './audit-service';

export function registerAuditRoutes(app: ZodApp, deps: RouteDeps): void {
  app.get(
    '/audit',
    {
      preHandler: deps.guards.requireRole('admin'),
      schema: {
        tags: ['audit'],
        security: bearerAuth,
        summary: 'Admin: who did what to which ticket, user or team, newest first',
        querystring: AuditQuerySchema,
        response: { 200: AuditPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listAudit(deps.db, request.query),
  );
}
