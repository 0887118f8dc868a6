import {
  AutomationRuleListSchema,
  AutomationRuleSchema,
  CreateAutomationRuleBodySchema,
  IdSchema,
  ReorderAutomationRulesBodySchema,
  UpdateAutomationRuleBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import {
  createAutomationRule,
  deleteAutomationRule,
  listAutomationRules,
  reorderAutomationRules,
  updateAutomationRule,
} from './rule-service';

const RuleParams = z.object({ id: IdSchema });

export function registerAutomationRuleRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['automation'], security: bearerAuth };
  const admins = deps.guards.requirePermission('settings.manage');

  app.get(
    '/automation-rules',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: "The workspace's automation rules, in the order they run (`settings.manage`)",
        response: { 200: AutomationRuleListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => listAutomationRules(deps, actorOf(request)),
  );

  app.post(
    '/automation-rules',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary:
          'Add a rule at the end: when the event happens and the conditions hold, Parley does the actions (`settings.manage`); a team or person the workspace does not have: 400',
        body: CreateAutomationRuleBodySchema,
        response: { 201: AutomationRuleSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => reply.code(201).send(await createAutomationRule(deps, actorOf(request), request.body)),
  );

  app.put(
    '/automation-rules/order',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Put the rules in a new order: every rule once (`settings.manage`)',
        body: ReorderAutomationRulesBodySchema,
        response: { 200: AutomationRuleListSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => reorderAutomationRules(deps, actorOf(request), request.body),
  );

  app.patch(
    '/automation-rules/:id',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Change a rule, or turn it on or off (`settings.manage`)',
        params: RuleParams,
        body: UpdateAutomationRuleBodySchema,
        response: { 200: AutomationRuleSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => updateAutomationRule(deps, actorOf(request), request.params.id, request.body),
  );

  app.delete(
    '/automation-rules/:id',
    {
      preHandler: admins,
      schema: {
        ...common,
        summary: 'Delete a rule (`settings.manage`)',
        params: RuleParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await deleteAutomationRule(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
