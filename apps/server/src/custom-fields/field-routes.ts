import {
  CreateCustomFieldBodySchema,
  CustomFieldListQuerySchema,
  CustomFieldListSchema,
  CustomFieldSchema,
  EntityFieldValuesSchema,
  IdSchema,
  ReorderCustomFieldsBodySchema,
  SetFieldValuesBodySchema,
  UpdateCustomFieldBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import {
  createCustomField,
  getCustomerFields,
  listCustomFields,
  reorderCustomFields,
  setCustomerFields,
  updateCustomField,
} from './field-service';

const Params = z.object({ id: IdSchema });

export function registerCustomFieldRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['custom fields'], security: bearerAuth };
  const admins = deps.guards.requirePermission('settings.manage');
  const members = deps.guards.requireUser;
  const staff = deps.guards.requirePermission('tickets.work');

  app.get(
    '/custom-fields',
    {
      preHandler: members,
      schema: {
        ...common,
        summary:
          "The workspace's custom fields in order: staff all (archived ones with `archived=true`), customers the " +
          'ones they see',
        querystring: CustomFieldListQuerySchema,
        response: { 200: CustomFieldListSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => listCustomFields(deps, actorOf(request), request.query),
  );

  app.post(
    '/custom-fields',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Define a field of tickets or customers, at the end (`settings.manage`); a key taken: 409',
        body: CreateCustomFieldBodySchema,
        response: { 201: CustomFieldSchema, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await createCustomField(deps, actorOf(request), request.body)),
  );

  app.put(
    '/custom-fields/order',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: "Put an entity's fields in a new order: every field once (`settings.manage`)",
        body: ReorderCustomFieldsBodySchema,
        response: { 200: CustomFieldListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => reorderCustomFields(deps, actorOf(request), request.body),
  );

  app.patch(
    '/custom-fields/:id',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary:
          'Rename, change options, required statuses or visibility, archive or restore a field (`settings.manage`); ' +
          'a type change while values exist: 409',
        params: Params,
        body: UpdateCustomFieldBodySchema,
        response: { 200: CustomFieldSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => updateCustomField(deps, actorOf(request), request.params.id, request.body),
  );

  app.get(
    '/users/:id/fields',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: "A customer's custom field values (staff)",
        params: Params,
        response: { 200: EntityFieldValuesSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getCustomerFields(deps, actorOf(request), request.params.id),
  );

  app.put(
    '/users/:id/fields',
    {
      preHandler: staff,
      schema: {
        ...common,
        summary: "Set a customer's custom field values (staff; `null` clears one)",
        params: Params,
        body: SetFieldValuesBodySchema,
        response: { 200: EntityFieldValuesSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => setCustomerFields(deps, actorOf(request), request.params.id, request.body),
  );
}
