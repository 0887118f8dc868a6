import {
  CreateTeamBodySchema,
  IdSchema,
  TeamDetailSchema,
  TeamListSchema,
  TeamSchema,
  TicketCategoryListSchema,
  UpdateTeamBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { preHandlerAsyncHookHandler } from 'fastify';
import { isStaff } from '../auth/actor';
import type { RouteDeps } from '../deps';
import { AppError } from '../http/app-error';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import {
  addTeamMember,
  createTeam,
  deleteTeam,
  getTeam,
  listTeams,
  listTicketCategories,
  removeTeamMember,
  updateTeam,
} from './team-service';

const TeamParams = z.object({ id: IdSchema });
const MemberParams = z.object({ id: IdSchema, userId: IdSchema });

export function registerTeamRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['teams'], security: bearerAuth };
  const managers = deps.guards.requirePermission('teams.manage');
  // Team names and members are internal: customers see categories (`/ticket-categories`) instead.
  const staff: preHandlerAsyncHookHandler = async function requireStaff(request, reply) {
    await deps.guards.requireUser.call(this, request, reply);
    if (!isStaff(actorOf(request))) throw new AppError('forbidden', 'Teams are for staff');
  };

  app.get(
    '/teams',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: 'Staff: every team, by name',
        response: { 200: TeamListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listTeams(deps, actorOf(request)),
  );

  app.get(
    '/teams/:id',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: 'Staff: one team with its members',
        params: TeamParams,
        response: { 200: TeamDetailSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getTeam(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/ticket-categories',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        ...common,
        summary: 'What a ticket can be about, for the new-ticket form: the teams offered to customers, by label',
        response: { 200: TicketCategoryListSchema, ...errorResponses(401) },
      },
    },
    async (request) => listTicketCategories(deps, actorOf(request)),
  );

  app.post(
    '/teams',
    {
      preHandler: managers,
      schema: {
        ...common,
        summary: 'Team managers: create a team',
        body: CreateTeamBodySchema,
        response: { 201: TeamSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createTeam(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/teams/:id',
    {
      preHandler: managers,
      schema: {
        ...common,
        summary:
          'Team managers: rename a team, change its description, or offer it to customers under a category label',
        params: TeamParams,
        body: UpdateTeamBodySchema,
        response: { 200: TeamSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateTeam(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/teams/:id',
    {
      preHandler: managers,
      schema: {
        ...common,
        summary: 'Team managers: delete a team; its tickets stay, with no team',
        params: TeamParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteTeam(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.put(
    '/teams/:id/members/:userId',
    {
      preHandler: managers,
      schema: {
        ...common,
        summary: 'Team managers: add a staff member to the team (idempotent)',
        params: MemberParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await addTeamMember(deps, actorOf(request), request.params.id, request.params.userId);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/teams/:id/members/:userId',
    {
      preHandler: managers,
      schema: {
        ...common,
        summary: 'Team managers: remove someone from the team',
        params: MemberParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeTeamMember(deps, actorOf(request), request.params.id, request.params.userId);
      return reply.code(204).send();
    },
  );
}
