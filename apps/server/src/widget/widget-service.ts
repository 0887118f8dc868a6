import { randomBytes } from 'node:crypto';
import type { ChatWidget, ChatWidgetList, CreateChatWidgetBody, UpdateChatWidgetBody } from '@parley/protocol';
import type { Actor, Scope } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { Db } from '../db/connect';
import type { ChatWidgetRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { notFound } from '../http/app-error';
import { newId } from '../ids';
import { checkTeamField } from '../teams/team-service';
import { deleteWidgetRow, findWidgetRow, insertWidgetRow, listWidgetRows, updateWidgetRow } from './widget-repository';

/** The workspace's chat widgets; `settings.manage` keeps them, each change in the audit log. */

export const originsOf = (row: Pick<ChatWidgetRow, 'allowedOrigins'>): string[] =>
  JSON.parse(row.allowedOrigins) as string[];

export const presentWidget = (row: ChatWidgetRow): ChatWidget => ({
  id: row.id,
  name: row.name,
  key: row.key,
  allowedOrigins: originsOf(row),
  teamId: row.teamId,
  greeting: row.greeting,
  identitySecret: row.identitySecret,
  createdAt: toIso(row.createdAt),
  updatedAt: toIso(row.updatedAt),
});

const newSecret = () => randomBytes(32).toString('hex');

export async function listWidgets(deps: ServiceDeps, ws: Scope): Promise<ChatWidgetList> {
  return { items: (await listWidgetRows(deps.db, ws)).map(presentWidget) };
}

export async function createWidget(deps: ServiceDeps, actor: Actor, body: CreateChatWidgetBody): Promise<ChatWidget> {
  await checkTeamField(deps.db, actor, body.teamId);
  const at = deps.clock.now();
  const row: ChatWidgetRow = {
    id: newId(),
    workspaceId: actor.workspaceId,
    key: `wk_${randomBytes(12).toString('base64url')}`,
    name: body.name,
    allowedOrigins: JSON.stringify([...new Set(body.allowedOrigins)]),
    teamId: body.teamId ?? null,
    greeting: body.greeting ?? null,
    identitySecret: newSecret(),
    createdAt: at,
    updatedAt: at,
  };
  await deps.db.transaction().execute(async (trx) => {
    await insertWidgetRow(trx, row);
    await audit(trx, actor, at, 'chat_widget.created', row);
  });
  return presentWidget(row);
}

export async function updateWidget(
  deps: ServiceDeps,
  actor: Actor,
  id: string,
  body: UpdateChatWidgetBody,
): Promise<ChatWidget> {
  const before = await findWidgetRow(deps.db, actor, id);
  if (!before) throw notFound('Chat widget');
  await checkTeamField(deps.db, actor, body.teamId);
  const at = deps.clock.now();
  const set: Partial<ChatWidgetRow> = {
    updatedAt: at,
    ...(body.name !== undefined && { name: body.name }),
    ...(body.allowedOrigins !== undefined && { allowedOrigins: JSON.stringify([...new Set(body.allowedOrigins)]) }),
    ...(body.teamId !== undefined && { teamId: body.teamId }),
    ...(body.greeting !== undefined && { greeting: body.greeting }),
    ...(body.rotateIdentitySecret && { identitySecret: newSecret() }),
  };
  const after = { ...before, ...set };
  await deps.db.transaction().execute(async (trx) => {
    await updateWidgetRow(trx, actor, id, set);
    await audit(trx, actor, at, 'chat_widget.updated', after);
  });
  return presentWidget(after);
}

/** The bubble disappears from the sites (its frame is a 404); its chats stay as tickets. */
export async function deleteWidget(deps: ServiceDeps, actor: Actor, id: string): Promise<void> {
  const widget = await findWidgetRow(deps.db, actor, id);
  if (!widget) throw notFound('Chat widget');
  const at = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    await deleteWidgetRow(trx, actor, id);
    await audit(trx, actor, at, 'chat_widget.deleted', widget);
  });
}

const audit = (trx: Db, actor: Actor, at: number, action: string, row: ChatWidgetRow) =>
  recordAudit(trx, actor, at, {
    actorId: actor.id,
    action,
    entityType: 'chat_widget',
    entityId: row.id,
    data: { name: row.name, allowedOrigins: originsOf(row), teamId: row.teamId },
  });
