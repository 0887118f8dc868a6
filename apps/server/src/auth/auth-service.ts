import crypto from 'node:crypto';
import type { JoinBody, LoginBody, RegisterBody, Session, SwitchWorkspaceBody, TokenPair } from '@parley/protocol';
import type { LoginThrottle } from '../abuse/login-throttle';
import type { Clock } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import { acrossWorkspaces } from '../db/workspace-scope-check';
import type { RefreshTokenRow, UserRow } from '../db/schema';
import { AppError, fieldConflict } from '../http/app-error';
import { newId } from '../ids';
import { takeInviteUse } from '../invites/invite-repository';
import { inviteNotUsable, usableInvite } from '../invites/invite-service';
import {
  claimFirstAdmin,
  findUserByEmail,
  findUserByUsernameKey,
  hasAnyUser,
  insertUser,
} from '../users/user-repository';
import { presentMe } from '../users/user-presenter';
import { builtInRoleId, findMember, loadActor } from '../workspaces/member-repository';
import {
  findDefaultWorkspace,
  findWorkspace,
  findWorkspaceBySlug,
  insertMember,
} from '../workspaces/workspace-repository';
import type { AccessTokens } from './access-tokens';
import type { Actor } from './actor';
import { burnPasswordCheck, hashPassword, verifyPassword } from './password-hasher';
import {
  findRefreshTokenByHash,
  insertRefreshToken,
  lastSignedInWorkspace,
  markRefreshTokenRotated,
  revokeRefreshTokenFamily,
} from './refresh-token-repository';
import { insertSession, touchSession } from './session-repository';

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

/**
 * Creates the account, makes it a member of the workspace it names (one open to sign-up) or of
 * the installation's default workspace, and signs it in there. The very first account of an
 * installation is the default workspace's admin.
 */
