import type { CsatAnswerBody, CsatSurvey, CsatSurveyList, Ticket } from '@parley/protocol';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit-service';
import { toIso } from '../clock';
import type { CsatSurveyRow } from '../db/schema';
import type { ServiceDeps } from '../deps';
import { AppError } from '../http/app-error';
import { getTicket } from '../tickets/ticket-service';
import { answerSurvey, listSurveysOfTicket } from './csat-repository';

/** The survey that may be answered: the one of the ticket's latest closure, while it stays closed. */
const isCurrent = (ticket: Pick<Ticket, 'status' | 'closedAt'>, row: CsatSurveyRow) =>
  ticket.status === 'closed' && ticket.closedAt !== null && Date.parse(ticket.closedAt) === row.closedAt;

function presentSurvey(ticket: Ticket, row: CsatSurveyRow): CsatSurvey {
  return {
    id: row.id,
    ticketId: row.ticketId,
    closedAt: toIso(row.closedAt),
    askedAt: toIso(row.askedAt),
    score: row.score,
    comment: row.comment,
    answeredAt: row.answeredAt === null ? null : toIso(row.answeredAt),
    isCurrent: isCurrent(ticket, row),
  };
}

/** A ticket's surveys, for whoever may see the ticket (its requester, staff of its queue). */
export async function listCsat(deps: ServiceDeps, actor: Actor, ticketId: string): Promise<CsatSurveyList> {
  const ticket = await getTicket(deps, actor, ticketId);
  const rows = await listSurveysOfTicket(deps.db, actor, ticket.id);
  return { items: rows.map((row) => presentSurvey(ticket, row)) };
}

/**
 * The requester's answer to the survey of the ticket's latest closure: once (409 after), and
 * never to the survey of an older closure or of a ticket that was reopened (409).
 */
export async function answerCsat(
  deps: ServiceDeps,
  actor: Actor,
  ticketId: string,
  body: CsatAnswerBody,
): Promise<CsatSurvey> {
  const ticket = await getTicket(deps, actor, ticketId);
  if (ticket.requesterId !== actor.id)
    throw new AppError('forbidden', "Only the ticket's requester answers its survey");
  const rows = await listSurveysOfTicket(deps.db, actor, ticket.id);
  const current = rows.find((row) => isCurrent(ticket, row));
  const conflict = (reason: string, message: string) =>
    new AppError('conflict', message, {
      fields: [{ in: 'body', path: 'surveyId', reason: 'invalid', message: reason }],
    });
  if (!current) throw conflict('not_asked', 'This ticket has no open survey: it is not closed, or not asked yet');
  if (body.surveyId !== undefined && body.surveyId !== current.id) {
    throw conflict('stale', 'That survey asks about an older closure of the ticket');
  }
  const at = deps.clock.now();
  const answer = { score: body.score, comment: body.comment?.trim() ? body.comment.trim() : null, answeredAt: at };
  const survey = presentSurvey(ticket, { ...current, ...answer });
  const { id, conversationId, requesterId, assigneeId, teamId } = ticket;
  const event = {
    workspaceId: actor.workspaceId,
    type: 'ticket.csat_answered',
    ticket: { id, conversationId, requesterId, assigneeId, teamId },
    survey,
  } as const;
  const answered = await deps.db.transaction().execute(async (trx) => {
    if (!(await answerSurvey(trx, actor, current.id, answer))) return false;
    // Recorded for durable reactions (webhooks).
    await deps.reactions.record(trx, event, at);
    await recordAudit(trx, actor, at, {
      actorId: actor.id,
      action: 'ticket.csat_answered',
      entityType: 'ticket',
      entityId: ticket.id,
      data: { surveyId: current.id, score: body.score },
    });
    return true;
  });
  if (!answered) throw conflict('answered', 'This survey was answered already');
  deps.events.publish(event);
  return survey;
}
