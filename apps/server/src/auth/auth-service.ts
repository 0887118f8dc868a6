import crypto from 'node:crypto';
import type { LoginBody, RegisterBody, Session, TokenPair } from '@parley/protocol';
import type { LoginThrottle } from '../abuse/login-throttle';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { RefreshTokenRow, UserRow } from '../db/schema';
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
  refreshTokens: RefreshTokenPolicy;
  loginThrottle: LoginThrottle;
}

export interface RefreshTokenPolicy {
  ttlSeconds: number;
  /** How long a just-rotated token still answers with its family's live token instead of revoking it. */
  reuseGraceSeconds: number;
  /** Derives each successor from its parent, so a repeat within the grace gets the same one back. */
  successorKey: string;
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
 *
 * Except within a few seconds of its rotation: two tabs of one session refreshing together, or
 * a client whose answer got lost on the way, present the old token again. They get the family's
 * live token back (the same one the first caller got, never a second branch), so the family
 * stays one chain and a thief who replays later still revokes it.
 */
export async function refresh(deps: AuthDeps, refreshToken: string): Promise<TokenPair> {
  const now = deps.clock.now();
  const stored = await findRefreshTokenByHash(deps.db, hashToken(refreshToken));
  if (!stored || stored.revokedAt !== null || stored.expiresAt <= now) {
    throw new AppError('unauthorized', 'Refresh token is invalid or expired');
  }
  const user = await findUserById(deps.db, stored.userId);
  if (!user || user.deactivatedAt !== null) {
    await revokeRefreshTokenFamily(deps.db, stored.familyId, now);
    throw new AppError('unauthorized', 'Account is deactivated');
  }
  const successor = successorOf(deps, refreshToken);
  // The mark and the successor commit together: whoever finds the mark taken also finds the successor.
  const rotated = await deps.db.transaction().execute(async (trx) => {
    if (!(await markRefreshTokenRotated(trx, stored.id, now))) return false;
    await insertRefreshToken(trx, newRefreshRow(deps, user, stored.familyId, successor));
    return true;
  });
  if (rotated) return { accessToken: await signAccess(deps, user), refreshToken: successor };

  const rotatedAt = (await findRefreshTokenByHash(deps.db, hashToken(refreshToken)))?.rotatedAt ?? 0;
  const live = now - rotatedAt <= deps.refreshTokens.reuseGraceSeconds * 1000 && (await liveTip(deps, successor, now));
  if (live) return { accessToken: await signAccess(deps, user), refreshToken: live };
  await revokeRefreshTokenFamily(deps.db, stored.familyId, now);
  throw new AppError('unauthorized', 'Refresh token was already used');
}

/** Rotations a grace repeat may follow: more within the grace means a client refreshing in a loop. */
const MAX_GRACE_HOPS = 4;

/** The family's live token, found by following the derived successors; null if the chain ends or is dead. */
async function liveTip(deps: AuthDeps, token: string, now: number): Promise<string | null> {
  for (let hop = 0; hop < MAX_GRACE_HOPS; hop++) {
    const row = await findRefreshTokenByHash(deps.db, hashToken(token));
    if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
    if (row.rotatedAt === null) return token;
    token = successorOf(deps, token);
  }
  return null;
}
/** Ends the session the token belongs to. Unknown or dead tokens are fine: the goal is met. */
export async function logout(deps: AuthDeps, refreshToken: string): Promise<void> {
  const stored = await findRefreshTokenByHash(deps.db, hashToken(refreshToken));
  if (stored) await revokeRefreshTokenFamily(deps.db, stored.familyId, deps.clock.now());
}

async function issueTokens(deps: AuthDeps, user: UserRow, familyId: string): Promise<TokenPair> {
  const refreshToken = crypto.randomBytes(32).toString('base64url');
  await insertRefreshToken(deps.db, newRefreshRow(deps, user, familyId, refreshToken));
  return { accessToken: await signAccess(deps, user), refreshToken };
}

const signAccess = (deps: AuthDeps, user: UserRow) => deps.accessTokens.sign({ userId: user.id, role: user.role });

function newRefreshRow(deps: AuthDeps, user: UserRow, familyId: string, token: string): RefreshTokenRow {
  const now = deps.clock.now();
  return {
    id: newId(),
    userId: user.id,
    familyId,
    tokenHash: hashToken(token),
    createdAt: now,
    expiresAt: now + deps.refreshTokens.ttlSeconds * 1000,
    rotatedAt: null,
    revokedAt: null,
  };
}

/** As unguessable as a random token to anyone without the key, and the same every time for one parent. */
const successorOf = (deps: AuthDeps, token: string) =>
  crypto.createHmac('sha256', deps.refreshTokens.successorKey).update(token).digest('base64url');

/** Refresh tokens are 256 random bits, so a fast unsalted hash is enough to make a leak useless. */
const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');
