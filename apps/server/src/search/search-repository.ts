import type { SearchTerm } from '@parley/protocol';
import { sql, SqliteAdapter, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { isStaff, type Actor } from '../auth/actor';
import { blockBetween } from '../conversations/conversation-access';
import type { Db } from '../db/connect';
import type { Database } from '../db/schema';
import { canSeeInternalNotes, visibleTicketBranches, visibleTicketsFilter } from '../tickets/ticket-policy';
import { selectMembers } from '../workspaces/member-repository';
import { FEW_ROWS, hitsOf, type Hits, type Readable } from './search-engine';
import { relevance, type Field } from './search-relevance';

/** The operators of a query, resolved to ids and times. */
export interface SearchFilters {
  conversationId?: string;
  /** `from:`: the sender of a message, the requester of a ticket. */
  userId?: string;
  conversationKind?: 'ticket' | 'direct' | 'group';
  status?: string;
  priority?: string;
  labelIds?: string[];
  hasAttachment?: boolean;
  createdFrom?: number;
  createdBefore?: number;
}

export interface SearchPage {
  offset: number;
  /** One more than the page, to know whether another follows. */
  limit: number;
  /** Only what existed when the first page was read: later pages do not shift. */
  asOf: number;
}

export interface SearchScope {
  actor: Actor;
  /** The actor's teams, for which tickets they see. */
  teamIds: readonly string[];
  /** The conversations the actor could read, when few (`readableConversations`); null: not listed. */
  within: Readable | null;
  terms: readonly SearchTerm[];
  filters: SearchFilters;
  page: SearchPage;
}

interface Hit {
  id: string;
  score: number;
  pos: string | number;
}

/**
 * Messages the actor may read that match: ticket threads they may see (internal notes for staff
 * only), and direct and group conversations they are in, less any a block stands between (a
 * direct chat with someone blocked either way, a group message from them). Never deleted or
 * system messages. Permission filters are part of the query, so paging and counts see only
 * what the actor may. A message matches by its body or by an attachment's name: each is read
 * newest first from its own index, and the two lists are ranked together.
 */
export async function searchMessages(db: Db, scope: SearchScope) {
  const { terms, page } = scope;
  const ws = scope.actor.workspaceId;
  if (terms.length === 0) {
    return readPage(readableMessages(db, scope, null).orderBy('msg.createdAt', 'desc').orderBy('msg.id', 'desc'), page);
  }
  const [byBody, byName] = await Promise.all([
    newestMatches<MessageRow>(readableMessages(db, scope, hitsOf(db, 'messages', terms, ws, { within: scope.within }))),
    newestMatches<MessageRow>(readableMessages(db, scope, hitsOf(db, 'attachments', terms, ws))),
  ]);
  const names = await listAttachmentNames(db, scope.actor, [...new Set(byName.map((row) => row.id))]);
  const fields = (row: MessageRow) => [
    { text: row.body, weight: 1 },
    {
      text: names
        .filter((n) => n.messageId === row.id)
        .map((n) => n.fileName)
        .join(' '),
      weight: 1,
    },
  ];
  return rankPage([...byBody, ...byName], fields, terms, page);
}

/**
 * Conversations listed to the engine at most; an actor who can read more is not narrowed, as
 * listing costs a row read each (SQLite: ~44 ms for 6,300 tickets) and a larger share of the
 * matches is readable anyway.
 */
const FEW_CONVERSATIONS = 2000;

/**
 * The conversations whose messages the actor could read, when they are few: a customer's own
 * tickets and chats, an agent's team queues and chats, the one `in:` names. Handed to the engine
 * so that it skips the matches elsewhere in one cheap test each (~2 µs, against ~10 µs for a
 * match joined and checked in full): an agent who can read none of a common word's matches
 * otherwise walked all of them (SQLite 700 ms for 370,000). Only ever narrows: the full
 * permission conditions still apply to what is left. Null for whoever reads everything, or too
 * much to list. Read once per search, for both messages and tickets.
 */
export async function readableConversations(
  db: Db,
  actor: Actor,
  teamIds: readonly string[],
  filters: SearchFilters,
): Promise<Readable | null> {
  const ws = actor.workspaceId;
  if (filters.conversationId) return withCount(db, ws, [filters.conversationId]);
  const branches = visibleTicketBranches(actor, teamIds);
  if (!branches) return null;
  const sources = [
    ...branches.map((branch) =>
      db.selectFrom('tickets').where('tickets.workspaceId', '=', ws).where(branch).select('tickets.conversationId'),
    ),
    db
      .selectFrom('conversationMembers')
      .where('workspaceId', '=', ws)
      .where('userId', '=', actor.id)
      .select('conversationMembers.conversationId'),
  ];
  // Counted first, from the indexes alone: listing thousands only to drop them cost ~15 ms.
  const counts = await Promise.all(
    sources.map(async (source) => {
      const { n } = await db
        .selectFrom(source.as('s'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    }),
  );
  if (counts.reduce((sum, n) => sum + n, 0) > FEW_CONVERSATIONS) return null;
  const lists = await Promise.all(sources.map((source) => source.execute()));
  const ids = new Set(lists.flat().map((row) => row.conversationId));
  return ids.size > FEW_CONVERSATIONS ? null : withCount(db, ws, [...ids]);
}

/** The conversations with their messages counted (by their last seq), where that is quick. */
async function withCount(db: Db, ws: string, conversationIds: string[]): Promise<Readable> {
  if (conversationIds.length === 0 || conversationIds.length > FEW_ROWS) {
    return { conversationIds, messageCount: conversationIds.length === 0 ? 0 : Infinity };
  }
  const { total } = await db
    .selectFrom('conversations')
    .select((eb) => eb.fn.sum<number>('lastSeq').as('total'))
    .where('workspaceId', '=', ws)
    .where('id', 'in', conversationIds)
    .executeTakeFirstOrThrow();
  return { conversationIds, messageCount: Number(total ?? 0) };
}

type MessageRow = Awaited<ReturnType<ReturnType<typeof readableMessages>['execute']>>[number];

function readableMessages(db: Db, scope: SearchScope, hits: Hits | null) {
  const { actor, filters, page } = scope;
  const ws = actor.workspaceId;
  let query = startFrom<MessagesFrom>(db, hits, 'messages as msg', 'msg.id')
    .innerJoin('conversations as c', (j) => j.onRef('c.id', '=', 'msg.conversationId').on('c.workspaceId', '=', ws))
    .leftJoin('tickets', (j) =>
      j.onRef('tickets.conversationId', '=', 'msg.conversationId').on('tickets.workspaceId', '=', ws),
    )
    .leftJoin('users as sender', 'sender.id', 'msg.senderId')
    .select([
      'msg.id',
      'msg.conversationId',
      'msg.seq',
      'msg.kind',
      'msg.body',
      'msg.createdAt',
      'c.kind as conversationKind',
      'c.title',
      'tickets.id as ticketId',
      'tickets.subject',
      'sender.id as senderId',
      'sender.username as senderUsername',
      'sender.displayName as senderDisplayName',
      'sender.bot as senderBot',
    ])
    .where('msg.workspaceId', '=', ws)
    .where('msg.deletedAt', 'is', null)
    // System lines (a label added, a ticket merged) are the desk's record, not what anyone wrote.
    .where('msg.systemEvent', 'is', null)
    .where('msg.kind', 'in', canSeeInternalNotes(actor) ? ['text', 'note'] : ['text'])
    .where('msg.createdAt', '<=', page.asOf)
    .where((eb) =>
      eb.or([
        eb.and([eb('c.kind', '=', 'ticket'), ticketVisible(eb, scope)]),
        eb.and([
          eb('c.kind', '!=', 'ticket'),
          eb.exists(
            eb
              .selectFrom('conversationMembers as mine')
              .select('mine.userId')
              .where('mine.workspaceId', '=', ws)
              .whereRef('mine.conversationId', '=', 'msg.conversationId')
              .where('mine.userId', '=', actor.id),
          ),
          eb.not(blockedSender(eb, actor)),
          eb.or([eb('c.kind', '!=', 'direct'), eb.not(blockedDirect(eb, actor))]),
        ]),
      ]),
    );

  if (filters.conversationId) query = query.where('msg.conversationId', '=', filters.conversationId);
  if (filters.userId) query = query.where('msg.senderId', '=', filters.userId);
  if (filters.conversationKind) query = query.where('c.kind', '=', filters.conversationKind);
  if (filters.status) query = query.where('tickets.status', '=', filters.status as never);
  if (filters.priority) query = query.where('tickets.priority', '=', filters.priority as never);
  for (const labelId of filters.labelIds ?? []) {
    query = query.where((eb) => hasLabel(eb, ws, labelId, 'msg.conversationId'));
  }
  if (filters.hasAttachment) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('attachments as a')
          .select('a.id')
          .where('a.workspaceId', '=', ws)
          .whereRef('a.messageId', '=', 'msg.id'),
      ),
    );
  }
  if (filters.createdFrom !== undefined) query = query.where('msg.createdAt', '>=', filters.createdFrom);
  if (filters.createdBefore !== undefined) query = query.where('msg.createdAt', '<', filters.createdBefore);

  return query;
}

