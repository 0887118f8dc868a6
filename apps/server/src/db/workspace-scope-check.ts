import {
  CamelCasePlugin,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Db } from './connect';
import { WORKSPACE_TABLES } from './schema';

/**
 * Fails a query that reads or writes a workspace's table without naming the workspace: every
 * SELECT, UPDATE and DELETE must compare `<table>.workspace_id` (or the unqualified column, when
 * the table is the only one) in a WHERE, ON or HAVING, and every INSERT must set it. Raw SQL that
 * names such a table must mention `workspace_id`. The app runs with it whenever
 * `CHECK_WORKSPACE_SCOPE` is on, as in every test; code that must span workspaces (the job
 * runner, sign-in) says so with `acrossWorkspaces(db)`.
 *
 * The check is syntactic: it proves the workspace is named, not that the right one is. That
 * comes from the actor the guard resolved, which is the only place services take it from.
 */
export class WorkspaceScopeCheck implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const problem = findUnscopedTable(args.node);
    if (problem) {
      const error = new Error(`Query of ${problem} without its workspace (see db/workspace-scope-check.ts)`);
      // Thrown inside a route this becomes a bare 500; say it where the developer will look.
      console.error(error.stack);
      throw error;
    }
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The same database without the check, for the few queries that span workspaces by design. */
export const acrossWorkspaces = (db: Db): Db => db.withoutPlugins().withPlugin(new CamelCasePlugin());

const SCOPED = new Set<string>(WORKSPACE_TABLES);
const COLUMN = 'workspace_id';
const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

type Node = OperationNode & Record<string, unknown>;
const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && typeof (value as { kind?: unknown }).kind === 'string';

/** The first scoped table some query in the tree uses without its workspace, or null. */
export function findUnscopedTable(root: OperationNode): string | null {
  let problem: string | null = null;
  visit(root, (node) => {
    if (problem) return;
    problem = checkQuery(node);
  });
  return problem;
}

function visit(value: unknown, each: (node: Node) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, each);
    return;
  }
  if (!isNode(value)) return;
  each(value);
  for (const child of Object.values(value)) if (typeof child === 'object') visit(child, each);
}

function checkQuery(node: Node): string | null {
  switch (node.kind) {
    case 'SelectQueryNode':
    case 'UpdateQueryNode':
    case 'DeleteQueryNode':
      return checkReadOrWrite(node);
    case 'InsertQueryNode':
      return checkInsert(node);
    case 'RawNode':
      return checkRaw(node);
    default:
      return null;
  }
}

interface Source {
  table: string;
  alias: string;
}

function checkReadOrWrite(node: Node): string | null {
  const sources = [
    ...sourcesOf((node.from as Node | undefined)?.froms),
    ...sourcesOf(node.kind === 'UpdateQueryNode' ? [node.table] : []),
    ...sourcesOf((node.using as Node | undefined)?.tables),
    ...sourcesOf(((node.joins as Node[] | undefined) ?? []).map((j) => j.table)),
  ];
  const scoped = sources.filter((s) => SCOPED.has(s.table));
  if (scoped.length === 0) return null;
  const named = workspaceReferences([node.where, node.having, ...((node.joins as Node[] | undefined) ?? [])]);
  for (const source of scoped) {
    const ok = named.qualified.has(source.alias) || (named.unqualified && sources.length === 1);
    if (!ok) return source.table;
  }
  return null;
}

function sourcesOf(nodes: unknown): Source[] {
  if (!Array.isArray(nodes)) return [];
  return nodes.flatMap((n: Node): Source[] => {
    if (n.kind === 'TableNode') {
      const table = tableName(n);
      return [{ table, alias: table }];
    }
    if (n.kind === 'AliasNode' && isNode(n.node) && n.node.kind === 'TableNode') {
      return [{ table: tableName(n.node), alias: snake(identifier(n.alias)) }];
    }
    return [];
  });
}

const tableName = (table: Node) => snake(identifier((table.table as Node).identifier));
const identifier = (node: unknown) => String((node as { name?: unknown }).name ?? '');

/** Which aliases have their `workspace_id` compared somewhere in these clauses. */
function workspaceReferences(clauses: unknown[]): { qualified: Set<string>; unqualified: boolean } {
  const qualified = new Set<string>();
  let unqualified = false;
  visit(clauses, (node) => {
    if (node.kind !== 'ReferenceNode') return;
    const column = (node.column as Node).column;
    if (snake(identifier(column)) !== COLUMN) return;
    const table = node.table as Node | undefined;
    if (table) qualified.add(tableName(table));
    else unqualified = true;
  });
  return { qualified, unqualified };
}

function checkInsert(node: Node): string | null {
  const table = tableName(node.into as Node);
  if (!SCOPED.has(table)) return null;
  const columns = ((node.columns as Node[] | undefined) ?? []).map((c) => snake(identifier(c.column)));
  return columns.includes(COLUMN) ? null : table;
}

function checkRaw(node: Node): string | null {
  const text = (node.sqlFragments as string[]).join(' ? ').toLowerCase();
  for (const match of text.matchAll(/\b(?:from|join|update|into)\s+"?`?([a-z_]+)/g)) {
    const table = match[1]!;
    if (SCOPED.has(table) && !text.includes(COLUMN)) return table;
  }
  return null;
}
