import type { ChangePasswordBody, PasswordResetBody, PasswordResetConfirmBody } from '@parley/protocol';
import { z } from 'zod';
import type { Counters } from '../abuse/counters';
import type { LoginThrottle } from '../abuse/login-throttle';
import { countOrRefuse } from '../abuse/request-throttle';
import type { Actor } from '../auth/actor';
import { findUserByLogin, firstMembership } from '../auth/auth-service';
import { hashPassword, verifyPassword } from '../auth/password-hasher';
import { lastSignedInWorkspace } from '../auth/refresh-token-repository';
import { revokeSessionsOfUser } from '../auth/session-repository';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import type { EventBus } from '../events/event-bus';
import type { UserRow } from '../db/schema';
import { AppError } from '../http/app-error';
import { enqueueJob } from '../jobs/job-queue';
import type { JobRunner } from '../jobs/job-runner';
import { defineJobType } from '../jobs/job-type';
import { enqueueMail } from '../mail/mail-queue';
import { findUserById } from '../users/user-repository';
import { loadActor } from '../workspaces/member-repository';
import { findWorkspaceBySlug } from '../workspaces/workspace-repository';
import { findUsableToken, newAccountToken, replaceAccountToken, useToken } from './account-token-repository';

export interface AccountDeps {
  db: Db;
  clock: Clock;
  events: EventBus;
  jobs: JobRunner;
  counters: Counters;
  loginThrottle: LoginThrottle;
  publicUrl: string;
  passwordResetThrottle: { perAccount: number; perIp: number; windowSeconds: number };
}

export const RESET_LINK_MINUTES = 60;

/** One answer for an unknown, used and expired link alike: which it was helps nobody. */
export const unusableLink = () => new AppError('not_found', 'This link is not valid: it was used, or it expired');

/**
 * The signed-in person changes their password: the current one first (a borrowed unlocked
 * device is not enough), checked under the sign-in throttle. Every other session ends; this one
 * goes on. A mail tells the owner, in case it was not them.
 */
export async function changePassword(
  deps: AccountDeps,
  actor: Actor,
  body: ChangePasswordBody,
  from: { ip: string },
): Promise<void> {
  const user = await findUserById(deps.db, actor.id);
  if (!user) throw new AppError('unauthorized', 'Account is not active');
  const attempt = { account: user.id, ip: from.ip };
  await deps.loginThrottle.admit(attempt);
  if (!(await verifyPassword(user.passwordHash, body.currentPassword))) {
    throw new AppError('invalid_credentials', 'The current password is not right');
  }
  await deps.loginThrottle.succeeded(attempt);
  const passwordHash = await hashPassword(body.newPassword);
  const now = deps.clock.now();
  const ended = await deps.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ passwordHash, updatedAt: now }).where('id', '=', user.id).execute();
    await mailPasswordChanged(trx, user, actor.workspaceId, now);
    return revokeSessionsOfUser(trx, user.id, now, actor.sessionId);
  });
  closeSockets(deps, user.id, ended);
  deps.jobs.wake();
}

/**
 * Asks for a reset link. The answer is the same whether the login names an account or not, and
 * so is the work: two counts and one queued job, which looks the account up and mails it (or
 * does nothing) after the answer has gone. Throttled per address and per login.
 */
export async function requestPasswordReset(deps: AccountDeps, body: PasswordResetBody, from: { ip: string }) {
  const limits = deps.passwordResetThrottle;
  const windowMs = limits.windowSeconds * 1000;
  const what = 'password reset requests';
  await countOrRefuse(deps.counters, [`reset:ip:${from.ip}`], limits.perIp, windowMs, what);
  await countOrRefuse(deps.counters, [`reset:login:${body.login.toLowerCase()}`], limits.perAccount, windowMs, what);
  await enqueueJob(deps.db, { type: passwordResetJob, payload: body, runAt: deps.clock.now() });
  deps.jobs.wake();
}

