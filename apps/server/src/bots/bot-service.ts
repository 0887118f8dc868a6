import type {
  ApiTokenList,
  BotList,
  CreateApiTokenBody,
  CreateBotBody,
  CreatedApiToken,
  PublicUser,
} from '@parley/protocol';
import { createApiToken, listApiTokens, revokeApiToken } from '../api-tokens/api-token-service';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { isUniqueViolation } from '../db/constraint-errors';
import type { ServiceDeps } from '../deps';
import { AppError, fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { findRole } from '../roles/role-repository';
import { unusablePasswordHash } from '../tickets/ticket-on-behalf';
import { insertUser } from '../users/user-repository';
import { presentPublicUser } from '../users/user-presenter';
import { builtInRoleId, findMember, selectMembers } from '../workspaces/member-repository';
import { insertMember } from '../workspaces/workspace-repository';

/** A workspace's bot accounts; `people.manage` makes them and their tokens. */

export async function listBots(deps: ServiceDeps, actor: Actor): Promise<BotList> {
  const rows = await selectMembers(deps.db, actor)
    .where('users.bot', '=', 1)
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null)
    .orderBy('users.displayName')
    .execute();
  return { items: rows.map(presentPublicUser) };
}

export async function createBot(deps: ServiceDeps, actor: Actor, body: CreateBotBody): Promise<PublicUser> {
  if (body.roleId !== undefined && !(await findRole(deps.db, actor, body.roleId))) {
    throw new AppError('validation_failed', 'No such role', {
      fields: [{ in: 'body', path: 'roleId', reason: 'invalid', message: 'No such role in this workspace' }],
    });
  }
  const at = deps.clock.now();
  const id = newId();
  const passwordHash = await unusablePasswordHash();
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertUser(trx, {
        id,
        // Not an address anyone reads (.invalid, RFC 2606): a bot is never mailed or found by it.
        email: `bot-${id.toLowerCase()}@bots.invalid`,
        username: body.username,
        usernameKey: body.username.toLowerCase(),
        displayName: body.displayName,
        passwordHash,
        createdAt: at,
        updatedAt: at,
        bot: 1,
      });
      await insertMember(trx, actor, id, body.roleId ?? (await builtInRoleId(trx, actor, 'agent')), at);
      await recordAudit(trx, actor, at, {
        actorId: actor.id,
        action: 'bot.created',
        entityType: 'user',
        entityId: id,
        data: { username: body.username, displayName: body.displayName },
      });
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw fieldConflict([{ in: 'body', path: 'username', message: 'Username is taken' }]);
  }
  return presentPublicUser((await findMember(deps.db, actor, id))!);
}

/** The bot `id` of the actor's workspace, active: whose tokens an admin may manage. */
async function botOf(deps: ServiceDeps, actor: Actor, id: string): Promise<string> {
  const member = await findMember(deps.db, actor, id);
  if (!member || Number(member.bot) !== 1 || member.deactivatedAt !== null) throw notFound('Bot');
  return member.id;
}

export const listBotTokens = async (deps: ServiceDeps, actor: Actor, botId: string): Promise<ApiTokenList> =>
  listApiTokens(deps, actor, await botOf(deps, actor, botId));

export const createBotToken = async (
  deps: ServiceDeps,
  actor: Actor,
  botId: string,
  body: CreateApiTokenBody,
): Promise<CreatedApiToken> => createApiToken(deps, actor, body, await botOf(deps, actor, botId));

export const revokeBotToken = async (deps: ServiceDeps, actor: Actor, botId: string, tokenId: string) =>
  revokeApiToken(deps, actor, tokenId, await botOf(deps, actor, botId));
