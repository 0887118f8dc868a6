import type { TicketListQuery } from '@parley/protocol';
import type { ExpressionBuilder } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Db } from '../db/connect';
import type { Database, TicketRow } from '../db/schema';
import { containsText } from '../db/text-match';
import type { CursorKey } from '../http/cursor';
import { visibleTicketsFilter } from './ticket-policy';

/** A new ticket with its thread: the conversation first, which the ticket row refers to. */
export async function insertTicketWithThread(trx: Db, ticket: TicketRow): Promise<void> {
  await trx
    .insertInto('conversations')
    .values({
      id: ticket.conversationId,
      kind: 'ticket',
      title: ticket.subject,
      directKey: null,
      createdAt: ticket.createdAt,
      updatedAt: ticket.createdAt,
      publicUpdatedAt: ticket.createdAt,
    })
    .execute();
  await trx.insertInto('tickets').values(ticket).execute();
}

export const findTicketById = (db: Db, id: string): Promise<TicketRow | undefined> =>
  db.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirst();

export const findTicketByConversation = (db: Db, conversationId: string): Promise<TicketRow | undefined> =>
  db.selectFrom('tickets').selectAll().where('conversationId', '=', conversationId).executeTakeFirst();

/** The ticket opened by a late reply to this one, if any (the unique index on `follow_up_of`). */
export const findFollowUpOf = (db: Db, ticketId: string): Promise<TicketRow | undefined> =>
  db.selectFrom('tickets').selectAll().where('followUpOf', '=', ticketId).executeTakeFirst();

/** Reopens the ticket if it is still closed; answers whether this call did it. */
export async function reopenIfClosed(trx: Db, id: string, at: number): Promise<boolean> {
  const result = await trx
    .updateTable('tickets')
    .set({ status: 'open', closedAt: null, updatedAt: at })
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The fields a change can be planned on; a change applies only while they are as it saw them. */
export type TicketFields = Partial<Pick<TicketRow, 'status' | 'priority' | 'teamId' | 'assigneeId'>>;

/**
 * Applies `set` only if the ticket's `expected` fields still hold the values given; answers
 * whether it did. As the first write of a transaction it also takes the row's write lock (the
 * database's on SQLite), so what follows in the transaction sees the ticket as changed here.
 */
export async function updateTicketIf(
  trx: Db,
  id: string,
  expected: TicketFields,
  set: Partial<TicketRow>,
): Promise<boolean> {
  let update = trx.updateTable('tickets').set(set).where('id', '=', id);
  for (const [column, value] of Object.entries(expected) as [keyof TicketFields, string | null][]) {
    update = value === null ? update.where(column, 'is', null) : update.where(column, '=', value);
  }
  return Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
}

/** The columns each sort orders by, most significant first; all descending, `id` breaks ties. */
export const SORT_COLUMNS = {
  updated: ['updatedAt', 'id'],
  created: ['createdAt', 'id'],
  priority: ['priorityRank', 'updatedAt', 'id'],
} as const satisfies Record<TicketListQuery['sort'], ReadonlyArray<keyof TicketRow>>;

/** One page (plus one row, to tell if there is more) of the tickets the actor may see. */
export function listVisibleTickets(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  query: TicketListQuery,
  after: CursorKey | null,
): Promise<TicketRow[]> {
  const columns = SORT_COLUMNS[query.sort];
  let select = db.selectFrom('tickets').selectAll().where(visibleTicketsFilter(actor, actorTeamIds));
  if (query.status) select = select.where('status', '=', query.status);
  if (query.priority) select = select.where('priority', '=', query.priority);
  if (query.assigneeId === 'none') select = select.where('assigneeId', 'is', null);
  else if (query.assigneeId) select = select.where('assigneeId', '=', query.assigneeId);
  if (query.teamId) select = select.where('teamId', '=', query.teamId);
  if (query.requesterId) select = select.where('requesterId', '=', query.requesterId);
  if (query.q) select = select.where(containsText('subject', query.q));
  if (after) select = select.where(keysetBefore(columns, after));
  for (const column of columns) select = select.orderBy(column, 'desc');
  return select.limit(query.limit + 1).execute();
}

/** Rows strictly after the cursor in descending order: (a < x) or (a = x and (b < y or ...)). */
function keysetBefore(columns: ReadonlyArray<keyof TicketRow>, key: CursorKey) {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    const build = (i: number): ReturnType<typeof eb.and> => {
      const column = columns[i]!;
      const less = eb(column, '<', key[i]!);
      return i === columns.length - 1
        ? eb.and([less])
        : eb.or([less, eb.and([eb(column, '=', key[i]!), build(i + 1)])]);
    };
    return build(0);
  };
}
