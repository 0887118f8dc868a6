import {
  IdSchema,
  PushConfigSchema,
  PushDeviceListSchema,
  PushDeviceSchema,
  RegisterPushDeviceBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { listDevices, pushConfig, registerDevice, unregisterDevice } from './push-service';

const DeviceParams = z.object({ id: IdSchema });

export function registerPushRoutes(app: ZodApp, deps: RouteDeps): void {
  const preHandler = deps.guards.requireUser;
  const devices = { tags: ['me'], security: bearerAuth };

  app.get(
    '/push/config',
    {
      schema: {
        tags: ['push'],
        summary: "What a device needs to subscribe to web push: the server's VAPID public key",
        response: { 200: PushConfigSchema },
      },
    },
    async () => pushConfig(deps.config),
  );

  app.post(
    '/me/push-devices',
    {
      preHandler,
      schema: {
        ...devices,
        summary:
          'Send my notifications to this device too (a browser push subscription or an Expo token); ' +
          'the same one again answers the same device',
        body: RegisterPushDeviceBodySchema,
        response: { 201: PushDeviceSchema, ...errorResponses(400, 401) },
      },
    },
    async (request, reply) => {
      const device = await registerDevice(deps, actorOf(request), request.body, request.headers['user-agent']);
      return reply.code(201).send(device);
    },
  );

  app.get(
    '/me/push-devices',
    {
      preHandler,
      schema: {
        ...devices,
        summary: 'The devices my notifications are pushed to in this workspace, newest first',
        response: { 200: PushDeviceListSchema, ...errorResponses(401) },
      },
    },
    async (request) => listDevices(deps, actorOf(request)),
  );

  app.delete(
    '/me/push-devices/:id',
    {
      preHandler,
      schema: {
        ...devices,
        summary: 'Stop pushing my notifications to a device (do it on this device before signing out)',
        params: DeviceParams,
        response: { 204: z.undefined(), ...errorResponses(401, 404) },
      },
    },
    async (request, reply) => {
      await unregisterDevice(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
}
