import type { TicketCountsQuery, TicketListQuery } from '@parley/protocol';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { Actor, Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { compiledStatement } from '../db/compiled-statement';
import { hasLabel } from '../labels/label-repository';
import { TICKET_COLUMNS, type Database, type SlaState, type TicketRow } from '../db/schema';
import { containsText } from '../db/text-match';
import type { CursorKey } from '../http/cursor';
import { inTeamsOrNone, ticketViewFilter, visibleTicketsFilter } from './ticket-policy';
import { fieldFilterConditions, type FieldSort } from '../custom-fields/ticket-field-query';

/** A new ticket with its thread: the conversation first, which the ticket row refers to. */
export async function insertTicketWithThread(trx: Db, ticket: TicketRow): Promise<void> {
  await trx
    .insertInto('conversations')
    .values({
      id: ticket.conversationId,
      workspaceId: ticket.workspaceId,
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

/** The workspace's tickets; every read of one starts here. */
const tickets = (db: Db, ws: Scope) => db.selectFrom('tickets').where('tickets.workspaceId', '=', ws.workspaceId);

export const findTicketById = (db: Db, ws: Scope, id: string): Promise<TicketRow | undefined> =>
  tickets(db, ws).select(TICKET_COLUMNS).where('id', '=', id).executeTakeFirst();

export const findTicketByConversation = async (db: Db, ws: Scope, conversationId: string) =>
  (await ticketOfConversation(db, { workspaceId: ws.workspaceId, conversationId })).rows[0] as TicketRow | undefined;

// Every access to a ticket's thread reads it: compiled once.
const ticketOfConversation = compiledStatement((db, v: { workspaceId: string; conversationId: string }) =>
  tickets(db, v).select(TICKET_COLUMNS).where('conversationId', '=', v.conversationId),
);

/** The ticket opened by a late reply to this one, if any (the unique index on `follow_up_of`). */
export const findFollowUpOf = (db: Db, ws: Scope, ticketId: string): Promise<TicketRow | undefined> =>
  tickets(db, ws).select(TICKET_COLUMNS).where('followUpOf', '=', ticketId).executeTakeFirst();

/**
 * Opens the ticket again if it is still `from` (closed, pending or snoozed), clearing when it
 * closed or would wake; answers whether this call did it.
 */
export async function reopenIfStill(
  trx: Db,
  ws: Scope,
  id: string,
  from: TicketRow['status'],
  at: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('tickets')
    .set({ status: 'open', closedAt: null, snoozedUntil: null, updatedAt: at })
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .where('status', '=', from)
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
  ws: Scope,
  id: string,
  expected: TicketFields,
  set: Partial<TicketRow>,
): Promise<boolean> {
  let update = trx.updateTable('tickets').set(set).where('workspaceId', '=', ws.workspaceId).where('id', '=', id);
  for (const [column, value] of Object.entries(expected) as [keyof TicketFields, string | null][]) {
    update = value === null ? update.where(column, 'is', null) : update.where(column, '=', value);
  }
  return Number((await update.executeTakeFirst()).numUpdatedRows) === 1;
}

type Direction = 'asc' | 'desc';

/**
 * The columns each sort orders by, most significant first, `id` last to break ties. "Most
 * urgent first" then serves the one waiting longest: oldest first within a priority.
 */
export const SORT_COLUMNS = {
  updated: [
    ['updatedAt', 'desc'],
    ['id', 'desc'],
  ],
  created: [
    ['createdAt', 'desc'],
    ['id', 'desc'],
  ],
  priority: [
    ['priorityRank', 'desc'],
    ['createdAt', 'asc'],
    ['id', 'asc'],
  ],
} as const satisfies Record<TicketListQuery['sort'], ReadonlyArray<readonly [keyof TicketRow, Direction]>>;

/** The condition of each filter given, as one SQL condition; `except` leaves one group out. */
export function ticketFilters(filters: TicketCountsQuery, except?: 'status' | 'priority' | 'assigneeId') {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filters.status && except !== 'status') conditions.push(eb('tickets.status', '=', filters.status));
    if (filters.priority && except !== 'priority') conditions.push(eb('tickets.priority', '=', filters.priority));
    if (filters.assigneeId && except !== 'assigneeId') {
      conditions.push(
        filters.assigneeId === 'none'
          ? eb('tickets.assigneeId', 'is', null)
          : eb('tickets.assigneeId', '=', filters.assigneeId),
      );
    }
    if (filters.teamId) conditions.push(eb('tickets.teamId', '=', filters.teamId));
    if (filters.requesterId) conditions.push(eb('tickets.requesterId', '=', filters.requesterId));
    if (filters.q) {
      // The description is the ticket's first message, on the same row: no join, and the same
      // scan a subject search makes (neither can use an index for "contains").
      conditions.push(
        eb.or([containsText('tickets.subject', filters.q), containsText('tickets.description', filters.q)]),
      );
    }
    if (filters.sla) conditions.push(slaStateFilter(eb, filters.sla));
    // Tickets with ALL the labels: one EXISTS per label.
    for (const labelId of filters.labelIds ?? []) {
      conditions.push(hasLabel(eb, 'tickets', labelId));
    }
    conditions.push(...fieldFilterConditions(eb, filters.fields));
    return eb.and(conditions);
  };
}

/**
 * The ticket's SLA state as one value, the worse of its two targets: `breached` if either is,
 * `at_risk` if either is (none breached), `ok` while a target runs on time, `met` once both are.
 * A first response stored after its due time is breached even before a job marked it (as
 * `presentTicketSla` shows it). Tickets without an SLA match no state.
 */
function slaStateFilter(eb: ExpressionBuilder<Database, 'tickets'>, state: SlaState) {
  const responded = eb('tickets.slaFirstRespondedAt', 'is not', null);
  const respondedLate = eb.and([
    responded,
    eb('tickets.slaFirstRespondedAt', '>', eb.ref('tickets.slaFirstResponseDueAt')),
  ]);
  const firstBreached = eb.or([eb('tickets.slaFirstResponseState', '=', 'breached'), respondedLate]);
  const firstMet = eb.and([eb.not(firstBreached), eb.or([eb('tickets.slaFirstResponseState', '=', 'met'), responded])]);
  const firstAtRisk = eb.and([eb('tickets.slaFirstResponseState', '=', 'at_risk'), eb.not(responded)]);
  const first = { breached: firstBreached, met: firstMet, at_risk: firstAtRisk };
  const resolution = (s: SlaState) => eb('tickets.slaResolutionState', '=', s);
  const hasSla = eb('tickets.slaResolutionDueAt', 'is not', null);
  const breached = eb.or([first.breached, resolution('breached')]);
  const atRisk = eb.and([eb.not(breached), eb.or([first.at_risk, resolution('at_risk')])]);
  const met = eb.and([first.met, resolution('met')]);
  switch (state) {
    case 'breached':
      return eb.and([hasSla, breached]);
    case 'at_risk':
      return eb.and([hasSla, atRisk]);
    case 'met':
      return eb.and([hasSla, met]);
    case 'ok':
      return eb.and([hasSla, eb.not(breached), eb.not(atRisk), eb.not(met)]);
  }
}

/** A ticket of a page sorted by a custom field: its value there (`sortMissing` 1: none). */
export type SortedTicketRow = TicketRow & { sortMissing?: number; sortValue?: string | number | null };

/**
 * One page (plus one row, to tell if there is more) of the tickets the actor may see. Sorted by
 * a custom field, the field's value comes first (no value last), then the sort's columns; the
 * cursor then starts with (missing 0/1, the value as text).
 */
export async function listVisibleTickets(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  query: TicketListQuery,
  after: CursorKey | null,
  sortField: FieldSort | null = null,
): Promise<SortedTicketRow[]> {
  const columns = SORT_COLUMNS[query.sort];
  if (!sortField) {
    // The plain queue: no join.
    let plain = tickets(db, actor)
      .select(TICKET_COLUMNS)
      .where(visibleTicketsFilter(actor, actorTeamIds))
      .where(ticketFilters(query));
    if (query.view) plain = plain.where(ticketViewFilter(actor, actorTeamIds, query.view));
    if (after) plain = plain.where(keysetAfter(columns, after));
    for (const [column, direction] of columns) plain = plain.orderBy(`tickets.${column}`, direction);
    return plain.limit(query.limit + 1).execute();
  }
  let select = tickets(db, actor)
    .leftJoin('customFieldValues as sf', (join) =>
      join
        .onRef('sf.entityId', '=', 'tickets.id')
        .on('sf.workspaceId', '=', actor.workspaceId)
        .on('sf.fieldId', '=', sortField.field.id)
        .on('sf.item', '=', 0),
    )
    .select(TICKET_COLUMNS.map((column) => `tickets.${column}` as const))
    .where(visibleTicketsFilter(actor, actorTeamIds))
    .where(ticketFilters(query));
  if (query.view) select = select.where(ticketViewFilter(actor, actorTeamIds, query.view));
  const value = sql.ref<string | number | null>(`sf.${sortField.column}`);
  const missing = sql<number>`case when ${value} is null then 1 else 0 end`;
  select = select.select([missing.as('sortMissing'), value.as('sortValue')]);
  if (after) {
    const [wasMissing, was] = after as [number, string];
    const rest = keysetAfter(columns, after.slice(2));
    const key = sortField.column === 'numberValue' ? Number(was) : was;
    const beyond = sortField.direction === 'desc' ? '<' : '>';
    // Rows without a value come last: after a row with one, all of them; after one without, by the rest.
    select = select.where((eb) =>
      wasMissing === 1
        ? eb.and([eb(missing, '=', 1), rest(eb)])
        : eb.or([
            eb(missing, '=', 1),
            eb.and([eb(missing, '=', 0), eb(value, beyond, key)]),
            eb.and([eb(value, '=', key), rest(eb)]),
          ]),
    );
  }
  select = select.orderBy(missing, 'asc').orderBy(value, sortField.direction);
  for (const [column, direction] of columns) select = select.orderBy(`tickets.${column}`, direction);
  return (await select.limit(query.limit + 1).execute()) as SortedTicketRow[];
}

/**
 * Rows strictly after the cursor in the sort's order: (a beyond x) or (a = x and (b beyond y
 * or ...)), where "beyond" is `<` for a descending column and `>` for an ascending one.
 */
function keysetAfter(columns: ReadonlyArray<readonly [keyof TicketRow, Direction]>, key: CursorKey) {
  return (eb: ExpressionBuilder<Database, 'tickets'>) => {
    const build = (i: number): ReturnType<typeof eb.and> => {
      const [name, direction] = columns[i]!;
      const column = `tickets.${name}` as const;
      const beyond = eb(column, direction === 'desc' ? '<' : '>', key[i]!);
      return i === columns.length - 1
        ? eb.and([beyond])
        : eb.or([beyond, eb.and([eb(column, '=', key[i]!), build(i + 1)])]);
    };
    return build(0);
  };
}

/** The visible tickets matching `filters` (but one group's), counted per value of `by`. */
export async function countVisibleTicketsBy(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  filters: TicketCountsQuery,
  by: 'status' | 'priority',
): Promise<Map<string, number>> {
  let select = tickets(db, actor)
    .select([`tickets.${by} as value`, (eb) => eb.fn.countAll<number>().as('count')])
    .where(visibleTicketsFilter(actor, actorTeamIds))
    .where(ticketFilters(filters, by));
  if (filters.view) select = select.where(ticketViewFilter(actor, actorTeamIds, filters.view));
  const rows = await select.groupBy(`tickets.${by}`).execute();
  return new Map(rows.map((r) => [r.value, Number(r.count)]));
}

/** The visible tickets matching `filters` but the assignee one: all, the actor's, unassigned. */
export async function countVisibleTicketsByAssignee(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  filters: TicketCountsQuery,
): Promise<{ all: number; me: number; unassigned: number }> {
  let select = tickets(db, actor)
    .select((eb) => [
      eb.fn.countAll<number>().as('all'),
      eb.fn.sum<number>(eb.case().when('tickets.assigneeId', '=', actor.id).then(1).else(0).end()).as('me'),
      eb.fn.sum<number>(eb.case().when('tickets.assigneeId', 'is', null).then(1).else(0).end()).as('unassigned'),
    ])
    .where(visibleTicketsFilter(actor, actorTeamIds))
    .where(ticketFilters(filters, 'assigneeId'));
  if (filters.view) select = select.where(ticketViewFilter(actor, actorTeamIds, filters.view));
  const row = await select.executeTakeFirstOrThrow();
  // An empty set sums to NULL; MariaDB and PostgreSQL answer sums and counts as strings.
  return { all: Number(row.all), me: Number(row.me ?? 0), unassigned: Number(row.unassigned ?? 0) };
}

/**
 * The visible tickets matching `filters` (all but `view`), counted per queue, in one query.
 * `actorTeamIds` are the reader's teams (also for those who see every ticket).
 */
export async function countVisibleTicketsByView(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  filters: TicketCountsQuery,
): Promise<{ all: number; mine: number; my_teams: number; unassigned: number }> {
  const row = await tickets(db, actor)
    .select((eb) => {
      const one = (condition: Expression<SqlBool>) =>
        eb.fn.sum<number>(eb.case().when(condition).then(1).else(0).end());
      const teams = inTeamsOrNone(eb, actorTeamIds);
      return [
        eb.fn.countAll<number>().as('all'),
        one(eb('tickets.assigneeId', '=', actor.id)).as('mine'),
        one(teams).as('teams'),
        one(eb.and([eb('tickets.assigneeId', 'is', null), teams])).as('unassigned'),
      ];
    })
    .where(visibleTicketsFilter(actor, actorTeamIds))
    .where(ticketFilters(filters))
    .executeTakeFirstOrThrow();
  return {
    all: Number(row.all),
    mine: Number(row.mine ?? 0),
    // (`teams`, not `my_teams`: the camel-case plugin would rename that one.)
    my_teams: Number(row.teams ?? 0),
    unassigned: Number(row.unassigned ?? 0),
  };
}

/**
 * The visible tickets matching `filters` (its `labelIds` included), counted per label they
 * have, in one query: what adding each label to the filter would list. Labels on none are absent.
 */
export async function countVisibleTicketsByLabel(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  filters: TicketCountsQuery,
): Promise<Record<string, number>> {
  let select = tickets(db, actor)
    .innerJoin('conversationLabels as cl', (join) =>
      join.onRef('cl.conversationId', '=', 'tickets.conversationId').on('cl.workspaceId', '=', actor.workspaceId),
    )
    .select(['cl.labelId', (eb) => eb.fn.countAll<number>().as('count')])
    .where(visibleTicketsFilter(actor, actorTeamIds))
    .where(ticketFilters(filters));
  if (filters.view) select = select.where(ticketViewFilter(actor, actorTeamIds, filters.view));
  const rows = await select.groupBy('cl.labelId').execute();
  return Object.fromEntries(rows.map((r) => [r.labelId, Number(r.count)]));
}
