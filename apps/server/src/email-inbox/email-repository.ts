import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { EmailChannelRow, EmailMessageRow } from '../db/schema';
import { acrossWorkspaces } from '../db/workspace-scope-check';

/** The workspace's support addresses, by address. */
export const listChannelRows = (db: Db, ws: Scope): Promise<EmailChannelRow[]> =>
  db.selectFrom('emailChannels').selectAll().where('workspaceId', '=', ws.workspaceId).orderBy('address').execute();

export const findChannelRow = (db: Db, ws: Scope, id: string): Promise<EmailChannelRow | undefined> =>
  db
    .selectFrom('emailChannels')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

/** The channel mail to this address (lower-case, no plus part) arrives at, in whichever workspace. */
export const findChannelByAddress = (db: Db, address: string): Promise<EmailChannelRow | undefined> =>
  acrossWorkspaces(db).selectFrom('emailChannels').selectAll().where('address', '=', address).executeTakeFirst();

export const insertChannelRow = (db: Db, row: EmailChannelRow) => db.insertInto('emailChannels').values(row).execute();

export const updateChannelRow = (db: Db, ws: Scope, id: string, set: Partial<EmailChannelRow>) =>
  db.updateTable('emailChannels').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id).execute();

export const deleteChannelRow = (db: Db, ws: Scope, id: string) =>
  db.deleteFrom('emailChannels').where('workspaceId', '=', ws.workspaceId).where('id', '=', id).executeTakeFirst();

export const insertEmailMessage = (db: Db, row: EmailMessageRow) =>
  db.insertInto('emailMessages').values(row).execute();

export const findEmailMessage = (db: Db, ws: Scope, headerHash: string): Promise<EmailMessageRow | undefined> =>
  db
    .selectFrom('emailMessages')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('headerHash', '=', headerHash)
    .executeTakeFirst();

/** The newest mail of the workspace among these Message-IDs (hashed): the thread a reply answers. */
export const findNewestByHeaders = (db: Db, ws: Scope, hashes: string[]): Promise<EmailMessageRow | undefined> =>
  hashes.length === 0
    ? Promise.resolve(undefined)
    : db
        .selectFrom('emailMessages')
        .selectAll()
        .where('workspaceId', '=', ws.workspaceId)
        .where('headerHash', 'in', hashes)
        .orderBy('createdAt', 'desc')
        .limit(1)
        .executeTakeFirst();

/** The conversation's mails, newest first, at most `limit`: what a reply's References carry. */
export const listThreadMails = (db: Db, ws: Scope, conversationId: string, limit: number): Promise<EmailMessageRow[]> =>
  db
    .selectFrom('emailMessages')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('conversationId', '=', conversationId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();

/** How many mails this sender sent to the workspace since `since`. */
export async function countMailsFrom(db: Db, ws: Scope, fromAddress: string, since: number): Promise<number> {
  const row = await db
    .selectFrom('emailMessages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('workspaceId', '=', ws.workspaceId)
    .where('fromAddress', '=', fromAddress)
    .where('createdAt', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The files of a message, where they are stored: what a reply mail attaches. */
export const listMessageFiles = (db: Db, ws: Scope, messageId: string) =>
  db
    .selectFrom('attachments')
    .select(['storageKey', 'fileName', 'contentType', 'sizeBytes'])
    .where('workspaceId', '=', ws.workspaceId)
    .where('messageId', '=', messageId)
    .orderBy('id')
    .execute();
