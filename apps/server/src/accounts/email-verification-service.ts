import type { VerifyEmailBody } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { AppError } from '../http/app-error';
import { enqueueMail } from '../mail/mail-queue';
import { findUserById } from '../users/user-repository';
import { findUsableToken, newAccountToken, replaceAccountToken, useToken } from './account-token-repository';
import { unusableLink, type AccountDeps } from './password-service';

export const VERIFY_LINK_HOURS = 24;

/** Mails the signed-in person a link that proves the address is theirs (the newest link only works). */
export async function sendVerificationMail(deps: AccountDeps, actor: Actor): Promise<void> {
  const user = await findUserById(deps.db, actor.id);
  if (!user) throw new AppError('unauthorized', 'Account is not active');
  if (user.emailVerifiedAt !== null) throw new AppError('conflict', 'Your email address is verified already');
  const token = newAccountToken();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await replaceAccountToken(
      trx,
      {
        workspaceId: actor.workspaceId,
        userId: user.id,
        purpose: 'email_verification',
        token,
        expiresAt: now + VERIFY_LINK_HOURS * 3600_000,
      },
      now,
    );
    await enqueueMail(
      trx,
      {
        workspaceId: actor.workspaceId,
        to: { email: user.email, name: user.displayName },
        locale: user.locale,
        template: 'email_verification',
        data: {
          name: user.displayName,
          url: `${deps.publicUrl}/verify-email?token=${token}`,
          expiresInHours: VERIFY_LINK_HOURS,
        },
      },
      now,
    );
  });
  deps.jobs.wake();
}

/** The link from that mail: the address counts as verified. Needs no sign-in: the link is the proof. */
export async function verifyEmail(deps: AccountDeps, body: VerifyEmailBody): Promise<void> {
  const now = deps.clock.now();
  const token = await findUsableToken(deps.db, body.token, 'email_verification', now);
  if (!token) throw unusableLink();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await useToken(trx, token, now))) throw unusableLink();
    await trx
      .updateTable('users')
      .set({ emailVerifiedAt: now, updatedAt: now })
      .where('id', '=', token.userId)
      .where('emailVerifiedAt', 'is', null)
      .execute();
  });
}
