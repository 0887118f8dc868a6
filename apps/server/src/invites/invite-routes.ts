import { clientOf } from '../auth/client-info';
import {
  CreateInviteBodySchema,
  CreatedInviteSchema,
  IdSchema,
  InviteListSchema,
  InvitePreviewSchema,
  InviteTokenSchema,
  JoinBodySchema,
  SessionSchema,
} from '@parley/protocol';
import { z } from 'zod';
import { joinWithInvite, type AuthDeps } from '../auth/auth-service';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { createInvite, listInvites, previewInvite, revokeInvite } from './invite-service';

export function registerInviteRoutes(app: ZodApp, deps: RouteDeps & { auth: AuthDeps }): void {
  const common = { tags: ['invites'], security: bearerAuth };
  const manage = deps.guards.requirePermission('people.manage');

  app.post(
    '/invites',
    {
      preHandler: manage,
      schema: {
        ...common,
        summary: 'Make an invite link to this workspace with a role (`people.manage`); the token is shown once',
        body: CreateInviteBodySchema,
        response: { 201: CreatedInviteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const created = await deps.db
        .transaction()
        .execute((trx) => createInvite({ ...deps, db: trx }, actor, actor.id, request.body));
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/invites',
    {
      preHandler: manage,
      schema: {
        ...common,
        summary: "This workspace's invites with their uses and state, newest first (`people.manage`)",
        response: { 200: InviteListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listInvites(deps, actorOf(request)) }),
  );

  app.delete(
    '/invites/:id',
    {
      preHandler: manage,
      schema: {
        ...common,
        summary: 'Revoke an invite: its link stops working (`people.manage`)',
        params: z.object({ id: IdSchema }),
        response: { 204: z.undefined().describe('Revoked (or it already was)'), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await revokeInvite(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/invites/preview/:token',
    {
      schema: {
        tags: ['invites'],
        summary: "An invite's workspace (name, logo, accent colour) and role, for the join page (public)",
        description: 'Unknown, expired, used-up and revoked invites all answer the same 404. Rate-limited per address.',
        params: z.object({ token: InviteTokenSchema }),
        response: { 200: InvitePreviewSchema, ...errorResponses(400, 404, 429) },
      },
    },
    async (request) => previewInvite(deps, request.params.token),
  );

  app.post(
    '/auth/join',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        tags: ['auth'],
        security: bearerAuth,
        summary: "Join the invite's workspace with its role, and sign in there (this session goes on)",
        description: 'Already a member there: a session there, and the invite is not used up.',
        body: JoinBodySchema,
        response: { 200: SessionSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => joinWithInvite(deps.auth, actorOf(request), request.body, clientOf(request)),
  );
}
