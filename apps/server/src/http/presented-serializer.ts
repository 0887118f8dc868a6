import { isDeepStrictEqual } from 'node:util';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema';
import { serializerCompiler } from 'fastify-type-provider-zod';

/** What Fastify hands a serializer compiler, for any route's schema (its type follows the route's). */
type SerializerCompiler = <S>(route: FastifyRouteSchemaDef<S>) => (data: unknown) => string;

/**
 * The answer as `JSON.stringify` writes it, for the hot read routes (history, lists), whose
 * presenters build every field from typed object literals (TypeScript refuses a field the
 * protocol type lacks). Re-checking each id and date of a 50-item page with zod on the way out
 * was ~15 % of a history request's CPU and proved nothing the types had not.
 *
 * With `verify` (tests, development) zod still encodes every answer, and one it would change (a
 * field the schema lacks, a value it refuses) fails the request: the whole suite keeps proving
 * the presenters. Production (`NODE_ENV=production`) skips it.
 */
export function presentedSerializer(verify: boolean): SerializerCompiler {
  return (route) => {
    if (!verify) return (data) => JSON.stringify(data);
    const checked = serializerCompiler(route as Parameters<typeof serializerCompiler>[0]);
    return (data) => {
      const json = JSON.stringify(data);
      if (!isDeepStrictEqual(JSON.parse(checked(data)), JSON.parse(json))) {
        throw new Error(`${route.method} ${route.url}: the answer is not exactly its response schema`);
      }
      return json;
    };
  };
}
