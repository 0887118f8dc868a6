import {
  CreateTicketBodySchema,
  IdSchema,
  TicketCountsQuerySchema,
  TicketCountsSchema,
  TicketListItemSchema,
  TicketListQuerySchema,
  TicketPageSchema,
  TicketSchema,
  UpdateTicketBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import { presentedSerializer } from '../http/presented-serializer';
import type { ZodApp } from '../http/zod-app';
import { countTickets, createTicket, getTicket, listTickets, updateTicket } from './ticket-service';

const TicketParams = z.object({ id: IdSchema });

export function registerTicketRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['tickets'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;
  // Hot read routes: their presenters build the whole answer (see presentedSerializer).
  const presented = presentedSerializer(deps.config.env !== 'production');

  app.post(
    '/tickets',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'Open a ticket (you are its requester; staff: or open it for a customer, `requesterId` or `requester`); ' +
          'it comes with its own conversation',
        body: CreateTicketBodySchema,
        response: { 201: TicketSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => reply.code(201).send(await createTicket(deps, actorOf(request), request.body)),
  );

  app.get(
    '/tickets',
    {
      preHandler,
      serializerCompiler: presented,
      schema: {
        ...common,
        summary:
          "Tickets you may see: yours (customer), your teams', teamless and assigned to you (agent), all (admin); " +
          'staff narrow it to a queue with `view`',
        querystring: TicketListQuerySchema,
        response: { 200: TicketPageSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => listTickets(deps, actorOf(request), request.query),
  );

  app.get(
    '/tickets/counts',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'How many of the tickets you may see each queue filter (status, priority, assignee, view) would list',
        querystring: TicketCountsQuerySchema,
        response: { 200: TicketCountsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => countTickets(deps, actorOf(request), request.query),
  );

  app.get(
    '/tickets/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'One ticket, with what its queue row shows',
        params: TicketParams,
        response: { 200: TicketListItemSchema, ...errorResponses(401, 404) },
      },
    },
    async (request) => getTicket(deps, actorOf(request), request.params.id),
  );

  app.patch(
    '/tickets/:id',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Change status, priority, assignee or team (customers: close, or reopen within 7 days)',
        params: TicketParams,
        body: UpdateTicketBodySchema,
        response: { 200: TicketSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateTicket(deps, actorOf(request), request.params.id, request.body),
  );
}
