import crypto from 'node:crypto';
import type { ApiToken, ApiTokenList, ApiTokenScope, CreateApiTokenBody, CreatedApiToken } from '@parley/protocol';
import type { AccessTokens } from '../auth/access-tokens';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso, type Clock } from '../clock';
import type { Db } from '../db/connect';
import type { ServiceDeps } from '../deps';
import { AppError, notFound } from '../http/app-error';
import { newId } from '../ids';
import {
  findTokenByHash,
  insertApiTokenRow,
  listLiveTokenRows,
  revokeTokenRow,
  touchTokenRow,
  type ApiTokenRow,
} from './api-token-repository';

/** Every API token's secret starts so: a bearer token of this form is looked up, not verified as a JWT. */
export const API_TOKEN_PREFIX = 'pat_';
/** Live tokens one person may have in a workspace. */
export const MAX_TOKENS = 50;
const DAY = 24 * 3600_000;
/** `last_used_at` is written at most this often per token: a busy script is not a write per request. */
const TOUCH_EVERY_MS = 60_000;

const hashOf = (secret: string) => crypto.createHash('sha256').update(secret).digest('hex');

export const presentApiToken = (row: ApiTokenRow): ApiToken => ({
  id: row.id,
  name: row.name,
  scopes: JSON.parse(row.scopes) as ApiTokenScope[],
  prefix: `${row.prefix}…`,
  createdAt: toIso(Number(row.createdAt)),
  expiresAt: toIso(Number(row.expiresAt)),
  lastUsedAt: row.lastUsedAt === null ? null : toIso(Number(row.lastUsedAt)),
});

/** `ownerId`: whose tokens (the actor's own, or a bot's that an admin manages). */
export async function listApiTokens(deps: ServiceDeps, actor: Actor, ownerId = actor.id): Promise<ApiTokenList> {
  return { items: (await listLiveTokenRows(deps.db, actor, ownerId, deps.clock.now())).map(presentApiToken) };
}

export async function createApiToken(
  deps: ServiceDeps,
  actor: Actor,
  body: CreateApiTokenBody,
  ownerId = actor.id,
): Promise<CreatedApiToken> {
  const at = deps.clock.now();
  if ((await listLiveTokenRows(deps.db, actor, ownerId, at)).length >= MAX_TOKENS) {
    throw new AppError('conflict', `At most ${MAX_TOKENS} tokens: revoke one first`);
  }
  const secret = `${API_TOKEN_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
  const row: ApiTokenRow = {
    workspaceId: actor.workspaceId,
    id: newId(),
    userId: ownerId,
    name: body.name,
    secretHash: hashOf(secret),
    prefix: secret.slice(0, 10),
    scopes: JSON.stringify([...new Set(body.scopes)].sort()),
    createdAt: at,
    expiresAt: at + (body.expiresInDays ?? 90) * DAY,
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertApiTokenRow(trx, row);
    await audit(trx, actor, at, 'api_token.created', row);
  });
  return { token: presentApiToken(row), secret };
}

export async function revokeApiToken(deps: ServiceDeps, actor: Actor, id: string, ownerId = actor.id): Promise<void> {
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await revokeTokenRow(trx, actor, ownerId, id, at))) throw notFound('API token');
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: id,
      data: {},
    });
  });
  // Sockets opened with it must go too: the owner's sockets sign in again, and the token's cannot.
  deps.events.publish({ workspaceId: actor.workspaceId, type: 'access.changed', userId: ownerId });
}

const audit = (trx: Db, actor: Actor, at: number, action: string, row: ApiTokenRow) =>
  recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'api_token',
    entityId: row.id,
    data: { name: row.name, scopes: JSON.parse(row.scopes) as string[], expiresAt: toIso(row.expiresAt) },
  });

/**
 * Access tokens that also take API tokens: a `pat_…` bearer is looked up by its hash on every
 * use (a revoked or expired one stops at once) and acts as its owner within its scopes; anything
 * else is verified as before.
 */
export function acceptingApiTokens(jwt: AccessTokens, deps: { db: Db; clock: Clock }): AccessTokens {
  return {
    sign: (claims) => jwt.sign(claims),
    async verify(token) {
      if (!token.startsWith(API_TOKEN_PREFIX)) return jwt.verify(token);
      const row = await findTokenByHash(deps.db, hashOf(token));
      const now = deps.clock.now();
      if (!row || row.revokedAt !== null) throw new AppError('unauthorized', 'Invalid API token');
      if (Number(row.expiresAt) <= now) throw new AppError('unauthorized', 'API token expired');
      if (row.lastUsedAt === null || Number(row.lastUsedAt) <= now - TOUCH_EVERY_MS) {
        // Best effort: a request is not refused because its token's last use could not be noted.
        touchTokenRow(deps.db, row, row.id, now).catch(() => undefined);
      }
      return {
        userId: row.userId,
        workspaceId: row.workspaceId,
        expiresAt: Number(row.expiresAt),
        apiToken: { id: row.id, scopes: new Set(JSON.parse(row.scopes) as ApiTokenScope[]) },
      };
    },
  };
}