/** The names of these messages' attachments, to show when a name is what matched. */
export function listAttachmentNames(db: Db, actor: Actor, messageIds: readonly string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('attachments')
    .select(['messageId', 'fileName'])
    .where('workspaceId', '=', actor.workspaceId)
    .where('messageId', 'in', messageIds)
    .execute();
}

/** Tickets the actor may see that match, by subject and description. */
export async function searchTickets(db: Db, scope: SearchScope) {
  const { actor, terms, filters, page } = scope;
  const ws = actor.workspaceId;
  const hits = terms.length === 0 ? null : hitsOf(db, 'tickets', terms, ws, { within: scope.within });
  let query = startFrom<TicketsFrom>(db, hits, 'tickets', 'tickets.id')
    .select([
      'tickets.id',
      'tickets.conversationId',
      'tickets.subject',
      'tickets.description',
      'tickets.status',
      'tickets.priority',
      'tickets.createdAt',
      'tickets.updatedAt',
    ])
    .where('tickets.workspaceId', '=', ws)
    .where('tickets.createdAt', '<=', page.asOf)
    .where((eb) => ticketVisible(eb, scope));
  if (filters.conversationId) query = query.where('tickets.conversationId', '=', filters.conversationId);
  if (filters.userId) query = query.where('tickets.requesterId', '=', filters.userId);
  if (filters.status) query = query.where('tickets.status', '=', filters.status as never);
  if (filters.priority) query = query.where('tickets.priority', '=', filters.priority as never);
  for (const labelId of filters.labelIds ?? []) {
    query = query.where((eb) => hasLabel(eb, ws, labelId, 'tickets.conversationId'));
  }
  if (filters.createdFrom !== undefined) query = query.where('tickets.createdAt', '>=', filters.createdFrom);
  if (filters.createdBefore !== undefined) query = query.where('tickets.createdAt', '<', filters.createdBefore);

  if (!hits) return readPage(query.orderBy('tickets.createdAt', 'desc').orderBy('tickets.id', 'desc'), page);
  const rows = await newestMatches<Awaited<ReturnType<typeof query.execute>>[number]>(query);
  const fields = (row: (typeof rows)[number]) => [
    { text: row.subject, weight: SUBJECT_WEIGHT },
    { text: row.description, weight: 1 },
  ];
  return rankPage(rows, fields, terms, page);
}

