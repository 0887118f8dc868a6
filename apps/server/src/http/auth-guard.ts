import type { Permission } from '@parley/protocol';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AccessTokens } from '../auth/access-tokens';
import { can, type Actor } from '../auth/actor';
import type { Db } from '../db/connect';
import { loadSignedIn } from '../workspaces/member-repository';
import { AppError } from './app-error';
import { guestMayCall } from '../widget/guest-scope';
import { tokenMayCall } from '../api-tokens/api-token-scope';

export type { Actor };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface AuthGuards {
  /** Any signed-in, active user. */
  requireUser: preHandlerAsyncHookHandler;
  /** A signed-in user whose role has this permission (or one of these); others get `403 forbidden`. */
  requirePermission(...permissions: [Permission, ...Permission[]]): preHandlerAsyncHookHandler;
}

export function createAuthGuards(deps: { db: Db; accessTokens: AccessTokens }): AuthGuards {
  const requireUser: preHandlerAsyncHookHandler = async (request) => {
    const { actor } = await authenticate(deps, bearerToken(request));
    if (actor.guestOf && !guestMayCall(request.method, request.routeOptions.url ?? '')) {
      throw new AppError('forbidden', "A chat widget's visitor reaches only their own chat");
    }
    const route = request.routeOptions.url ?? '';
    if (actor.apiToken && !tokenMayCall(actor.apiToken.scopes, request.method, route)) {
      throw new AppError('forbidden', `This API token's scopes do not reach ${request.method} ${route}`);
    }
    request.actor = actor;
  };
  return {
    requireUser,
    requirePermission: (...permissions) =>
      async function requirePermission(request, reply) {
        await requireUser.call(this, request, reply);
        if (!permissions.some((permission) => can(actorOf(request), permission))) {
          throw new AppError('forbidden', `Requires the permission ${permissions.join(' or ')}`);
        }
      },
  };
}

/**
 * The actor behind an access token, for HTTP requests and sockets alike: the token names the
 * person and the workspace; their role, its permissions and the active flags come from the
 * database, so a role change, a deactivation or a suspended workspace takes effect on the next
 * request, not when the token expires. The actor carries the teams read with it.
 */
export async function authenticate(
  deps: { db: Db; accessTokens: AccessTokens },
  token: string,
): Promise<{ actor: Actor; expiresAt: number }> {
  const claims = await deps.accessTokens.verify(token);
  // A session signed out (from another device, by a password change or reset) ends at once,
  // not when its last access token runs out.
  const { actor, sessionLive } = await loadSignedIn(deps.db, claims);
  if (!actor) throw new AppError('unauthorized', 'Account is not active');
  if (!sessionLive) throw new AppError('unauthorized', 'This session was signed out');
  return {
    actor: {
      ...actor,
      ...(claims.sessionId && { sessionId: claims.sessionId }),
      ...(claims.guestOf && { guestOf: claims.guestOf }),
      ...(claims.apiToken && { apiToken: claims.apiToken }),
    },
    expiresAt: claims.expiresAt,
  };
}

/** The actor of a route guarded by `requireUser`/`requirePermission`. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthorized', 'Sign in required');
  return request.actor;
}

function bearerToken(request: FastifyRequest): string {
  const header = request.headers.authorization;
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  if (!match?.[1]) throw new AppError('unauthorized', 'Missing "Authorization: Bearer <accessToken>" header');
  return match[1];
}
