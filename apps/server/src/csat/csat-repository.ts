import type { Insertable } from 'kysely';
import type { Scope } from '../auth/actor';
import type { Db } from '../db/connect';
import { isUniqueViolation } from '../db/constraint-errors';
import type { CsatSurveyRow, CsatSurveysTable } from '../db/schema';

/** Adds the survey of a closure; false when that closure already has one (a reaction run twice). */
export async function insertSurvey(db: Db, row: Insertable<CsatSurveysTable>): Promise<boolean> {
  try {
    await db.insertInto('csatSurveys').values(row).execute();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** A ticket's surveys, newest closure first. */
export async function listSurveysOfTicket(db: Db, ws: Scope, ticketId: string): Promise<CsatSurveyRow[]> {
  return db
    .selectFrom('csatSurveys')
    .selectAll()
    .where('workspaceId', '=', ws.workspaceId)
    .where('ticketId', '=', ticketId)
    .orderBy('closedAt', 'desc')
    .execute();
}

/** Records the answer only if the survey is still unanswered; answers whether it did. */
export async function answerSurvey(
  db: Db,
  ws: Scope,
  id: string,
  answer: { score: number; comment: string | null; answeredAt: number },
): Promise<boolean> {
  const { numUpdatedRows } = await db
    .updateTable('csatSurveys')
    .set(answer)
    .where('workspaceId', '=', ws.workspaceId)
    .where('id', '=', id)
    .where('answeredAt', 'is', null)
    .executeTakeFirst();
  return Number(numUpdatedRows) > 0;
}
