import type { Actor, Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import type { CustomerNotesTable } from '../db/schema';
import { visibleTicketsFilter } from '../tickets/ticket-policy';

/** The person as the context header shows them: account, and since when a member here. */
export const findCustomer = (db: Db, ws: Scope, userId: string) =>
  db
    .selectFrom('workspaceMembers as wm')
    .innerJoin('users', 'users.id', 'wm.userId')
    .where('wm.workspaceId', '=', ws.workspaceId)
    .where('wm.userId', '=', userId)
    .select(['users.id', 'users.displayName', 'users.email', 'wm.createdAt as since'])
    .executeTakeFirst();

/** Their tickets the actor may see (the ticket policy's rule), most recently active first. */
export const listTicketsOfRequester = (
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  requesterId: string,
  excludeTicketId: string | undefined,
  limit: number,
) => {
  let query = db
    .selectFrom('tickets')
    .where('tickets.workspaceId', '=', actor.workspaceId)
    .where('tickets.requesterId', '=', requesterId)
    .where(visibleTicketsFilter(actor, actorTeamIds));
  if (excludeTicketId) query = query.where('tickets.id', '!=', excludeTicketId);
  return query
    .select([
      'tickets.id',
      'tickets.subject',
      'tickets.status',
      'tickets.priority',
      'tickets.conversationId',
      'tickets.createdAt',
      'tickets.updatedAt',
    ])
    .orderBy('tickets.updatedAt', 'desc')
    .orderBy('tickets.id', 'desc')
    .limit(limit)
    .execute();
};

/** Notes about a customer with their author's name, newest first. */
export const listNotes = (db: Db, ws: Scope, customerId: string) =>
  db
    .selectFrom('customerNotes as n')
    .leftJoin('users', 'users.id', 'n.authorId')
    .where('n.workspaceId', '=', ws.workspaceId)
    .where('n.customerId', '=', customerId)
    .select([
      'n.id',
      'n.customerId',
      'n.authorId',
      'users.displayName as authorName',
      'n.body',
      'n.createdAt',
      'n.updatedAt',
    ])
    .orderBy('n.createdAt', 'desc')
    .orderBy('n.id', 'desc')
    .execute();

export type NoteWithAuthor = Awaited<ReturnType<typeof listNotes>>[number];

export const findNote = (db: Db, ws: Scope, customerId: string, noteId: string) =>
  db
    .selectFrom('customerNotes as n')
    .leftJoin('users', 'users.id', 'n.authorId')
    .where('n.workspaceId', '=', ws.workspaceId)
    .where('n.customerId', '=', customerId)
    .where('n.id', '=', noteId)
    .select([
      'n.id',
      'n.customerId',
      'n.authorId',
      'users.displayName as authorName',
      'n.body',
      'n.createdAt',
      'n.updatedAt',
    ])
    .executeTakeFirst();

export const insertNote = (db: Db, note: CustomerNotesTable) => db.insertInto('customerNotes').values(note).execute();

export const updateNoteBody = (db: Db, ws: Scope, noteId: string, body: string, at: number) =>
  db
    .updateTable('customerNotes')
    .set({ body, updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', noteId)
    .execute();

export const deleteNoteRow = (db: Db, ws: Scope, noteId: string) =>
  db.deleteFrom('customerNotes').where('workspaceId', '=', ws.workspaceId).where('id', '=', noteId).execute();
