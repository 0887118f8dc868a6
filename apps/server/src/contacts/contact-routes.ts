import {
  BlockedUserPageSchema,
  BlockListQuerySchema,
  ContactListQuerySchema,
  ContactPageSchema,
  CreateFriendRequestBodySchema,
  FriendRequestListQuerySchema,
  FriendRequestPageSchema,
  FriendRequestSchema,
  IdSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { blockUser, listBlocks, listContacts, removeContact, unblockUser } from './contact-service';
import {
  answerFriendRequest,
  listFriendRequests,
  sendFriendRequest,
  type FriendRequestAnswer,
} from './friend-request-service';

const RequestParams = z.object({ id: IdSchema });
const UserParams = z.object({ userId: IdSchema });

const ANSWERS: Record<FriendRequestAnswer, string> = {
  accept: 'Accept a friend request sent to you: you become contacts, and the sender is told',
  decline: 'Decline a friend request sent to you',
  cancel: 'Withdraw a friend request you sent',
};

export function registerContactRoutes(app: ZodApp, deps: RouteDeps): void {
  const preHandler = deps.guards.requireUser;
  const common = { tags: ['social'], security: bearerAuth };

  app.post(
    '/friend-requests',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Ask a user to become contacts; they are notified',
        body: CreateFriendRequestBodySchema,
        response: { 201: FriendRequestSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await sendFriendRequest(deps, actorOf(request), request.body.userId)),
  );

  app.get(
    '/friend-requests',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Friend requests sent to you (incoming) or by you (outgoing), newest first',
        querystring: FriendRequestListQuerySchema,
        response: { 200: FriendRequestPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listFriendRequests(deps, actorOf(request), request.query),
  );

  for (const answer of Object.keys(ANSWERS) as FriendRequestAnswer[]) {
    app.post(
      `/friend-requests/:id/${answer}`,
      {
        preHandler,
        schema: {
          ...common,
          summary: ANSWERS[answer],
          params: RequestParams,
          response: { 200: FriendRequestSchema, ...errorResponses(401, 403, 404, 409) },
        },
      },
      async (request) => answerFriendRequest(deps, actorOf(request), request.params.id, answer),
    );
  }

  app.get(
    '/contacts',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Your contacts, newest first',
        querystring: ContactListQuerySchema,
        response: { 200: ContactPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listContacts(deps, actorOf(request), request.query),
  );

  app.delete(
    '/contacts/:userId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Stop being contacts, for both of you',
        params: UserParams,
        response: { 204: z.undefined(), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await removeContact(deps, actorOf(request), request.params.userId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/blocks',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Users you blocked, newest first',
        querystring: BlockListQuerySchema,
        response: { 200: BlockedUserPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listBlocks(deps, actorOf(request), request.query),
  );

  app.put(
    '/blocks/:userId',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'Block a user: no longer contacts, pending requests cancelled, and neither of you can request or message the other',
        params: UserParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await blockUser(deps, actorOf(request), request.params.userId);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/blocks/:userId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Unblock a user (they do not become a contact again)',
        params: UserParams,
        response: { 204: z.undefined(), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await unblockUser(deps, actorOf(request), request.params.userId);
      return reply.code(204).send();
    },
  );
}
