import type { Role } from '@parley/protocol';
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { AccessTokens } from '../auth/access-tokens';
import type { Actor } from '../auth/actor';
import type { Db } from '../db/connect';
import { findUserById } from '../users/user-repository';
import { AppError } from './app-error';

export type { Actor };

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}

export interface AuthGuards {
  /** Any signed-in, active user. */
  requireUser: preHandlerAsyncHookHandler;
  /** A signed-in user with one of these roles; others get `403 forbidden`. */
  requireRole(...roles: Role[]): preHandlerAsyncHookHandler;
}

export function createAuthGuards(deps: { db: Db; accessTokens: AccessTokens }): AuthGuards {
  const requireUser: preHandlerAsyncHookHandler = async (request) => {
    request.actor = (await authenticate(deps, bearerToken(request))).actor;
  };
  return {
    requireUser,
    requireRole: (...roles) =>
      async function requireRole(request, reply) {
        await requireUser.call(this, request, reply);
        if (!roles.includes(actorOf(request).role)) {
          throw new AppError('forbidden', `Requires role ${roles.join(' or ')}`);
        }
      },
  };
}

/**
 * The actor behind an access token, for HTTP requests and sockets alike. The role and the
 * active flag come from the database, not the token, so demoting or deactivating someone takes
 * effect on their next request, not when the token expires.
 */
export async function authenticate(
  deps: { db: Db; accessTokens: AccessTokens },
  token: string,
): Promise<{ actor: Actor; expiresAt: number }> {
  const claims = await deps.accessTokens.verify(token);
  const user = await findUserById(deps.db, claims.userId);
  if (!user || user.deactivatedAt !== null) throw new AppError('unauthorized', 'Account is not active');
  return { actor: { id: user.id, role: user.role }, expiresAt: claims.expiresAt };
}

/** The actor of a route guarded by `requireUser`/`requireRole`. */
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
