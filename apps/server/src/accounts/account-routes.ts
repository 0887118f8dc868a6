import {
  AccountSessionListSchema,
  ChangePasswordBodySchema,
  IdSchema,
  PasswordResetBodySchema,
  PasswordResetConfirmBodySchema,
  VerifyEmailBodySchema,
} from '@parley/protocol';
import { z } from 'zod';
import type { AuthGuards } from '../http/auth-guard';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { sendVerificationMail, verifyEmail } from './email-verification-service';
import { changePassword, confirmPasswordReset, requestPasswordReset, type AccountDeps } from './password-service';
import { endOtherSessions, endSession, listSessions } from './session-service';

const SessionParams = z.object({ id: IdSchema });

export function registerAccountRoutes(app: ZodApp, deps: AccountDeps & { guards: AuthGuards }): void {
  const me = { tags: ['account'], security: bearerAuth };
  const auth = { tags: ['auth'] };
  const preHandler = deps.guards.requireUser;

  app.post(
    '/me/password',
    {
      preHandler,
      schema: {
        ...me,
        summary: 'Change your password (the current one is needed); every other session of yours ends',
        body: ChangePasswordBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      await changePassword(deps, actorOf(request), request.body, { ip: request.ip });
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/password-reset',
    {
      schema: {
        ...auth,
        summary:
          'Mail a single-use link to set a new password (valid 1 hour). The same 202 whether or not the account exists',
        body: PasswordResetBodySchema,
        response: { 202: z.undefined(), ...errorResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(deps, request.body, { ip: request.ip });
      return reply.code(202).send();
    },
  );

  app.post(
    '/auth/password-reset/confirm',
    {
      schema: {
        ...auth,
        summary: "Set a new password with the mailed link's token; every session of the account ends",
        body: PasswordResetConfirmBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await confirmPasswordReset(deps, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/me/email/verification',
    {
      preHandler,
      schema: {
        ...me,
        summary: 'Mail yourself a link that verifies your email address (valid 24 hours)',
        response: { 202: z.undefined(), ...errorResponses(401, 409) },
      },
    },
    async (request, reply) => {
      await sendVerificationMail(deps, actorOf(request));
      return reply.code(202).send();
    },
  );

  app.post(
    '/auth/verify-email',
    {
      schema: {
        ...auth,
        summary: "Verify an email address with the mailed link's token",
        body: VerifyEmailBodySchema,
        response: { 204: z.undefined(), ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      await verifyEmail(deps, request.body);
      return reply.code(204).send();
    },
  );

  app.get(
    '/me/sessions',
    {
      preHandler,
      schema: {
        ...me,
        summary: 'Your signed-in devices in every workspace, most recently used first',
        response: { 200: AccountSessionListSchema, ...errorResponses(401) },
      },
    },
    async (request) => listSessions(deps, actorOf(request)),
  );

  app.delete(
    '/me/sessions/:id',
    {
      preHandler,
      schema: {
        ...me,
        summary: 'Sign one device out (this one too, when it is its id)',
        params: SessionParams,
        response: { 204: z.undefined(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      await endSession(deps, actorOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/me/sessions',
    {
      preHandler,
      schema: {
        ...me,
        summary: 'Sign out every other device, in every workspace; this one stays signed in',
        response: { 204: z.undefined(), ...errorResponses(401) },
      },
    },
    async (request, reply) => {
      await endOtherSessions(deps, actorOf(request));
      return reply.code(204).send();
    },
  );
}
