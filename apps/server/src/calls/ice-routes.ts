import { IceServersSchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { iceServersFor } from './ice-servers';

/**
 * `GET /calls/ice-servers`: any signed-in member may call, so any member gets relay credentials.
 * API tokens and chat-widget visitors are refused by their scope lists (neither names the route):
 * a script or a visitor that cannot take a call has no use for a relay.
 */
export function registerIceRoutes(app: ZodApp, deps: RouteDeps): void {
  app.get(
    '/calls/ice-servers',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        tags: ['calls'],
        security: bearerAuth,
        summary: "STUN and TURN servers for a call's RTCPeerConnection, with TURN credentials made for you",
        description:
          'Pass `iceServers` to `new RTCPeerConnection({ iceServers })`. TURN credentials are short-lived ' +
          '(`TURN_CREDENTIAL_TTL_SECONDS`): fetch the list for each call and again for an ICE restart after ' +
          '`expiresAt`. Empty when the installation configures no servers. Never cached (`Cache-Control: no-store`). ' +
          '`403`: API tokens and chat-widget visitors do not make calls.',
        response: { 200: IceServersSchema, ...errorResponses(401, 403, 429) },
      },
    },
    async (request, reply) => {
      // Credentials: no shared cache or browser cache may keep them for somebody else, or past their expiry.
      reply.header('cache-control', 'private, no-store');
      return iceServersFor(deps.config.iceServers, actorOf(request).id, deps.clock.now());
    },
  );
}
