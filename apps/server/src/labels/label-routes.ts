import {
  CreateLabelBodySchema,
  IdSchema,
  ItemLabelsSchema,
  LabelListSchema,
  LabelSchema,
  SetLabelsBodySchema,
  UpdateLabelBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { setConversationLabels } from './conversation-labels';
import { createLabel, deleteLabel, listLabels, updateLabel } from './label-service';
import { setTicketLabels } from './ticket-labels';

const Params = z.object({ id: IdSchema });

export function registerLabelRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['labels'], security: bearerAuth };
  const staff = deps.guards.requirePermission('tickets.work');
  const admin = deps.guards.requirePermission('settings.manage');

  app.get(
    '/labels',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: "The workspace's labels, by name (staff: `tickets.work`)",
        response: { 200: LabelListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listLabels(deps, actorOf(request)),
  );

  app.post(
    '/labels',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Add a label (`settings.manage`); its name is unique in the workspace, ignoring case',
        body: CreateLabelBodySchema,
        response: { 201: LabelSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createLabel(deps, actorOf(request), request.body)),
  );

  app.patch(
    '/labels/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Rename, recolour or describe a label (`settings.manage`)',
        params: Params,
        body: UpdateLabelBodySchema,
        response: { 200: LabelSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateLabel(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/labels/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Delete a label and take it off every ticket and conversation (`settings.manage`)',
        description:
          'Refused with `409 conflict` while an automation rule or SLA escalation step names it ' +
          '(`details.rules`, `details.slaSteps`): change those first.',
        params: Params,
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      await deleteLabel(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.put(
    '/tickets/:id/labels',
    {
      preHandler: staff,
      schema: {
        tags: ['tickets', 'labels'],
        security: bearerAuth,
        summary: 'Give a ticket exactly these labels (staff who may see it)',
        description:
          'Labels added and removed leave one internal system line (staff only), an audit entry, and ' +
          'a `ticket.labels` frame to the staff who see the ticket.',
        params: Params,
        body: SetLabelsBodySchema,
        response: { 200: ItemLabelsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setTicketLabels(deps, actorOf(request), request.params.id, request.body.labelIds),
  );

  app.put(
    '/conversations/:id/labels',
    {
      preHandler: staff,
      schema: {
        tags: ['conversations', 'labels'],
        security: bearerAuth,
        summary: 'Give a conversation you are in (not a ticket) exactly these labels (staff)',
        description: 'Only staff members of the conversation see its labels (`conversation.labels` frame).',
        params: Params,
        body: SetLabelsBodySchema,
        response: { 200: ItemLabelsSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setConversationLabels(deps, actorOf(request), request.params.id, request.body.labelIds),
  );
}
