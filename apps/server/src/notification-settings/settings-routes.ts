import {
  NotificationSettingsSchema,
  UnsubscribeQuerySchema,
  UnsubscribedSchema,
  UpdateNotificationSettingsBodySchema,
} from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { getNotificationSettings, unsubscribe, updateNotificationSettings } from './settings-service';
import type { UnsubscribeTokens } from './unsubscribe-token';

export function registerNotificationSettingsRoutes(
  app: ZodApp,
  deps: RouteDeps & { unsubscribeTokens: UnsubscribeTokens },
) {
  const common = { tags: ['notifications'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/me/notification-settings',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'How you hear of this workspace outside the app: push and email levels, unsubscribed emails, quiet hours',
        response: { 200: NotificationSettingsSchema, ...errorResponses(401) },
      },
    },
    async (request) => getNotificationSettings(deps, actorOf(request)),
  );

  app.patch(
    '/me/notification-settings',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Change how you hear of this workspace outside the app (what is left out stays)',
        body: UpdateNotificationSettingsBodySchema,
        response: { 200: NotificationSettingsSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => updateNotificationSettings(deps, actorOf(request), request.body),
  );

  // The mail's List-Unsubscribe target (RFC 8058: the mail client posts `List-Unsubscribe=One-Click`
  // as a form) and what the app's unsubscribe page posts. The token is the proof: no sign-in.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 1024 },
      (_r, _b, done) => done(null, undefined),
    );
    (scope as ZodApp).post(
      '/unsubscribe',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Follow an unsubscribe link: that email category stops (no sign-in; the signed token says who)',
          querystring: UnsubscribeQuerySchema,
          response: { 200: UnsubscribedSchema, ...errorResponses(400, 429) },
        },
      },
      async (request) => unsubscribe(deps, deps.unsubscribeTokens, request.query.token),
    );
  });
}
