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
  let named = 0;
  const nameOf = (text: string): string | undefined => {
    const name = names.get(text);
    if (name !== undefined || names.size >= MAX_NAMED) return name;
    if (!seen.has(text)) {
      if (seen.size >= MAX_SEEN) seen.clear();
      seen.add(text);
      return undefined;
    }
    seen.delete(text);
    const fresh = `parley_${++named}`;
    names.set(text, fresh);
    return fresh;
  };
  /**
   * A table changed under a prepared `select *` (a newer version's migration while this one
   * runs): PostgreSQL refuses to run the statement again. Every connection switches to a new
   * name, prepared afresh on its next use; the old one stays unused.
   */
  const renameStale = (text: string, stale: string) => {
    if (names.get(text) === stale) names.set(text, `parley_${++named}`);
  };

  return (client) => {
    const query = client.query.bind(client) as (config: pg.QueryConfig) => Promise<pg.QueryResult>;
    // Kysely runs every query as `query(text, values)`; any other call (a cursor, a callback) is left as is.
    client.query = ((...args: unknown[]) => {
      const [text, values] = args;
      if (args.length === 2 && typeof text === 'string' && Array.isArray(values) && values.length > 0) {
        const name = nameOf(text);
        if (name !== undefined) {
          return query({ name, text, values }).catch((error: unknown) => {
            if (!isStalePlan(error)) throw error;
            renameStale(text, name);
            // Outside a transaction the query runs again as it is now; inside one, the transaction
            // has failed and says so (the caller's retry will find the new name).
            return query({ name: nameOf(text), text, values }).catch(() => Promise.reject(error));
          });
        }
      }
      return (query as (...a: unknown[]) => unknown)(...args);
    }) as typeof client.query;
  };
}

const isStalePlan = (error: unknown) =>
  (error as { code?: unknown }).code === '0A000' && /cached plan must not change result type/.test(String(error));
