import {
  AddGroupMembersBodySchema,
  ConversationSchema,
  CreateGroupBodySchema,
  GroupMemberRoleBodySchema,
  IdSchema,
  UpdateGroupBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { addGroupMembers, createGroup, removeFromGroup, setGroupAdmin, updateGroup } from './group-service';

const GroupParams = z.object({ id: IdSchema });
const MemberParams = z.object({ id: IdSchema, userId: IdSchema });

export function registerGroupRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['groups'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.post(
    '/conversations/groups',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Start a group with some people; you are its first admin',
        body: CreateGroupBodySchema,
        response: { 201: ConversationSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const { conversation } = await createGroup(deps, actorOf(request), request.body);
      return reply.code(201).send(conversation);
    },
  );

  app.patch(
    '/conversations/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Rename a group or change its topic (any member); a line in the thread says so',
        params: GroupParams,
        body: UpdateGroupBodySchema,
        response: { 200: ConversationSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => updateGroup(deps, actorOf(request), request.params.id, request.body),
  );

  app.post(
    '/conversations/:id/members',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Add people to a group (its admins); those already in it are passed over',
        params: GroupParams,
        body: AddGroupMembersBodySchema,
        response: { 200: ConversationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => addGroupMembers(deps, actorOf(request), request.params.id, request.body.userIds),
  );

  app.patch(
    '/conversations/:id/members/:userId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Make a member an admin of the group, or an admin a member again (its admins)',
        params: MemberParams,
        body: GroupMemberRoleBodySchema,
        response: { 200: ConversationSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      setGroupAdmin(deps, actorOf(request), request.params.id, request.params.userId, request.body.admin),
  );

  app.delete(
    '/conversations/:id/members/:userId',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'Remove someone from a group (its admins), or leave it (your own id): they lose the group at once, on every device',
        params: MemberParams,
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await removeFromGroup(deps, actorOf(request), request.params.id, request.params.userId);
      return reply.code(204).send();
    },
  );
}
