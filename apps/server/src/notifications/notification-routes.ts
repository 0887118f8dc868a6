import { IdSchema, NotificationListQuerySchema, NotificationPageSchema } from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { listNotifications, markAllNotificationsRead, markNotificationRead } from './notification-service';

const NotificationParams = z.object({ id: IdSchema });

export function registerNotificationRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['notifications'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/notifications',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Your notifications, newest first, and how many are unread',
        querystring: NotificationListQuerySchema,
        response: { 200: NotificationPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listNotifications(deps, actorOf(request), request.query),
  );

  app.post(
    '/notifications/read-all',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Mark all your notifications read',
        response: { 204: z.undefined(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await markAllNotificationsRead(deps, actorOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/notifications/:id/read',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Mark one of your notifications read',
        params: NotificationParams,
        response: { 204: z.undefined(), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await markNotificationRead(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