/** A word in a ticket's subject counts this many times one in its description. */
const SUBJECT_WEIGHT = 5;

/**
 * People of the workspace whose name matches. Staff find any active member; a customer only
 * those they already know (contacts, people they share a conversation with) and themselves,
 * as they may not browse the directory.
 */
export async function searchPeople(db: Db, scope: SearchScope) {
  const { actor, terms, page } = scope;
  const ws = actor.workspaceId;
  const hits = hitsOf(db, 'users', terms, ws, { scored: true });
  // At 100,000 members SQLite walked the members and ran the MATCH once per member (3.9 s):
  // the `IN` lets it look up the matches' users instead, and `LIMIT -1` keeps it from folding
  // the scores' subquery into the join (which put the MATCH inside the loop again).
  const scores =
    db.getExecutor().adapter instanceof SqliteAdapter ? sql`(SELECT * FROM (${hits}) m LIMIT -1)` : sql`(${hits})`;
  let query = selectMembers(db, actor)
    .innerJoin(sql<{ id: string; score: number }>`${scores}`.as('h'), (j) => j.onRef('h.id', '=', 'users.id'))
    .where('users.id', 'in', sql<string>`(SELECT m.id FROM (${hits}) m)`)
    .where('wm.deactivatedAt', 'is', null)
    .where('users.deactivatedAt', 'is', null);
  if (!isStaff(actor)) {
    query = query.where((eb) =>
      eb.or([
        eb('users.id', '=', actor.id),
        eb.exists(
          eb
            .selectFrom('contacts')
            .select('contacts.contactId')
            .where('contacts.workspaceId', '=', ws)
            .where('contacts.userId', '=', actor.id)
            .whereRef('contacts.contactId', '=', 'users.id'),
        ),
        eb.exists(
          eb
            .selectFrom('conversationMembers as mine')
            .innerJoin('conversationMembers as theirs', 'theirs.conversationId', 'mine.conversationId')
            .select('theirs.userId')
            .where('mine.workspaceId', '=', ws)
            .where('theirs.workspaceId', '=', ws)
            .where('mine.userId', '=', actor.id)
            .whereRef('theirs.userId', '=', 'users.id'),
        ),
      ]),
    );
  }
  return query
    .orderBy('h.score', 'desc')
    .orderBy('users.displayName')
    .orderBy('users.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
}

type Scoped = ExpressionBuilder<Database & { tickets: Database['tickets'] }, 'tickets'>;

/**
 * `canSeeTicket` as SQL, for a query that has `tickets` joined. These helpers take the outer
 * query's expression builder untyped: Kysely cannot relate a joined query's tables to `Database`.
 */
const ticketVisible = (eb: unknown, scope: SearchScope) =>
  visibleTicketsFilter(scope.actor, scope.teamIds)(eb as unknown as Scoped);

type MessageScope = ExpressionBuilder<Database & { msg: Database['messages'] }, 'msg'>;

/** A block stands between the actor and the sender of message `msg`, either way. */
const blockedSender = (outer: unknown, actor: Actor) => {
  const eb = outer as unknown as MessageScope;
  return eb.exists(
    eb
      .selectFrom('blocks')
      .select('blocks.blockerId')
      .where('blocks.workspaceId', '=', actor.workspaceId)
      .where((b) =>
        b.or([
          b.and([b('blocks.blockerId', '=', actor.id), b('blocks.blockedId', '=', b.ref('msg.senderId'))]),
          b.and([b('blocks.blockerId', '=', b.ref('msg.senderId')), b('blocks.blockedId', '=', actor.id)]),
        ]),
      ),
  );
};

/** A block stands between the actor and another member of message `msg`'s conversation. */
const blockedDirect = (outer: unknown, actor: Actor) => {
  const eb = outer as unknown as MessageScope;
  return eb.exists(
    eb
      .selectFrom('conversationMembers as m')
      .select('m.userId')
      .where('m.workspaceId', '=', actor.workspaceId)
      .whereRef('m.conversationId', '=', 'msg.conversationId')
      .where('m.userId', '!=', actor.id)
      .where((inner) => blockBetween(inner, actor)),
  );
};

const hasLabel = (
  outer: unknown,
  workspaceId: string,
  labelId: string,
  conversation: 'msg.conversationId' | 'tickets.conversationId',
) => {
  const eb = outer as unknown as ExpressionBuilder<Database & { msg: Database['messages'] }, 'msg' | 'tickets'>;
  return eb.exists(
    eb
      .selectFrom('conversationLabels as cl')
      .select('cl.labelId')
      .where('cl.workspaceId', '=', workspaceId)
      .where('cl.labelId', '=', labelId)
      .whereRef('cl.conversationId', '=', conversation),
  );
};

type MessagesFrom = SelectQueryBuilder<Database & { h: Hit; msg: Database['messages'] }, 'h' | 'msg', object>;
type TicketsFrom = SelectQueryBuilder<Database & { h: Hit }, 'h' | 'tickets', object>;

/**
 * A query of `table` that starts from the hits when there are words: in that order, as a CROSS
 * JOIN, because SQLite keeps the order of a CROSS JOIN and otherwise chose to walk the
 * workspace's rows and run the full-text MATCH once per row (seconds at 100k tickets).
 * PostgreSQL and MariaDB plan it as any inner join. Without words there are no hits, and the
 * query must not use `h`.
 */
function startFrom<Q>(db: Db, hits: Hits | null, table: string, id: string): Q {
  // Kysely cannot type a FROM that is one of two shapes; the callers name the shape they get.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const untyped = db as any;
  return hits
    ? untyped
        .selectFrom(sql`(${hits})`.as('h'))
        .crossJoin(table)
        .whereRef(id, '=', 'h.id')
    : untyped.selectFrom(table);
}

/**
 * How many of the newest readable matches are ranked; search pages end there too (ten pages of
 * messages). The cost of a query of common words is proportional: 1,000 took SQLite 27 ms at
 * p50 against 6 ms for 200 (1M messages); past them, more words or operators narrow faster.
 */
export const RANKED_MATCHES = 200;

/**
 * The newest RANKED_MATCHES of `candidates` (matches the actor may read, from one index), newest
 * by the order the index was written in (`pos`), which every engine reads backwards without
 * sorting: a query of common words costs a few hundred rows, not every match. The permission
 * filters are inside `candidates`, so what is hidden never takes the place of what is shown.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const newestMatches = <Row>(candidates: SelectQueryBuilder<any, any, any>): Promise<Row[]> =>
  candidates.orderBy(sql.ref('h.pos'), 'desc').limit(RANKED_MATCHES).execute();

/**
 * A page of matches ranked by relevance (of their `fields`), then recency, among the newest
 * RANKED_MATCHES of them. Rows of one id (a message matching by its body and by a file name)
 * count once.
 */
function rankPage<Row extends { id: string; createdAt: number }>(
  rows: Row[],
  fields: (row: Row) => Field[],
  terms: readonly SearchTerm[],
  page: SearchPage,
): Row[] {
  const newestFirst = (a: Row, b: Row) => Number(b.createdAt) - Number(a.createdAt) || (a.id < b.id ? 1 : -1);
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()].sort(newestFirst).slice(0, RANKED_MATCHES);
  const scores = relevance(unique.map(fields), terms);
  const score = new Map(unique.map((row, i) => [row, scores[i]!]));
  return unique
    .sort((a, b) => score.get(b)! - score.get(a)! || newestFirst(a, b))
    .slice(page.offset, page.offset + page.limit);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const readPage = <Q extends SelectQueryBuilder<any, any, any>>(query: Q, page: SearchPage) =>
  query.limit(page.limit).offset(page.offset).execute() as ReturnType<Q['execute']>;
