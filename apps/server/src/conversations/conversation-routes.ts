import {
  ConversationListQuerySchema,
  ConversationPageSchema,
  ConversationSchema,
  DirectConversationBodySchema,
  EditMessageBodySchema,
  MessageEditHistorySchema,
  IdSchema,
  MessageListQuerySchema,
  MessagePageSchema,
  MessageSchema,
  ConversationNotifyBodySchema,
  MuteBodySchema,
  ReactionBodySchema,
  ReadBodySchema,
  SendMessageBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import { presentedSerializer } from '../http/presented-serializer';
import type { ZodApp } from '../http/zod-app';
import { getConversation, listConversations, openDirectConversation } from './conversation-service';
import { markUnread, setNotifyLevel } from './unread-service';
import {
  deleteMessage,
  editMessage,
  listMessageEdits,
  listMessages,
  markRead,
  sendMessage,
  toggleReaction,
} from './message-service';

const ConversationParams = z.object({ id: IdSchema });
const MessageParams = z.object({ id: IdSchema, messageId: IdSchema });

export function registerConversationRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['conversations'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;
  // Hot read routes: their presenters build the whole answer (see presentedSerializer).
  const presented = presentedSerializer(deps.config.env !== 'production');

  app.get(
    '/conversations',
    {
      preHandler,
      serializerCompiler: presented,
      schema: {
        ...common,
        summary: 'Your conversations, most recently active first, with last message and unread count',
        querystring: ConversationListQuerySchema,
        response: { 200: ConversationPageSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listConversations(deps, actorOf(request), request.query),
  );

  app.post(
    '/conversations/direct',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'The direct conversation with a user (201 when created, 200 when it existed)',
        body: DirectConversationBodySchema,
        response: { 200: ConversationSchema, 201: ConversationSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { conversation, created } = await openDirectConversation(deps, actorOf(request), request.body.userId);
      return reply.code(created ? 201 : 200).send(conversation);
    },
  );

  app.get(
    '/conversations/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'One conversation',
        params: ConversationParams,
        response: { 200: ConversationSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getConversation(deps, actorOf(request), request.params.id),
  );

  app.get(
    '/conversations/:id/messages',
    {
      preHandler,
      serializerCompiler: presented,
      schema: {
        ...common,
        summary: 'History: the latest messages, or those after `afterSeq` / before `beforeSeq`',
        params: ConversationParams,
        querystring: MessageListQuerySchema,
        response: { 200: MessagePageSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => listMessages(deps, actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/conversations/:id/messages',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Send a message (201); resending the same clientMsgId returns the original (200)',
        params: ConversationParams,
        body: SendMessageBodySchema,
        response: { 200: MessageSchema, 201: MessageSchema, ...errorResponses(400, 401, 403, 404, 409, 413) },
      },
    },
    async (request, reply) => {
      const { message, created } = await sendMessage(deps, actorOf(request), request.params.id, request.body);
      return reply.code(created ? 201 : 200).send(message);
    },
  );

  app.patch(
    '/conversations/:id/messages/:messageId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Edit your message',
        params: MessageParams,
        body: EditMessageBodySchema,
        response: { 200: MessageSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      editMessage(deps, actorOf(request), request.params.id, request.params.messageId, request.body.body),
  );

  app.delete(
    '/conversations/:id/messages/:messageId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Delete your message (it stays in the thread as an empty tombstone)',
        params: MessageParams,
        response: { 200: MessageSchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request) => deleteMessage(deps, actorOf(request), request.params.id, request.params.messageId),
  );

  app.get(
    '/conversations/:id/messages/:messageId/edits',
    {
      preHandler,
      schema: {
        ...common,
        summary: "A message's edit history: the text each edit replaced, oldest first (none once deleted)",
        params: MessageParams,
        response: { 200: MessageEditHistorySchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => listMessageEdits(deps, actorOf(request), request.params.id, request.params.messageId),
  );

  app.post(
    '/conversations/:id/messages/:messageId/reactions',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Toggle your reaction with this emoji',
        params: MessageParams,
        body: ReactionBodySchema,
        response: { 200: MessageSchema, ...errorResponses(400, 401, 404, 409) },
      },
    },
    async (request) =>
      toggleReaction(deps, actorOf(request), request.params.id, request.params.messageId, request.body.emoji),
  );

  app.post(
    '/conversations/:id/read',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Mark read up to `seq` (the cursor only moves forward)',
        params: ConversationParams,
        body: ReadBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await markRead(deps, actorOf(request), request.params.id, request.body.seq);
      return reply.code(204).send();
    },
  );

  app.post(
    '/conversations/:id/unread',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Mark unread from message `seq` on: your cursor goes back (others still see what you read)',
        params: ConversationParams,
        body: ReadBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await markUnread(deps, actorOf(request), request.params.id, request.body.seq);
      return reply.code(204).send();
    },
  );

  app.put(
    '/conversations/:id/mute',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Mute or unmute it for you: a muted conversation notifies you of mentions only',
        params: ConversationParams,
        body: MuteBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await setNotifyLevel(deps, actorOf(request), request.params.id, request.body.muted ? 'mentions' : 'all');
      return reply.code(204).send();
    },
  );

  app.put(
    '/conversations/:id/notifications',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'What of it notifies you, in the app and outside: everything, mentions of you, or nothing',
        description: '`mentions` is what muting does; `none` leaves out mentions too. Unread counts stay.',
        params: ConversationParams,
        body: ConversationNotifyBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await setNotifyLevel(deps, actorOf(request), request.params.id, request.body.level);
      return reply.code(204).send();
    },
  );
}
