import { SlaPolicySchema, SlaPolicySettingSchema } from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { deleteSlaPolicy, getSlaPolicy, putSlaPolicy } from './sla-policy-service';

export function registerSlaRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['sla'], security: bearerAuth };
  const admin = deps.guards.requirePermission('settings.manage');

  app.get(
    '/sla-policy',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: "Your workspace's SLA policy (`settings.manage`); `policy: null` when there is none",
        response: { 200: SlaPolicySettingSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => getSlaPolicy(deps, actorOf(request)),
  );

  app.put(
    '/sla-policy',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Set the SLA policy (`settings.manage`): targets per priority, business hours, escalation steps',
        description: 'New tickets follow it; running ones keep their due times until their priority changes.',
        body: SlaPolicySchema,
        response: { 200: SlaPolicySettingSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => putSlaPolicy(deps, actorOf(request), request.body),
  );

  app.delete(
    '/sla-policy',
    {
      preHandler: admin,
      schema: {
        ...common,
        summary: 'Turn SLA off for new tickets (`settings.manage`)',
        response: { 204: z.undefined(), ...errorResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await deleteSlaPolicy(deps, actorOf(request));
      return reply.code(204).send();
    },
  );
}
