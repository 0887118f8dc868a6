import type { ReportGrouping } from '@parley/protocol';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';

/**
 * The rows reports are computed from: one per ticket (or survey) in the range, a handful of
 * numbers each, read through the `(workspace_id, created_at|closed_at|answered_at)` indexes.
 * Aggregation (days of a time zone, percentiles) happens in report-service.ts, the same on
 * every database.
 *
 * Grouping: `groupKey` is the ticket's team, assignee or priority (null for `day`: the day comes
 * from the row's time). A `label` grouping is one more case in `ticketGroupKey`: a left join of
 * the ticket's labels selecting the label id, so a ticket with two labels counts in both groups.
 */

type Grouping = Exclude<ReportGrouping, 'day'> | null;

const ticketGroupKey = (grouping: Grouping) =>
  grouping === 'team'
    ? ('tickets.teamId as groupKey' as const)
    : grouping === 'agent'
      ? ('tickets.assigneeId as groupKey' as const)
      : grouping === 'priority'
        ? ('tickets.priority as groupKey' as const)
        : null;

export interface CreatedTicket {
  groupKey: string | null;
  createdAt: number;
  respondedAt: number | null;
  firstResponseDueAt: number | null;
  firstResponseState: string | null;
  resolutionState: string | null;
}

/** Tickets opened in [start, end): first responses and SLA targets. */
export async function ticketsCreatedBetween(
  db: Db,
  ws: Scope,
  start: number,
  end: number,
  grouping: Grouping,
): Promise<CreatedTicket[]> {
  const key = ticketGroupKey(grouping);
  const query = db
    .selectFrom('tickets')
    .select([
      'tickets.createdAt',
      'tickets.slaFirstRespondedAt as respondedAt',
      'tickets.slaFirstResponseDueAt as firstResponseDueAt',
      'tickets.slaFirstResponseState as firstResponseState',
      'tickets.slaResolutionState as resolutionState',
    ])
    .where('tickets.workspaceId', '=', ws.workspaceId)
    .where('tickets.createdAt', '>=', start)
    .where('tickets.createdAt', '<', end);
  const rows = key ? await query.select(key).execute() : await query.execute();
  return rows as CreatedTicket[];
}

export interface ClosedTicket {
  groupKey: string | null;
  createdAt: number;
  closedAt: number;
}

/** Tickets whose (latest) closure falls in [start, end). */
export async function ticketsClosedBetween(
  db: Db,
  ws: Scope,
  start: number,
  end: number,
  grouping: Grouping,
): Promise<ClosedTicket[]> {
  const key = ticketGroupKey(grouping);
  const query = db
    .selectFrom('tickets')
    .select(['tickets.createdAt', 'tickets.closedAt'])
    .where('tickets.workspaceId', '=', ws.workspaceId)
    .where('tickets.closedAt', '>=', start)
    .where('tickets.closedAt', '<', end);
  const rows = key ? await query.select(key).execute() : await query.execute();
  return rows as ClosedTicket[];
}

export interface OpenTicket {
  groupKey: string | null;
  createdAt: number;
  closedAt: number | null;
}

/**
 * Tickets open at some moment of [start, end): opened before its end and not closed, or closed
 * after its start. Two index range reads rather than one OR, which no database plans well.
 */
export async function ticketsOpenDuring(
  db: Db,
  ws: Scope,
  start: number,
  end: number,
  grouping: Grouping,
): Promise<OpenTicket[]> {
  const key = ticketGroupKey(grouping);
  const base = () =>
    db
      .selectFrom('tickets')
      .select(['tickets.createdAt', 'tickets.closedAt'])
      .where('tickets.workspaceId', '=', ws.workspaceId)
      .where('tickets.createdAt', '<', end);
  const stillOpen = base().where('tickets.closedAt', 'is', null);
  const closedLater = base().where('tickets.closedAt', '>=', start);
  const [a, b] = key
    ? await Promise.all([stillOpen.select(key).execute(), closedLater.select(key).execute()])
    : await Promise.all([stillOpen.execute(), closedLater.execute()]);
  return [...a, ...b] as OpenTicket[];
}

export interface AnsweredSurvey {
  groupKey: string | null;
  answeredAt: number;
  score: number;
}

/** Surveys answered in [start, end), grouped by the ticket as it was when it closed. */
export async function surveysAnsweredBetween(
  db: Db,
  ws: Scope,
  start: number,
  end: number,
  grouping: Grouping,
): Promise<AnsweredSurvey[]> {
  const key =
    grouping === 'team'
      ? ('csatSurveys.teamId as groupKey' as const)
      : grouping === 'agent'
        ? ('csatSurveys.assigneeId as groupKey' as const)
        : grouping === 'priority'
          ? ('csatSurveys.priority as groupKey' as const)
          : null;
  const query = db
    .selectFrom('csatSurveys')
    .select(['csatSurveys.answeredAt', 'csatSurveys.score'])
    .where('csatSurveys.workspaceId', '=', ws.workspaceId)
    .where('csatSurveys.answeredAt', '>=', start)
    .where('csatSurveys.answeredAt', '<', end);
  const rows = key ? await query.select(key).execute() : await query.execute();
  return rows as AnsweredSurvey[];
}

/** Display names of the groups: team names or people's names. */
export async function namesOf(
  db: Db,
  ws: Scope,
  grouping: 'team' | 'agent',
  ids: string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows =
    grouping === 'team'
      ? await db
          .selectFrom('teams')
          .select(['teams.id', 'teams.name'])
          .where('teams.workspaceId', '=', ws.workspaceId)
          .where('teams.id', 'in', ids)
          .execute()
      : await db
          .selectFrom('workspaceMembers')
          .innerJoin('users', 'users.id', 'workspaceMembers.userId')
          .select(['users.id', 'users.displayName as name'])
          .where('workspaceMembers.workspaceId', '=', ws.workspaceId)
          .where('users.id', 'in', ids)
          .execute();
  return new Map(rows.map((row) => [row.id, row.name]));
}
