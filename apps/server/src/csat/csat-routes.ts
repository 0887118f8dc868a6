import { CsatAnswerBodySchema, CsatSurveyListSchema, CsatSurveySchema, IdSchema } from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { answerCsat, listCsat } from './csat-service';

const TicketParams = z.object({ id: IdSchema });

export function registerCsatRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['csat'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;

  app.get(
    '/tickets/:id/csat',
    {
      preHandler,
      schema: {
        ...common,
        summary: "A ticket's satisfaction surveys, one per closure (its requester, and staff who see the ticket)",
        params: TicketParams,
        response: { 200: CsatSurveyListSchema, ...errorResponses(400, 401, 404) },
      },
    },
    async (request) => listCsat(deps, actorOf(request), request.params.id),
  );

  app.post(
    '/tickets/:id/csat',
    {
      preHandler,
      schema: {
        ...common,
        summary: "Answer the survey of the ticket's latest closure (its requester only; once per closure)",
        description:
          '409 when the ticket is not closed (or not asked yet), the survey was answered, or `surveyId` names an older closure.',
        params: TicketParams,
        body: CsatAnswerBodySchema,
        response: { 201: CsatSurveySchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await answerCsat(deps, actorOf(request), request.params.id, request.body)),
  );
}