export async function register(deps: AuthDeps, body: RegisterBody, client: ClientInfo = {}): Promise<Session> {
  const email = normalizeEmail(body.email);
  const invited = body.invite ? await usableInvite(deps, body.invite) : undefined;
  const workspace =
    invited?.workspace ??
    (body.workspace ? await findWorkspaceBySlug(deps.db, body.workspace) : await findDefaultWorkspace(deps.db));
  if (!workspace || workspace.suspendedAt !== null || (body.workspace && !invited && workspace.openSignup !== 1)) {
    // The same answer for a workspace that does not exist and one that takes invited people only.
    throw new AppError('not_found', 'No workspace to sign up to by that name');
  }
  await assertIdentityFree(deps.db, email, body.username);
  const passwordHash = await hashPassword(body.password);
  const now = deps.clock.now();
  const create = () =>
    deps.db.transaction().execute(async (trx) => {
      const id = newId();
      const ws = { workspaceId: workspace.id };
      // The invite's use first: it is the row concurrent sign-ups wait on, and it rolls back with the rest.
      if (invited && !(await takeInviteUse(trx, invited.invite, now))) throw inviteNotUsable();
      const first = !invited && !(await hasAnyUser(trx));
      // Concurrent first registrations all see no users; only one can take the claim.
      if (first) await claimFirstAdmin(trx, id, now);
      const user = await insertUser(trx, {
        id,
        email,
        username: body.username,
        usernameKey: usernameKey(body.username),
        displayName: body.displayName ?? body.username,
        passwordHash,
        createdAt: now,
        updatedAt: now,
      });
      const roleId = invited?.invite.roleId ?? (await builtInRoleId(trx, ws, first ? 'admin' : 'customer'));
      await insertMember(trx, ws, id, roleId, now);
      return user;
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
  return startSession(deps, user.id, workspace.id, client);
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

/** The account a sign-in names: by email when the text has an `@`, else by username. */
export const findUserByLogin = (db: Db, login: string): Promise<UserRow | undefined> =>
  login.includes('@') ? findUserByEmail(db, normalizeEmail(login)) : findUserByUsernameKey(db, usernameKey(login));

export async function login(deps: AuthDeps, body: LoginBody, from: ClientInfo & { ip: string }): Promise<Session> {
  const user = await findUserByLogin(deps.db, body.login);
  const attempt = { account: user?.id ?? `unknown:${body.login.toLowerCase()}`, ip: from.ip };
  // Counted as a failure from here on, unless the password turns out right.
  await deps.loginThrottle.admit(attempt);
  if (!user) {
    await burnPasswordCheck(body.password);
    throw badLogin();
  }
  const passwordOk = await verifyPassword(user.passwordHash, body.password);
  if (!passwordOk || user.deactivatedAt !== null) throw badLogin();
  const workspaceId = body.workspace
    ? (await findWorkspaceBySlug(deps.db, body.workspace))?.id
    : ((await lastSignedInWorkspace(deps.db, user.id)) ?? (await firstMembership(deps.db, user.id)));
  // Not a member there, or not an active one: the same answer as a wrong password.
  if (!workspaceId || !(await loadActor(deps.db, { workspaceId }, user.id))) throw badLogin();
  await deps.loginThrottle.succeeded(attempt);
  return startSession(deps, user.id, workspaceId, from);
}

/**
 * The same person, signed in to another of their workspaces: a new session there (the one in
 * the current workspace goes on, so each tab or device may stay where it is).
 */
export async function switchWorkspace(
  deps: AuthDeps,
  actor: Actor,
  body: SwitchWorkspaceBody,
  client: ClientInfo = {},
): Promise<Session> {
  // Not a member, deactivated there, or suspended: as if it did not exist.
  if (!(await loadActor(deps.db, body, actor.id))) throw new AppError('not_found', 'Workspace not found');
  return startSession(deps, actor.id, body.workspaceId, client);
}

/**
 * A signed-in person joins the invite's workspace with its role and gets a session there (the
 * current one goes on). Already an active member there: just the session, the invite unused.
 * A membership that workspace closed is not reopened by an invite: the same 404 as a bad one.
 */
export async function joinWithInvite(
  deps: AuthDeps,
  actor: Actor,
  body: JoinBody,
  client: ClientInfo = {},
): Promise<Session> {
  const { invite, workspace } = await usableInvite(deps, body.invite);
  const ws = { workspaceId: workspace.id };
  const existing = await findMember(deps.db, ws, actor.id);
  if (existing) {
    if (existing.deactivatedAt !== null) throw inviteNotUsable();
    return startSession(deps, actor.id, workspace.id, client);
  }
  const now = deps.clock.now();
  try {
    await deps.db.transaction().execute(async (trx) => {
      if (!(await takeInviteUse(trx, invite, now))) throw inviteNotUsable();
      await insertMember(trx, ws, actor.id, invite.roleId, now);
    });
  } catch (error) {
    // The same person joining twice at once: the other request made the membership.
    if (!isUniqueViolation(error)) throw error;
  }
  return startSession(deps, actor.id, workspace.id, client);
}

export async function firstMembership(db: Db, userId: string): Promise<string | undefined> {
  // The person's memberships in every workspace: this is how a sign-in finds one.
  const row = await acrossWorkspaces(db)
    .selectFrom('workspaceMembers')
    .select('workspaceId')
    .where('userId', '=', userId)
    .where('deactivatedAt', 'is', null)
    .orderBy('createdAt')
    .limit(1)
    .executeTakeFirst();
  return row?.workspaceId;
}

/** What a sign-in says about the device, shown in the person's sessions list. */
export interface ClientInfo {
  userAgent?: string | undefined;
}

/** A new session (refresh-token family) of the person in the workspace. */
async function startSession(deps: AuthDeps, userId: string, workspaceId: string, client: ClientInfo): Promise<Session> {
  const [member, workspace, actor] = await Promise.all([
    findMember(deps.db, { workspaceId }, userId),
    findWorkspace(deps.db, workspaceId),
    loadActor(deps.db, { workspaceId }, userId),
  ]);
  if (!member || !workspace || !actor) throw new AppError('unauthorized', 'Account is not active');
  return { user: presentMe(member, actor, workspace), ...(await issueTokens(deps, userId, workspaceId, client)) };
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
  const actor = await loadActor(deps.db, stored, stored.userId);
  if (!actor) {
    await revokeRefreshTokenFamily(deps.db, stored.familyId, now);
    throw new AppError('unauthorized', 'Account is deactivated');
  }
  const successor = successorOf(deps, refreshToken);
  // The mark and the successor commit together: whoever finds the mark taken also finds the successor.
  const rotated = await deps.db.transaction().execute(async (trx) => {
    if (!(await markRefreshTokenRotated(trx, stored.id, now))) return false;
    await insertRefreshToken(trx, newRefreshRow(deps, stored, stored.familyId, successor));
    await touchSession(trx, stored.familyId, now);
    return true;
  });
  if (rotated) return { accessToken: await signAccess(deps, stored), refreshToken: successor };

  const rotatedAt = (await findRefreshTokenByHash(deps.db, hashToken(refreshToken)))?.rotatedAt ?? 0;
  const live = now - rotatedAt <= deps.refreshTokens.reuseGraceSeconds * 1000 && (await liveTip(deps, successor, now));
  if (live) return { accessToken: await signAccess(deps, stored), refreshToken: live };
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

interface SessionOf {
  userId: string;
  workspaceId: string;
  familyId: string;
}

/** Longest user agent kept: enough to tell browsers and apps apart. */
const USER_AGENT_CHARS = 255;

async function issueTokens(
  deps: AuthDeps,
  userId: string,
  workspaceId: string,
  client: ClientInfo,
): Promise<TokenPair> {
  const refreshToken = crypto.randomBytes(32).toString('base64url');
  const familyId = newId();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await insertRefreshToken(trx, newRefreshRow(deps, { userId, workspaceId }, familyId, refreshToken));
    await insertSession(trx, {
      id: familyId,
      workspaceId,
      userId,
      userAgent: client.userAgent?.slice(0, USER_AGENT_CHARS) || null,
      createdAt: now,
      lastUsedAt: now,
    });
  });
  return { accessToken: await signAccess(deps, { userId, workspaceId, familyId }), refreshToken };
}

const signAccess = (deps: AuthDeps, session: SessionOf) =>
  deps.accessTokens.sign({ userId: session.userId, workspaceId: session.workspaceId, sessionId: session.familyId });

function newRefreshRow(
  deps: AuthDeps,
  session: Omit<SessionOf, 'familyId'>,
  familyId: string,
  token: string,
): RefreshTokenRow {
  const now = deps.clock.now();
  return {
    id: newId(),
    userId: session.userId,
    workspaceId: session.workspaceId,
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
