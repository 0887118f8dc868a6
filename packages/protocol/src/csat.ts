import { z } from 'zod';
import { IdSchema, PlainTextSchema, TimestampSchema } from './common';

/**
 * Customer satisfaction: each time a ticket is closed its requester is asked once for a score
 * (1–5) and an optional comment. One survey per closure; a reopened and closed again ticket asks
 * again. Staff see the answers on the ticket and in reports.
 */

export const CSAT_COMMENT_MAX = 2000;

export const CsatSurveySchema = z
  .object({
    id: IdSchema,
    ticketId: IdSchema,
    closedAt: TimestampSchema.describe('The closure this survey asks about'),
    askedAt: TimestampSchema,
    score: z.number().int().min(1).max(5).nullable().describe('1 (bad) … 5 (great); null: not answered yet'),
    comment: z.string().nullable(),
    answeredAt: TimestampSchema.nullable(),
    isCurrent: z
      .boolean()
      .describe(
        "Whether it asks about the ticket's latest closure while the ticket is still closed: only that one may be answered",
      ),
  })
  .meta({ id: 'CsatSurvey' });
export type CsatSurvey = z.infer<typeof CsatSurveySchema>;

export const CsatSurveyListSchema = z
  .object({ items: z.array(CsatSurveySchema).describe('Newest closure first') })
  .meta({ id: 'CsatSurveyList' });
export type CsatSurveyList = z.infer<typeof CsatSurveyListSchema>;

export const CsatAnswerBodySchema = z
  .object({
    score: z.number().int().min(1).max(5).describe('1 (bad) … 5 (great)'),
    comment: PlainTextSchema.max(CSAT_COMMENT_MAX).optional().describe('Optional: what went well or not'),
    surveyId: IdSchema.optional().describe(
      'The survey answered (from `GET /tickets/{id}/csat`); a survey of an older closure is refused (409)',
    ),
  })
  .meta({ id: 'CsatAnswerBody' })
  .describe("The requester's answer to the survey of the ticket's latest closure");
export type CsatAnswerBody = z.infer<typeof CsatAnswerBodySchema>;
