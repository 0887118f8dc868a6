import {
  CreateWebhookBodySchema,
  IdSchema,
  UpdateWebhookBodySchema,
  WebhookDeliveryPageSchema,
  WebhookDeliveryQuerySchema,
  WebhookDeliverySchema,
  WebhookListSchema,
  WebhookSchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  ping,
  redeliver,
  updateWebhook,
} from './webhook-service';
import { addressPolicy } from './webhook-target';

const Params = z.object({ id: IdSchema });
const DeliveryParams = z.object({ id: IdSchema, deliveryId: IdSchema });

export function registerWebhookRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['webhooks'], security: bearerAuth };
  const admin = deps.guards.requirePermission('settings.manage');
  const service = { ...deps, mayConnect: addressPolicy(deps.config.webhooks.allowNetworks) };

  app.get(
    '/webhooks',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "The workspace's webhooks, with their secrets (`settings.manage`)",
        response: { 200: WebhookListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listWebhooks(deps, actorOf(request)),
  );

  app.post(
    '/webhooks',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Send events to a URL (`settings.manage`)',
        description:
          'Each event is POSTed as JSON (`WebhookPayload`), signed in `Parley-Signature` with the ' +
          "webhook's secret (docs/webhooks.md). `400`: the URL is not http(s), does not resolve, or " +
          'reaches a private, loopback or link-local address; `409`: the workspace has 20 already.',
        body: CreateWebhookBodySchema,
        response: { 201: WebhookSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createWebhook(service, actorOf(request), request.body)),
  );

  app.patch(
    '/webhooks/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "Change a webhook's URL or events, turn it off or on, or give it a new secret (`settings.manage`)",
        params: Params,
        body: UpdateWebhookBodySchema,
        response: { 200: WebhookSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateWebhook(service, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/webhooks/:id',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Delete a webhook and its delivery log (`settings.manage`)',
        params: Params,
        response: { 204: z.undefined(), ...errorResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteWebhook(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "A webhook's deliveries, newest first, kept 30 days (`settings.manage`)",
        params: Params,
        querystring: WebhookDeliveryQuerySchema,
        response: { 200: WebhookDeliveryPageSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => listDeliveries(deps, actorOf(request), request.params.id, request.query),
  );

  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "Send a delivery's event again (`settings.manage`)",
        description:
          'A new delivery with the same event id (`409`: the original is still being sent, or the webhook is off).',
        params: DeliveryParams,
        response: { 201: WebhookDeliverySchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await redeliver(deps, actorOf(request), request.params.id, request.params.deliveryId)),
  );

  app.post(
    '/webhooks/:id/ping',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Send a test event, `ping` (`settings.manage`)',
        params: Params,
        response: { 201: WebhookDeliverySchema, ...errorResponses(401, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await ping(deps, actorOf(request), request.params.id)),
  );
}
