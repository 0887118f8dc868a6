import crypto from 'node:crypto';
import type { LoginBody, RegisterBody, Session, TokenPair } from '@parley/protocol';
import type { LoginThrottle } from '../abuse/login-throttle';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { UserRow } from '../db/schema';
import { AppError, fieldConflict } from '../http/app-error';
import { newId } from '../ids';
import {
  claimFirstAdmin,
  findUserByEmail,
  findUserById,
  findUserByUsernameKey,
  hasAnyUser,
  insertUser,
} from '../users/user-repository';
import { presentMe } from '../users/user-presenter';
import type { AccessTokens } from './access-tokens';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password-hasher';
import {
  findRefreshTokenByHash,
  insertRefreshToken,
  markRefreshTokenRotated,
  revokeRefreshTokenFamily,
} from './refresh-token-repository';

export interface AuthDeps {
  db: Db;
  clock: Clock;
  accessTokens: AccessTokens;
  refreshTtlSeconds: number;
  loginThrottle: LoginThrottle;
}

const normalizeEmail = (email: string) => email.trim().toLowerCase();
const usernameKey = (username: string) => username.toLowerCase();

/** Creates the account and signs it in. The very first account of an installation is its admin. */
export async function register(deps: AuthDeps, body: RegisterBody): Promise<Session> {
  const email = normalizeEmail(body.email);
  await assertIdentityFree(deps.db, email, body.username);
  const passwordHash = await hashPassword(body.password);
  const now = deps.clock.now();
  const create = () =>
    deps.db.transaction().execute(async (trx) => {
      const id = newId();
      const first = !(await hasAnyUser(trx));
      // Concurrent first registrations all see no users; only one can take the claim.
      if (first) await claimFirstAdmin(trx, id, now);
      return insertUser(trx, {
        id,
        email,
        username: body.username,
        usernameKey: usernameKey(body.username),
        displayName: body.displayName ?? body.username,
        passwordHash,
        role: first ? 'admin' : 'customer',
        createdAt: now,
        updatedAt: now,
      });
    });
  let user: UserRow | undefined;
  for (let attempt = 1; !user; attempt++) {
    try {
      user = await create();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // A concurrent registration took the email or username between our check and insert...
      await assertIdentityFree(deps.db, email, body.username);
      // ...or the first-admin claim, and has committed it: once more, as a customer this time.
      if (attempt === 2) throw error;
    }
  }
  return { user: presentMe(user), ...(await issueTokens(deps, user, newId())) };
}

async function assertIdentityFree(db: Db, email: string, username: string): Promise<void> {
  const [byEmail, byUsername] = await Promise.all([
    findUserByEmail(db, email),
    findUserByUsernameKey(db, usernameKey(username)),
  ]);
  const taken = [
    ...(byEmail ? [{ in: 'body' as const, path: 'email', message: 'Email is already registered' }] : []),
    ...(byUsername ? [{ in: 'body' as const, path: 'username', message: 'Username is taken' }] : []),
  ];
  if (taken.length > 0) throw fieldConflict(taken);
}

/** One answer for every failure, so a login attempt never tells which accounts exist. */
const badLogin = () => new AppError('invalid_credentials', 'Invalid login or password');

export async function login(deps: AuthDeps, body: LoginBody, from: { ip: string }): Promise<Session> {
  const user = body.login.includes('@')
    ? await findUserByEmail(deps.db, normalizeEmail(body.login))
    : await findUserByUsernameKey(deps.db, usernameKey(body.login));
  const attempt = { account: user?.id ?? `unknown:${body.login.toLowerCase()}`, ip: from.ip };
  // Counted as a failure from here on, unless the password turns out right.
  await deps.loginThrottle.admit(attempt);
  if (!user) {
    await burnPasswordCheck(body.password);
    throw badLogin();
  }
  const passwordOk = await verifyPassword(user.passwordHash, body.password);
  if (!passwordOk || user.deactivatedAt !== null) throw badLogin();
  await deps.loginThrottle.succeeded(attempt);
  return { user: presentMe(user), ...(await issueTokens(deps, user, newId())) };
}

/**
 * Trades a refresh token for a new pair. Each refresh token works once; presenting one that
 * was already used means it leaked (or a client misbehaves), so its whole family is revoked
 * and every holder must sign in again.
 */
export async function refresh(deps: AuthDeps, refreshToken: string): Promise<TokenPair> {
  const now = deps.clock.now();
  const stored = await findRefreshTokenByHash(deps.db, hashToken(refreshToken));
  if (!stored || stored.revokedAt !== null || stored.expiresAt <= now) {
    throw new AppError('unauthorized', 'Refresh token is invalid or expired');
  }
  const user = await findUserById(deps.db, stored.userId);
  const rotated = await markRefreshTokenRotated(deps.db, stored.id, now);
  if (!rotated || !user || user.deactivatedAt !== null) {
    await revokeRefreshTokenFamily(deps.db, stored.familyId, now);
    throw new AppError('unauthorized', rotated ? 'Account is deactivated' : 'Refresh token was already used');
  }
  return issueTokens(deps, user, stored.familyId);
}

/** Ends the session the token belongs to. Unknown or dead tokens are fine: the goal is met. */
export async function logout(deps: AuthDeps, refreshToken: string): Promise<void> {
  const stored = await findRefreshTokenByHash(deps.db, hashToken(refreshToken));
  if (stored) await revokeRefreshTokenFamily(deps.db, stored.familyId, deps.clock.now());
}

async function issueTokens(deps: AuthDeps, user: UserRow, familyId: string): Promise<TokenPair> {
  const refreshToken = crypto.randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await insertRefreshToken(deps.db, {
    id: newId(),
    userId: user.id,
    familyId,
    tokenHash: hashToken(refreshToken),
    createdAt: now,
    expiresAt: now + deps.refreshTtlSeconds * 1000,
    rotatedAt: null,
    revokedAt: null,
  });
  return { accessToken: await deps.accessTokens.sign({ userId: user.id, role: user.role }), refreshToken };
}

/** Refresh tokens are 256 random bits, so a fast unsalted hash is enough to make a leak useless. */
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
