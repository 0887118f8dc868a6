import {
  LoginBodySchema,
  RefreshBodySchema,
  RegisterBodySchema,
  SessionSchema,
  TokenPairSchema,
} from '@parley/protocol';
import { z } from 'zod';
import { errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { clientOf } from './client-info';
import { login, logout, refresh, register, type AuthDeps } from './auth-service';

export function registerAuthRoutes(app: ZodApp, deps: AuthDeps): void {
  app.post(
    '/auth/register',
    {
      schema: {
        tags: ['auth'],
        summary: 'Create an account and sign in (the first account becomes admin)',
        body: RegisterBodySchema,
        response: { 201: SessionSchema, ...errorResponses(400, 409) },
      },
    },
    async (request, reply) => reply.code(201).send(await register(deps, request.body, clientOf(request))),
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email or username',
        body: LoginBodySchema,
        response: { 200: SessionSchema, ...errorResponses(400, 401, 429) },
      },
    },
    async (request) => login(deps, request.body, { ip: request.ip, ...clientOf(request) }),
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for a new token pair (the old refresh token stops working)',
        body: RefreshBodySchema,
        response: { 200: TokenPairSchema, ...errorResponses(400, 401) },
      },
    },
    async (request) => refresh(deps, request.body.refreshToken),
  );

  app.post(
    '/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: 'End the session of this refresh token',
        body: RefreshBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400) },
      },
    },
    async (request, reply) => {
      await logout(deps, request.body.refreshToken);
      return reply.code(204).send();
    },
  );
}
