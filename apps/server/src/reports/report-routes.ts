import { ReportParamsSchema, ReportQuerySchema, ReportSchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { buildReport, reportAsCsv } from './report-service';

export function registerReportRoutes(app: ZodApp, deps: RouteDeps): void {
  app.get(
    '/reports/:report',
    {
      preHandler: deps.guards.requirePermission('reports.view'),
      schema: {
        tags: ['reports'],
        security: bearerAuth,
        summary: 'A report of the analytics dashboard (`reports.view`), by day, team, agent or priority',
        description:
          'Days are those of `timeZone`. `?format=csv` or `Accept: text/csv` answers a CSV file: a header row ' +
          '(`key,label,` and the columns), a row per group, then `total`.',
        params: ReportParamsSchema,
        querystring: ReportQuerySchema,
        response: { 200: ReportSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { format, ...input } = request.query;
      const report = await buildReport(deps, actorOf(request), request.params.report, input);
      const wantsCsv = format === 'csv' || (format === undefined && /\btext\/csv\b/.test(request.headers.accept ?? ''));
      if (!wantsCsv) return report;
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${report.report}-${report.from}-${report.to}.csv"`)
        .send(reportAsCsv(report) as never);
    },
  );
}