export const passwordResetJob = defineJobType(
  'accounts.password_reset',
  z.object({ login: z.string(), workspace: z.string().optional() }),
  { maxAttempts: 3, backoffMs: 10_000 },
);

export function registerPasswordResets(deps: AccountDeps): void {
  deps.jobs.register(passwordResetJob, async (request) => {
    await mailResetLink(deps, request);
  });
}

async function mailResetLink(deps: AccountDeps, request: PasswordResetBody): Promise<void> {
  const user = await findUserByLogin(deps.db, request.login);
  if (!user || user.deactivatedAt !== null) return;
  // The same account asked for under its email and its username counts once, here, quietly.
  const perUser = await deps.counters.hit(`reset:user:${user.id}`, deps.passwordResetThrottle.windowSeconds * 1000);
  if (perUser.count > deps.passwordResetThrottle.perAccount) return;
  const workspaceId = await workspaceToMailFrom(deps.db, user.id, request.workspace);
  if (!workspaceId) return;
  const token = newAccountToken();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await replaceAccountToken(
      trx,
      { workspaceId, userId: user.id, purpose: 'password_reset', token, expiresAt: now + RESET_LINK_MINUTES * 60_000 },
      now,
    );
    await enqueueMail(
      trx,
      {
        workspaceId,
        to: { email: user.email, name: user.displayName },
        locale: user.locale,
        template: 'password_reset',
        data: {
          name: user.displayName,
          url: `${deps.publicUrl}/reset-password?token=${token}`,
          expiresInMinutes: RESET_LINK_MINUTES,
        },
      },
      now,
    );
  });
}

/** The workspace named, if the person is active there; else the one they signed in to last. */
export async function workspaceToMailFrom(db: Db, userId: string, slug?: string): Promise<string | undefined> {
  if (slug) {
    const named = await findWorkspaceBySlug(db, slug);
    if (named && (await loadActor(db, { workspaceId: named.id }, userId))) return named.id;
  }
  const last = await lastSignedInWorkspace(db, userId);
  return last ?? (await firstMembership(db, userId));
}

/**
 * Sets the new password with a mailed link. The link works once; every session of the person
 * ends (whoever knew the old password is out), and opening the link proves the address, so it
 * counts as verified.
 */
export async function confirmPasswordReset(deps: AccountDeps, body: PasswordResetConfirmBody): Promise<void> {
  const now = deps.clock.now();
  const token = await findUsableToken(deps.db, body.token, 'password_reset', now);
  const user = token && (await findUserById(deps.db, token.userId));
  if (!token || !user || user.deactivatedAt !== null) throw unusableLink();
  const passwordHash = await hashPassword(body.newPassword);
  const ended = await deps.db.transaction().execute(async (trx) => {
    if (!(await useToken(trx, token, now))) throw unusableLink();
    await trx
      .updateTable('users')
      .set((eb) => ({
        passwordHash,
        updatedAt: now,
        emailVerifiedAt: eb.fn.coalesce('emailVerifiedAt', eb.val(now)),
      }))
      .where('id', '=', user.id)
      .execute();
    await mailPasswordChanged(trx, user, token.workspaceId, now);
    return revokeSessionsOfUser(trx, user.id, now);
  });
  closeSockets(deps, user.id, ended);
  deps.jobs.wake();
}

/**
 * Sockets of ended sessions close now rather than at their token's expiry: each of the person's
 * sockets in those workspaces is told to authenticate again (4401), which only a live session can.
 */
export function closeSockets(deps: Pick<AccountDeps, 'events'>, userId: string, workspaceIds: string[]): void {
  for (const workspaceId of workspaceIds) deps.events.publish({ type: 'access.changed', workspaceId, userId });
}

const mailPasswordChanged = (db: Db, user: UserRow, workspaceId: string, now: number) =>
  enqueueMail(
    db,
    {
      workspaceId,
      to: { email: user.email, name: user.displayName },
      locale: user.locale,
      template: 'password_changed',
      data: { name: user.displayName },
    },
    now,
  );
