import type { TicketCountsQuery } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import type { Db } from '../db/connect';
import { ticketViewFilter, visibleTicketsFilter } from '../tickets/ticket-policy';
import { ticketFilters } from '../tickets/ticket-repository';

/**
 * How many tickets `GET /tickets` would list the reader with this filter: one `count(*)` with
 * the list's own conditions, so it uses the same indexes (workspace, then status / assignee /
 * team / priority) and never counts a ticket the reader may not see.
 */
export async function countMatchingTickets(
  db: Db,
  actor: Actor,
  actorTeamIds: readonly string[],
  filter: TicketCountsQuery,
): Promise<number> {
  let select = db
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('tickets.workspaceId', '=', actor.workspaceId)
    .where(visibleTicketsFilter(actor, actorTeamIds))
    .where(ticketFilters(filter));
  if (filter.view) select = select.where(ticketViewFilter(actor, actorTeamIds, filter.view));
  const row = await select.executeTakeFirstOrThrow();
  return Number(row.count);
}
