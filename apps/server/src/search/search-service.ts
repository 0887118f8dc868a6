import {
  IdSchema,
  parseSearch,
  type MessageHit,
  type PersonHit,
  type SearchKind,
  type SearchQuery,
  type SearchResults,
  type SearchTerm,
  type TicketHit,
} from '@parley/protocol';
import { isStaff, type Actor } from '../auth/actor';
import { toIso } from '../clock';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { teamIdsOf } from '../teams/team-service';
import { ticketReach } from '../tickets/ticket-policy';
import { presentPublicUser } from '../users/user-presenter';
import {
  listAttachmentNames,
  readableConversations,
  RANKED_MATCHES,
  searchMessages,
  searchPeople,
  searchTickets,
  type SearchFilters,
  type SearchScope,
} from './search-repository';
import { highlight, snippet } from './search-snippet';

const DEFAULT_LIMIT: Record<SearchKind, number> = { messages: 20, tickets: 10, people: 5 };
/** Search pages stop where ranking does: past it, narrow the query. */
const MAX_OFFSET = RANKED_MATCHES;

/**
 * `GET /search`. Operators the actor may not use are refused (`label:` is for staff, as labels
 * are internal); operators naming what the actor cannot see (a conversation, a person) match
 * nothing, exactly as if it did not exist.
 */
export async function search(deps: ServiceDeps, actor: Actor, query: SearchQuery): Promise<SearchResults> {
  const parsed = parseSearch(query.q);
  if (parsed.problems.length > 0) {
    throw new AppError('validation_failed', parsed.problems.map((p) => p.message).join('; '), {
      fields: parsed.problems.map((p) => ({ in: 'querystring', path: 'q', message: p.message })),
    });
  }
  if (parsed.filters.label && !isStaff(actor)) throw new AppError('forbidden', 'Labels are for staff');

  const kinds: SearchKind[] = query.kind ? [query.kind] : ['messages', 'tickets', 'people'];
  const [offset, asOf] = query.cursor ? decodeCursor(query.cursor, ['number', 'number']) : [0, deps.clock.now()];
  // Our own cursors stop at the ranked matches; one past them is forged, and would make the
  // database skip that many rows for nothing.
  if (Number(offset) < 0 || Number(offset) >= MAX_OFFSET) {
    throw new AppError('validation_failed', 'Invalid cursor', {
      fields: [{ in: 'querystring', path: 'cursor', message: 'Not a cursor from this search' }],
    });
  }
  const resolved = await resolveFilters(deps, actor, parsed.filters);
  const { terms } = parsed;
  const searchable = terms.length > 0 || Object.keys(parsed.filters).length > 0;
  const teamIds = ticketReach(actor) === 'teams' ? await teamIdsOf(deps.db, actor) : [];

  const readsText = terms.length > 0 && resolved !== null && kinds.some((kind) => kind !== 'people');
  const within = readsText ? await readableConversations(deps.db, actor, teamIds, resolved) : null;

  const results: SearchResults = {};
  await Promise.all(
    kinds.map(async (kind) => {
      const limit = query.limit ?? DEFAULT_LIMIT[kind];
      const scope: SearchScope = {
        actor,
        teamIds,
        within,
        terms,
        filters: resolved ?? {},
        page: { offset: Number(offset), limit: limit + 1, asOf: Number(asOf) },
      };
      const runs = searchable && resolved !== null && applies(kind, parsed.filters, terms);
      const items = runs ? await SEARCHES[kind](deps, scope) : [];
      const more = items.length > limit && Number(offset) + limit < MAX_OFFSET;
      const group = {
        items: items.slice(0, limit),
        nextCursor: more ? encodeCursor([Number(offset) + limit, Number(asOf)]) : null,
      };
      (results as Record<SearchKind, unknown>)[kind] = group;
    }),
  );
  return results;
}

/** Whether a kind can match at all: people match by name alone; tickets have no attachments and are no chats. */
function applies(kind: SearchKind, filters: ReturnType<typeof parseSearch>['filters'], terms: readonly SearchTerm[]) {
  switch (kind) {
    case 'people':
      return terms.length > 0 && Object.keys(filters).length === 0;
    case 'tickets':
      return filters.has === undefined && (filters.is === undefined || filters.is === 'ticket');
    case 'messages':
      return true;
  }
}

