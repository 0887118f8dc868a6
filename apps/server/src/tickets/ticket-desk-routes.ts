import {
  BulkTicketBodySchema,
  BulkTicketResultSchema,
  IdSchema,
  MergeTicketBodySchema,
  MergeTicketResultSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { bulkUpdateTickets } from './ticket-bulk';
import { mergeTickets } from './ticket-merge';

const TicketParams = z.object({ id: IdSchema });

/** Staff's tools over several tickets: merge two, change many. */
export function registerTicketDeskRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['tickets'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.post(
    '/tickets/:id/merge',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'Merge this ticket into another of the same requester (staff who may work both): its messages join ' +
          'the other thread, it closes with a link; a retry answers the same result',
        params: TicketParams,
        body: MergeTicketBodySchema,
        response: { 200: MergeTicketResultSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => mergeTickets(deps, actorOf(request), request.params.id, request.body.intoTicketId),
  );

  app.post(
    '/tickets/bulk',
    {
      preHandler,
      schema: {
        ...common,
        summary:
          'Change status, priority, assignee or team of up to 100 tickets, each as `PATCH /tickets/:id` would ' +
          '(staff); answers per ticket',
        body: BulkTicketBodySchema,
        response: { 200: BulkTicketResultSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => bulkUpdateTickets(deps, actorOf(request), request.body),
  );
}
