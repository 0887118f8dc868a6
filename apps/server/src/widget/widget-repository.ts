import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { ChatWidgetRow, WidgetGuestRow } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';

export const listWidgetRows = (db: Db, ws: Scope): Promise<ChatWidgetRow[]> =>
  db.selectFrom('chatWidgets').selectAll().where('workspaceId', '=', ws.workspaceId).orderBy('name').execute();

export const findWidgetRow = (db: Db, ws: Scope, id: string): Promise<ChatWidgetRow | undefined> =>
  db
    .selectFrom('chatWidgets')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

/** The widget a visitor's page names by its public key, in whichever workspace. */
export const findWidgetByKey = (db: Db, key: string): Promise<ChatWidgetRow | undefined> =>
  acrossWorkspaces(db).selectFrom('chatWidgets').selectAll().where('key', '=', key).executeTakeFirst();

export const insertWidgetRow = (db: Db, row: ChatWidgetRow) => db.insertInto('chatWidgets').values(row).execute();

export const updateWidgetRow = (db: Db, ws: Scope, id: string, set: Partial<ChatWidgetRow>) =>
  db.updateTable('chatWidgets').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();

export const deleteWidgetRow = (db: Db, ws: Scope, id: string) =>
  db.deleteFrom('chatWidgets').where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();

export const findGuest = (db: Db, ws: Scope, userId: string): Promise<WidgetGuestRow | undefined> =>
  db
    .selectFrom('widgetGuests')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .executeTakeFirst();

export const findGuestByExternalId = (
  db: Db,
  ws: Scope,
  widgetId: string,
  externalId: string,
): Promise<WidgetGuestRow | undefined> =>
  db
    .selectFrom('widgetGuests')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('widgetId', '=', widgetId)
    .where('externalId', '=', externalId)
    .executeTakeFirst();

export const insertGuest = (db: Db, row: WidgetGuestRow) => db.insertInto('widgetGuests').values(row).execute();

export const updateGuest = (db: Db, ws: Scope, userId: string, set: Partial<WidgetGuestRow>) =>
  db
    .updateTable('widgetGuests')
    .set(set)
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .execute();

/**
 * Claims `clientMsgId` as the one that opened the guest's newest chat; false when it already
 * did (a repeat of the same first message).
 */
export async function claimFirstMessage(db: Db, ws: Scope, userId: string, clientMsgId: string, ticketId: string) {
  const result = await db
    .updateTable('widgetGuests')
    .set({ lastClientMsgId: clientMsgId, lastTicketId: ticketId })
    .where('workspaceId', '=', ws.workspaceId)
    .where('userId', '=', userId)
    .where((eb) => eb.or([eb('lastClientMsgId', 'is', null), eb('lastClientMsgId', '!=', clientMsgId)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
