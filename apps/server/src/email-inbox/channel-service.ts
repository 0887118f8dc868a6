import type { CreateEmailChannelBody, EmailChannel, EmailChannelList, UpdateEmailChannelBody } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { EmailChannelRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { fieldConflict, notFound } from '../http/app-error';
import { newId } from '../ids';
import { checkTeamField } from '../teams/team-service';
import {
  deleteChannelRow,
  findChannelRow,
  insertChannelRow,
  listChannelRows,
  updateChannelRow,
} from './email-repository';

/** The workspace's support addresses; `settings.manage` keeps them, each change in the audit log. */

export const presentChannel = (row: EmailChannelRow): EmailChannel => ({
  id: row.id,
  address: row.address,
  name: row.name,
  teamId: row.teamId,
  createdAt: toIso(row.createdAt),
  updatedAt: toIso(row.updatedAt),
});

export async function listChannels(deps: ServiceDeps, ws: Scope): Promise<EmailChannelList> {
  return { items: (await listChannelRows(deps.db, ws)).map(presentChannel) };
}

// Installation-wide: the same answer whether the address is another workspace's or this one's.
const addressTaken = () =>
  fieldConflict([{ in: 'body', path: 'address', message: 'This address already receives mail for a workspace' }]);

export async function createChannel(
  deps: ServiceDeps,
  actor: Actor,
  body: CreateEmailChannelBody,
): Promise<EmailChannel> {
  await checkTeamField(deps.db, actor, body.teamId);
  const at = deps.clock.now();
  const row: EmailChannelRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    address: body.address.trim().toLowerCase(),
    name: body.name ?? null,
    teamId: body.teamId ?? null,
    createdAt: at,
    updatedAt: at,
  };
  try {
    await deps.db.transaction().execute(async (trx) => {
      await insertChannelRow(trx, row);
      await audit(trx, actor, at, 'email_channel.created', row);
    });
  } catch (error) {
    throw isUniqueViolation(error) ? addressTaken() : error;
  }
  return presentChannel(row);
}

export async function updateChannel(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateEmailChannelBody,
): Promise<EmailChannel> {
  const before = await findChannelRow(deps.db, actor, id);
  if (!before) throw notFound('Email channel');
  await checkTeamField(deps.db, actor, body.teamId);
  const at = deps.clock.now();
  const set: Partial<EmailChannelRow> = {
    updatedAt: at,
    ...(body.name !== undefined && { name: body.name }),
    ...(body.teamId !== undefined && { teamId: body.teamId }),
  };
  const after = { ...before, ...set };
  await deps.db.transaction().execute(async (trx) => {
    await updateChannelRow(trx, actor, id, set);
    await audit(trx, actor, at, 'email_channel.updated', after);
  });
  return presentChannel(after);
}

/**
 * Stops receiving mail at the address (a mail to it is refused as unknown). Its tickets stay, and
 * so does their thread history; staff replies to them are no longer mailed.
 */
export async function deleteChannel(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const channel = await findChannelRow(deps.db, actor, id);
  if (!channel) throw notFound('Email channel');
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteChannelRow(trx, actor, id);
    await audit(trx, actor, at, 'email_channel.deleted', channel);
  });
}

const audit = (trx: Db, actor: Actor, at: number, action: string, row: EmailChannelRow) =>
  recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'email_channel',
    entityId: row.id,
    data: { address: row.address, name: row.name, teamId: row.teamId },
  });
