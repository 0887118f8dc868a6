import { CallListSchema, CallSchema, IdSchema, StartCallBodySchema } from '@parley/protocol';
import { z } from 'zod';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { actOnCall, getCall, listLiveCalls, startCall } from './call-service';

/** Calls in a conversation (decision 0016): start, answer, decline, hang up; each change arrives live as `call.updated`. */
export function registerCallRoutes(app: ZodApp, deps: RouteDeps): void {
  const common = { tags: ['calls'], security: bearerAuth };
  const preHandler = deps.guards.requireUser;
  const params = z.object({ id: IdSchema });

  app.post(
    '/conversations/:id/calls',
    {
      preHandler,
      schema: {
        ...common,
        params,
        body: StartCallBodySchema,
        summary:
          'Call the others of a conversation: a direct chat, a group, or a ticket (its requester, or its assignee)',
        description:
          'Rings every device of each callee (`call.updated`) for 30 s. Someone already in another call is `busy` and ' +
          'not rung. `409` with `details.callId`: a call is already going on here (join that one); also when you are in ' +
          'another call, or there is nobody to call.',
        response: { 201: CallSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await startCall(deps, actorOf(request), request.params.id, request.body.kind)),
  );

  app.get(
    '/calls',
    {
      preHandler,
      schema: {
        ...common,
        summary: 'Your calls not over yet: ringing for you, or with you in them (after a reconnect)',
        response: { 200: CallListSchema, ...errorResponses(401, 403) },
      },
    },
    async (request) => ({ items: await listLiveCalls(deps, actorOf(request)) }),
  );

  app.get(
    '/calls/:id',
    {
      preHandler,
      schema: {
        ...common,
        params,
        summary: 'A call you are in or were rung for',
        response: { 200: CallSchema, ...errorResponses(401, 403, 404) },
      },
    },
    async (request) => getCall(deps, actorOf(request), request.params.id),
  );

  const actions = {
    join: 'Answer, or join again (after a drop, or on another device: the call moves to it). Your other devices stop ringing. `409`: it ended, it is full, or you are in another call',
    decline: 'Say no: your devices stop ringing; a call to you alone ends',
    leave: 'Hang up. The caller hanging up before anyone answers calls it off; the last one in it ends it',
  } as const;
  for (const [action, summary] of Object.entries(actions) as [keyof typeof actions, string][]) {
    app.post(
      `/calls/:id/${action}`,
      {
        preHandler,
        schema: { ...common, params, summary, response: { 200: CallSchema, ...errorResponses(401, 403, 404, 409) } },
      },
      async (request) => actOnCall(deps, actorOf(request), request.params.id, action),
    );
  }
}
