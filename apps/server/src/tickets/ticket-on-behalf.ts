import { randomBytes } from 'node:crypto';
import { isStaff, type Scope } from '../auth/actor';
import { hashPassword } from '../auth/password-hasher';
import type { Db } from '../db/connect';
import { AppError } from '../http/app-error';
import { newId } from '../ids';
import { findUserByEmail, insertUser } from '../users/user-repository';
import { builtInRoleId, loadActor } from '../workspaces/member-repository';
import { insertMember } from '../workspaces/workspace-repository';

/**
 * Staff open a ticket on behalf of a customer: one already here (`requesterId`), or a contact
 * given by email and name, who becomes a customer of the workspace (an account is made when the
 * email is new). See docs/architecture.md "Tickets on behalf of a customer".
 */
export interface OnBehalf {
  requesterId?: string | undefined;
  requester?: { email: string; name: string } | undefined;
}

/** How the requester came to be: already a customer here, newly a member, or a new account. */
export type RequesterOrigin = 'customer' | 'new_member' | 'new_account';

export const isOnBehalf = (input: OnBehalf): boolean =>
  input.requesterId !== undefined || input.requester !== undefined;

const notACustomer = (path: string, message: string) =>
  new AppError('validation_failed', 'The requester must be an active customer of this workspace', {
    fields: [{ in: 'body', path, message }],
  });

/**
 * A hash of a secret nobody ever sees: the account has no usable password (an invite or a
 * password set by an admin gets them in), and signing in to it fails as slowly as any wrong one.
 */
export const unusablePasswordHash = (): Promise<string> => hashPassword(randomBytes(32).toString('base64url'));

/**
 * Inside the ticket's transaction: the requester's id, making the contact a customer member
 * (and an account) when they are not one yet. Refuses staff, closed accounts and closed
 * memberships. Two openings for one new email at once: the second fails on the unique email and
 * is run again by the caller, finding the account the first made.
 */
export async function resolveRequester(
  trx: Db,
  actor: Scope,
  input: OnBehalf,
  passwordHash: string | undefined,
  at: number,
): Promise<{ id: string; origin: RequesterOrigin }> {
  if (input.requesterId !== undefined) {
    const member = await loadActor(trx, actor, input.requesterId);
    if (!member || isStaff(member)) throw notACustomer('requesterId', 'Not an active customer of this workspace');
    return { id: member.id, origin: 'customer' };
  }
  const { email: given, name } = input.requester!;
  const email = given.trim().toLowerCase();
  const user = await findUserByEmail(trx, email);
  if (user) {
    if (user.deactivatedAt !== null) throw notACustomer('requester.email', 'That account is closed');
    const membership = await trx
      .selectFrom('workspaceMembers')
      .select('deactivatedAt')
      .where('workspaceId', '=', actor.workspaceId)
      .where('userId', '=', user.id)
      .executeTakeFirst();
    if (membership) {
      const member = await loadActor(trx, actor, user.id);
      if (!member) throw notACustomer('requester.email', 'Their membership of this workspace is closed');
      if (isStaff(member)) throw notACustomer('requester.email', 'That is a staff member, not a customer');
      return { id: user.id, origin: 'customer' };
    }
    await insertMember(trx, actor, user.id, await builtInRoleId(trx, actor, 'customer'), at);
    return { id: user.id, origin: 'new_member' };
  }
  const id = newId();
  const username = usernameFor(email);
  await insertUser(trx, {
    id,
    email,
    username,
    usernameKey: username.toLowerCase(),
    displayName: name,
    passwordHash: passwordHash ?? (await unusablePasswordHash()),
    createdAt: at,
    updatedAt: at,
  });
  await insertMember(trx, actor, id, await builtInRoleId(trx, actor, 'customer'), at);
  return { id, origin: 'new_account' };
}

/** A username from the email's local part (letters, digits, `_ . -`) and a random tail. */
export function usernameFor(email: string): string {
  const local = (email.split('@')[0] ?? '')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 24);
  return `${local || 'customer'}-${randomBytes(4).toString('hex').slice(0, 6)}`;
}
