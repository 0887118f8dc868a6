import type pg from 'pg';

/** Statements named at most, per process (each connection prepares the ones it runs). */
const MAX_NAMED = 400;
/** Texts remembered while they wait for their second run; forgotten all at once when full. */
const MAX_SEEN = 5000;

/**
 * PostgreSQL plans a statement each time it is sent unnamed: for the send path's queries that
 * costs more than running them (0.3–0.6 ms against ~0.1 ms for the direct chat's access check,
 * and it is the database's CPU on a machine the server shares). A named statement is parsed
 * once per connection, and after five runs PostgreSQL keeps a generic plan when it is no worse.
 *
 * A text is named the second time it runs, so the one-off queries (a report, an admin page) do
 * not fill the connections with statements; at most MAX_NAMED are, whatever runs later stays
 * unnamed. Statements without parameters (`begin`, `commit`, `SET`) use the simple protocol.
 */
export function prepareRepeatedStatements(): (client: pg.PoolClient) => void {
  const names = new Map<string, string>();
  const seen = new Set<string>();
  const nameOf = (text: string): string | undefined => {
    const name = names.get(text);
    if (name !== undefined || names.size >= MAX_NAMED) return name;
    if (!seen.has(text)) {
      if (seen.size >= MAX_SEEN) seen.clear();
      seen.add(text);
      return undefined;
    }
    seen.delete(text);
    const named = `parley_${names.size + 1}`;
    names.set(text, named);
    return named;
  };

  return (client) => {
    const query = client.query.bind(client) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
    // Kysely runs every query as `query(text, values)`; any other call (a cursor, a callback) is left as is.
    client.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameOf(text);
        if (name !== undefined) return query({ name, text, values });
      }
      return (query as (...a: unknown[]) => unknown)(...args);
    }) as typeof client.query;
  };
}
