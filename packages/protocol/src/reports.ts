import { z } from 'zod';
import { IdSchema } from './common';

/**
 * The analytics dashboard (`reports.view`): each report over a range of days of an IANA time
 * zone, grouped by day, team, agent (assignee), priority or label. By label, a ticket with two labels
 * counts in both groups, one without any in `none`, and the total counts every ticket once. Durations are minutes; percentiles
 * interpolate linearly between ranks (PostgreSQL's `percentile_cont`), so first responses of
 * 1, 2, 3, 4 and 100 minutes have a median of 3 and a p90 of 61.6.
 */

export const ReportNameSchema = z
  .enum(['first-response-time', 'resolution-time', 'volume', 'backlog', 'sla', 'csat'])
  .describe(
    '`first-response-time` / `resolution-time`: of tickets opened / closed in the range; `volume`: opened and ' +
      'closed; `backlog`: tickets not closed at the end of each period; `sla`: targets met among targets ' +
      'decided, of tickets opened in the range; `csat`: surveys answered in the range',
  );
export type ReportName = z.infer<typeof ReportNameSchema>;

export const ReportGroupingSchema = z.enum(['day', 'team', 'agent', 'priority', 'label']);
export type ReportGrouping = z.infer<typeof ReportGroupingSchema>;

const day = z.iso.date();

export const ReportQuerySchema = z
  .object({
    from: day.describe('First day of the range (`YYYY-MM-DD`, in `timeZone`)'),
    to: day.describe('Last day of the range, included (at most 366 days after `from`)'),
    timeZone: z
      .string()
      .min(1)
      .max(64)
      .default('UTC')
      .describe('IANA time zone whose days count, e.g. `Europe/Berlin`'),
    groupBy: ReportGroupingSchema.default('day'),
    format: z.enum(['json', 'csv']).optional().describe('`csv` (or `Accept: text/csv`): a CSV file with a header row'),
  })
  .describe('The range, time zone and grouping of a report');
export type ReportQuery = z.input<typeof ReportQuerySchema>;

export const ReportParamsSchema = z.object({ report: ReportNameSchema });

const values = z
  .record(z.string(), z.number().nullable())
  .describe('One value per column; null where nothing was measured (a median of no tickets)');

export const ReportRowSchema = z
  .object({
    key: z
      .string()
      .describe(
        'The group: a day `YYYY-MM-DD`, a team, user or label id, a priority; `none` for no team, assignee or label',
      ),
    label: z.string().describe('What to show: the day, the team, person or label name, the priority'),
    values,
  })
  .meta({ id: 'ReportRow' });
export type ReportRow = z.infer<typeof ReportRowSchema>;

export const ReportSchema = z
  .object({
    report: ReportNameSchema,
    groupBy: ReportGroupingSchema,
    from: day,
    to: day,
    timeZone: z.string(),
    columns: z.array(z.string()).describe('The metric columns, in order'),
    rows: z.array(ReportRowSchema).describe('By day: every day of the range, in order; otherwise groups with data'),
    total: values.describe('The whole range, all groups together (by label, each ticket once)'),
    workspaceId: IdSchema,
  })
  .meta({ id: 'Report' });
export type Report = z.infer<typeof ReportSchema>;
