import {
  CustomerContextQuerySchema,
  CustomerContextSchema,
  CustomerNoteBodySchema,
  CustomerNoteListSchema,
  CustomerNoteSchema,
  IdSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import {
  addCustomerNote,
  deleteCustomerNote,
  editCustomerNote,
  getCustomerContext,
  listCustomerNotes,
} from './customer-context-service';

const CustomerParams = z.object({ id: IdSchema });
const NoteParams = z.object({ id: IdSchema, noteId: IdSchema });

export function registerCustomerContextRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['customers'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/customers/:id/context',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'Who a requester is, beside their ticket: account, member since, their tickets you may see, ' +
          'staff notes (staff only; customers: 403)',
        params: CustomerParams,
        querystring: CustomerContextQuerySchema,
        response: { 200: CustomerContextSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => getCustomerContext(deps, actorOf(request), request.params.id, request.query),
  );

  app.get(
    '/customers/:id/notes',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Staff notes about a customer, newest first (staff only)',
        params: CustomerParams,
        response: { 200: CustomerNoteListSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => listCustomerNotes(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/customers/:id/notes',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Add a note about a customer (`notes.write`); never shown to the customer',
        params: CustomerParams,
        body: CustomerNoteBodySchema,
        response: { 201: CustomerNoteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addCustomerNote(deps, actorOf(request), request.params.id, request.body.body)),
  );

  app.patch(
    '/customers/:id/notes/:noteId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Change your own note about a customer (`notes.write`)',
        params: NoteParams,
        body: CustomerNoteBodySchema,
        response: { 200: CustomerNoteSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      editCustomerNote(deps, actorOf(request), request.params.id, request.params.noteId, request.body.body),
  );

  app.delete(
    '/customers/:id/notes/:noteId',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Delete your own note about a customer (`notes.write`)',
        params: NoteParams,
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteCustomerNote(deps, actorOf(request), request.params.id, request.params.noteId);
      return reply.code(204).send();
    },
  );
}
