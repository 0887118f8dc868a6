import { MeSchema } from '@parley/protocol';
import type { Db } from '../db/connect';
import { actorOf, type AuthGuards } from '../http/auth-guard';
import { notFound } from '../http/app-error';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { presentMe } from './user-presenter';
import { findUserById } from './user-repository';

export function registerMeRoutes(app: ZodApp, deps: { db: Db; guards: AuthGuards }): void {
  app.get(
    '/me',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        tags: ['users'],
        summary: 'The signed-in user',
        security: bearerAuth,
        response: { 200: MeSchema, ...errorResponses(401) },
      },
    },
    async (request) => {
      const user = await findUserById(deps.db, actorOf(request).id);
      if (!user) throw notFound('User');
      return presentMe(user);
    },
  );
}
