import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Db } from './connect';

const SLOT = Symbol('slot');
type Slot = { readonly [SLOT]: string };
const isSlot = (value: unknown): value is Slot => typeof value === 'object' && value !== null && SLOT in value;

interface Compiled {
  query: CompiledQuery;
  /** For each parameter: the name of the value that goes there, or null for a constant of the shape. */
  slots: (string | null)[];
}

/**
 * A hot statement, built and compiled once per shape and database instead of on every call.
 * Kysely builds a query's tree, runs the plugins over it (camel case, the workspace check) and
 * compiles it each time: for the send path's statements that is as much CPU as the database
 * spends running them. `build` gets stand-ins for the values, which must go into the query
 * as they are (parameters, never inspected: what the SQL looks like may depend on `shape`
 * only); the call puts the real ones in their places.
 */
export function compiledStatement<V extends Record<string, unknown>, S extends string = string>(
  build: (db: Db, values: V, shape: S) => Compilable<unknown>,
): (db: Db, values: V, shape?: S) => Promise<QueryResult<Record<string, unknown>>> {
  // Per adapter (a database instance and its dialect; a transaction shares its database's) and
  // per set of plugins (`acrossWorkspaces` has its own), then per shape.
  const cache = new WeakMap<object, Map<string, Compiled>>();
  return async (db, values, shape = '' as S) => {
    const executor = db.getExecutor();
    let shapes = cache.get(executor.adapter);
    if (!shapes) cache.set(executor.adapter, (shapes = new Map()));
    const key = `${executor.plugins.map((plugin) => plugin.constructor.name).join()}/${shape}`;
    let compiled = shapes.get(key);
    if (!compiled) shapes.set(key, (compiled = compile(db, build, shape)));
    const { query, slots } = compiled;
    const parameters = slots.map((slot, i) => (slot === null ? query.parameters[i] : values[slot]));
    return db.executeQuery<Record<string, unknown>>({ ...query, parameters });
  };
}

function compile<V, S>(db: Db, build: (db: Db, values: V, shape: S) => Compilable<unknown>, shape: S): Compiled {
  const named = new Set<string>();
  const stand = new Proxy({} as Record<string, Slot>, {
    get: (_, name) => {
      if (typeof name !== 'string') return undefined;
      named.add(name);
      return { [SLOT]: name };
    },
  });
  const query = build(db, stand as V, shape).compile();
  const slots = query.parameters.map((parameter) => (isSlot(parameter) ? parameter[SLOT] : null));
  // A value that did not become a parameter was frozen into the SQL, or decided its shape.
  const missing = [...named].filter((name) => !slots.includes(name));
  if (missing.length > 0) throw new Error(`compiledStatement: ${missing.join(', ')} did not become parameters`);
  return { query, slots };
}
