import type { LabelChip } from '@parley/protocol';
import { sql, type ExpressionBuilder } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { Database, LabelRow } from '../db/schema';

/** The workspace's labels, by name. */
export const listLabelRows = (db: Db, ws: Scope): Promise<LabelRow[]> =>
  db.selectFrom('labels').selectAll().where('workspaceId', '=', ws.workspaceId).orderBy('nameKey').execute();

export const findLabelRow = (db: Db, ws: Scope, id: string): Promise<LabelRow | undefined> =>
  db.selectFrom('labels').selectAll().where('workspaceId', '=', ws.workspaceId).where('id', '=', id).executeTakeFirst();

export const findLabelRows = (db: Db, ws: Scope, ids: readonly string[]): Promise<LabelRow[]> =>
  ids.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('labels')
        .selectAll()
        .where('workspaceId', '=', ws.workspaceId)
        .where('id', 'in', [...ids])
        .execute();

export const insertLabelRow = (db: Db, row: LabelRow) => db.insertInto('labels').values(row).execute();

export const updateLabelRow = (db: Db, ws: Scope, id: string, set: Partial<LabelRow>) =>
  db.updateTable('labels').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();

/** Deletes the label and takes it off every ticket and conversation; answers the conversations it was on. */
export async function deleteLabelRow(trx: Db, ws: Scope, id: string): Promise<string[]> {
  const on = await trx
    .selectFrom('conversationLabels')
    .select('conversationId')
    .where('workspaceId', '=', ws.workspaceId)
    .where('labelId', '=', id)
    .execute();
  await trx
    .deleteFrom('conversationLabels')
    .where('workspaceId', '=', ws.workspaceId)
    .where('labelId', '=', id)
    .execute();
  await trx.deleteFrom('labels').where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();
  const conversationIds = on.map((r) => r.conversationId);
  await syncTicketLabelIds(trx, ws, conversationIds);
  return conversationIds;
}

/**
 * Copies the labels of these conversations onto their tickets' `label_ids` (reports group by it),
 * one UPDATE per distinct set of labels. A conversation without a ticket changes nothing.
 */
async function syncTicketLabelIds(trx: Db, ws: Scope, conversationIds: readonly string[]): Promise<void> {
  for (let i = 0; i < conversationIds.length; i += 1000) {
    const chunk = conversationIds.slice(i, i + 1000);
    const rows = await trx
      .selectFrom('conversationLabels')
      .select(['conversationId', 'labelId'])
      .where('workspaceId', '=', ws.workspaceId)
      .where('conversationId', 'in', chunk)
      .execute();
    const labelsOf = new Map<string, string[]>(chunk.map((id) => [id, []]));
    for (const row of rows) labelsOf.get(row.conversationId)!.push(row.labelId);
    const conversationsOf = new Map<string | null, string[]>();
    for (const [conversationId, labels] of labelsOf) {
      const ids = labels.length === 0 ? null : JSON.stringify(labels.sort());
      const same = conversationsOf.get(ids);
      if (same) same.push(conversationId);
      else conversationsOf.set(ids, [conversationId]);
    }
    for (const [labelIds, ids] of conversationsOf) {
      await trx
        .updateTable('tickets')
        .set({ labelIds })
        .where('workspaceId', '=', ws.workspaceId)
        .where('conversationId', 'in', ids)
        .execute();
    }
  }
}

/** Where an outer query's rows keep their workspace and their conversation (a ticket's thread). */
const LABELLED = {
  tickets: ['tickets.workspaceId', 'tickets.conversationId'],
  conversations: ['conversations.workspaceId', 'conversations.id'],
} as const;

/** "This row of `tickets` or `conversations` has the label": an EXISTS by the key of `conversation_labels`. */
export function hasLabel(
  // Any outer query's builder: the correlation is by the names in LABELLED.
  eb: ExpressionBuilder<Database, 'tickets'>,
  table: keyof typeof LABELLED,
  labelId: string,
) {
  const [workspaceId, conversationId] = LABELLED[table];
  return eb.exists(
    eb
      .selectFrom('conversationLabels as cl')
      .select('cl.labelId')
      .where('cl.workspaceId', '=', sql.ref<string>(workspaceId))
      .where('cl.conversationId', '=', sql.ref<string>(conversationId))
      .where('cl.labelId', '=', labelId),
  );
}

/** The labels of each conversation (a ticket's are on its thread), by name, in one query. */
export async function labelsOfConversations(
  db: Db,
  ws: Scope,
  conversationIds: readonly string[],
): Promise<Map<string, LabelChip[]>> {
  const byConversation = new Map<string, LabelChip[]>(conversationIds.map((id) => [id, []]));
  if (conversationIds.length === 0) return byConversation;
  const rows = await db
    .selectFrom('conversationLabels as cl')
    .innerJoin('labels', (join) =>
      join.onRef('labels.id', '=', 'cl.labelId').on('labels.workspaceId', '=', ws.workspaceId),
    )
    .select(['cl.conversationId', 'labels.id', 'labels.name', 'labels.colour'])
    .where('cl.workspaceId', '=', ws.workspaceId)
    .where('cl.conversationId', 'in', [...new Set(conversationIds)])
    .orderBy('labels.nameKey')
    .execute();
  for (const { conversationId, ...chip } of rows) byConversation.get(conversationId)?.push(chip);
  return byConversation;
}

/** Puts labels on a conversation and takes others off (the caller checked they exist). */
export async function changeConversationLabels(
  trx: Db,
  ws: Scope,
  conversationId: string,
  add: readonly string[],
  remove: readonly string[],
  at: number,
): Promise<void> {
  if (add.length > 0) {
    await trx
      .insertInto('conversationLabels')
      .values(add.map((labelId) => ({ workspaceId: ws.workspaceId, conversationId, labelId, createdAt: at })))
      .execute();
  }
  if (remove.length > 0) {
    await trx
      .deleteFrom('conversationLabels')
      .where('workspaceId', '=', ws.workspaceId)
      .where('conversationId', '=', conversationId)
      .where('labelId', 'in', [...remove])
      .execute();
  }
  await syncTicketLabelIds(trx, ws, [conversationId]);
}