const SEARCHES: Record<SearchKind, (deps: ServiceDeps, scope: SearchScope) => Promise<unknown[]>> = {
  messages: async (deps, scope) => {
    const rows = await searchMessages(deps.db, scope);
    const names = await listAttachmentNames(
      deps.db,
      scope.actor,
      rows.map((r) => r.id),
    );
    return rows.map((row): MessageHit => {
      let text = snippet(row.body, scope.terms);
      if (scope.terms.length > 0 && text.highlights.length === 0) {
        const name = names.find((n) => n.messageId === row.id && highlight(n.fileName, scope.terms).highlights.length);
        if (name) text = highlight(name.fileName, scope.terms);
      }
      return {
        messageId: row.id,
        conversationId: row.conversationId,
        conversationKind: row.conversationKind,
        conversationTitle: row.conversationKind === 'ticket' ? row.subject : row.title,
        ticketId: row.ticketId,
        seq: row.seq,
        kind: row.kind,
        sender: row.senderId
          ? {
              id: row.senderId,
              username: row.senderUsername!,
              displayName: row.senderDisplayName!,
              bot: Number(row.senderBot) === 1,
            }
          : null,
        createdAt: toIso(row.createdAt),
        snippet: text,
      };
    });
  },
  tickets: async (deps, scope) =>
    (await searchTickets(deps.db, scope)).map((row): TicketHit => {
      const description = snippet(row.description, scope.terms);
      return {
        ticketId: row.id,
        conversationId: row.conversationId,
        status: row.status,
        priority: row.priority,
        createdAt: toIso(row.createdAt),
        updatedAt: toIso(row.updatedAt),
        subject: highlight(row.subject, scope.terms),
        snippet: description.highlights.length > 0 ? description : null,
      };
    }),
  people: async (deps, scope) =>
    (await searchPeople(deps.db, scope)).map((row): PersonHit => ({
      user: presentPublicUser(row),
      displayName: highlight(row.displayName, scope.terms),
      username: highlight(row.username, scope.terms),
    })),
};

/**
 * Operators as ids and times; null when one names nothing the actor could match (an unknown
 * person, conversation or label), so the search finds nothing rather than ignoring it.
 */
async function resolveFilters(
  deps: ServiceDeps,
  actor: Actor,
  filters: ReturnType<typeof parseSearch>['filters'],
): Promise<SearchFilters | null> {
  const { db } = deps;
  const ws = actor.workspaceId;
  const resolved: SearchFilters = {};
  if (filters.in !== undefined) {
    if (!IdSchema.safeParse(filters.in).success) return null;
    // A ticket id stands for its thread; the search itself decides whether the actor may read it.
    const ticket = await db
      .selectFrom('tickets')
      .select('conversationId')
      .where('workspaceId', '=', ws)
      .where('id', '=', filters.in)
      .executeTakeFirst();
    resolved.conversationId = ticket?.conversationId ?? filters.in;
  }
  if (filters.from !== undefined) {
    if (filters.from === 'me') resolved.userId = actor.id;
    else {
      const user = await db
        .selectFrom('users')
        .innerJoin('workspaceMembers as wm', 'wm.userId', 'users.id')
        .select('users.id')
        .where('wm.workspaceId', '=', ws)
        .where('users.usernameKey', '=', filters.from.replace(/^@/, ''))
        .executeTakeFirst();
      if (!user) return null;
      resolved.userId = user.id;
    }
  }
  if (filters.is) resolved.conversationKind = filters.is === 'dm' ? 'direct' : filters.is;
  if (filters.status) resolved.status = filters.status;
  if (filters.priority) resolved.priority = filters.priority;
  if (filters.status || filters.priority) {
    if (resolved.conversationKind && resolved.conversationKind !== 'ticket') return null;
    resolved.conversationKind = 'ticket';
  }
  if (filters.label) {
    const keys = filters.label.map((name) => name.toLowerCase());
    const rows = await db
      .selectFrom('labels')
      .select('id')
      .where('workspaceId', '=', ws)
      .where('nameKey', 'in', keys)
      .execute();
    if (rows.length < new Set(keys).size) return null;
    resolved.labelIds = rows.map((r) => r.id);
  }
  if (filters.has === 'attachment') resolved.hasAttachment = true;
  if (filters.after) resolved.createdFrom = Date.parse(`${filters.after}T00:00:00Z`);
  if (filters.before) resolved.createdBefore = Date.parse(`${filters.before}T00:00:00Z`);
  if (resolved.createdFrom !== undefined && resolved.createdBefore !== undefined) {
    if (resolved.createdFrom >= resolved.createdBefore) return null;
  }
  return resolved;
}
