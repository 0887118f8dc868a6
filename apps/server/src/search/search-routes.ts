import { SearchQuerySchema, SearchResultsSchema } from '@parley/protocol';
import type { RouteDeps } from '../deps';
import { actorOf } from '../http/auth-guard';
import { bearerAuth, errorResponses } from '../http/error-responses';
import type { ZodApp } from '../http/zod-app';
import { search } from './search-service';

export function registerSearchRoutes(app: ZodApp, deps: RouteDeps): void {
  app.get(
    '/search',
    {
      preHandler: deps.guards.requireUser,
      schema: {
        tags: ['search'],
        security: bearerAuth,
        summary:
          'Search tickets, messages and people you may read: words, "phrases" and operators (`in:`, `from:`, ' +
          '`is:`, `status:`, `priority:`, `label:`, `has:attachment`, `before:`, `after:`), ranked by relevance ' +
          'then recency, with highlighted snippets',
        querystring: SearchQuerySchema,
        response: { 200: SearchResultsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => search(deps, actorOf(request), request.query),
  );
}
