import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db/database-url';

/** A table as an archive holds it: its stored columns (sorted) and its primary key, in order. */
export interface CatalogTable {
  name: string;
  columns: string[];
  key: string[];
  /** Its foreign keys' columns and the tables they point to. */
  references: { column: string; parent: string }[];
}

/**
 * The database with its raw table and column names (snake_case, no CamelCasePlugin): the
 * archive is the database's own shape, whatever the tables are.
 */
export type RawTables = Record<string, Record<string, unknown>>;
export type RawDb = Kysely<RawTables>;

export const rawDb = <T>(db: Kysely<T>): RawDb => db.withoutPlugins() as unknown as RawDb;

/**
 * Every table the archive carries, parents before children (by the database's own foreign
 * keys), so rows load in this order without breaking a constraint. Left out: the migrator's
 * bookkeeping, and what each database derives from the rows itself (SQLite's full-text
 * tables, PostgreSQL's `tsvector` and MariaDB's search columns, all generated): the target
 * derives its own.
 */
export async function readCatalog(db: RawDb, dialect: Dialect): Promise<CatalogTable[]> {
  const tables = (await db.introspection.getTables()).filter(
    (t) => !t.isView && !t.name.startsWith('kysely_') && !/_fts(_|$)/.test(t.name),
  );
  const generated = await generatedColumns(db, dialect);
  const references = await foreignKeys(db, dialect);
  const catalog = new Map<string, CatalogTable>();
  for (const table of tables) {
    const columns = table.columns
      .map((c) => c.name)
      .filter((c) => !generated.has(`${table.name}.${c}`))
      .sort();
    const key = await primaryKeyOf(db, dialect, table.name);
    if (key.length === 0) throw new Error(`Table ${table.name} has no primary key: it cannot be archived`);
    const own = references.filter((r) => r.child === table.name).map(({ column, parent }) => ({ column, parent }));
    catalog.set(table.name, { name: table.name, columns, key, references: own });
  }
  return parentsFirst(catalog, references);
}

async function generatedColumns(db: RawDb, dialect: Dialect): Promise<Set<string>> {
  const query =
    dialect === 'postgres'
      ? sql<{ name: string }>`SELECT table_name || '.' || column_name AS name FROM information_schema.columns
          WHERE table_schema = current_schema() AND is_generated = 'ALWAYS'`
      : dialect === 'mysql'
        ? sql<{ name: string }>`SELECT CONCAT(table_name, '.', column_name) AS name FROM information_schema.columns
            WHERE table_schema = DATABASE() AND extra LIKE '%GENERATED%'`
        : // SQLite's table_info leaves generated columns out already (table_xinfo would show them).
          null;
  if (!query) return new Set();
  return new Set((await query.execute(db)).rows.map((r) => r.name));
}

async function primaryKeyOf(db: RawDb, dialect: Dialect, table: string): Promise<string[]> {
  const query =
    dialect === 'postgres'
      ? sql<{ name: string }>`SELECT a.attname AS name FROM pg_index i
          JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
          WHERE i.indrelid = to_regclass(${table}) AND i.indisprimary
          ORDER BY array_position(i.indkey::int2[], a.attnum)`
      : dialect === 'mysql'
        ? sql<{ name: string }>`SELECT column_name AS name FROM information_schema.key_column_usage
            WHERE table_schema = DATABASE() AND table_name = ${table} AND constraint_name = 'PRIMARY'
            ORDER BY ordinal_position`
        : sql<{ name: string }>`SELECT name FROM pragma_table_info(${table}) WHERE pk > 0 ORDER BY pk`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

type ForeignKey = { child: string; column: string; parent: string };

/** Every foreign key column: its table, and the table it refers to. */
async function foreignKeys(db: RawDb, dialect: Dialect): Promise<ForeignKey[]> {
  const query =
    dialect === 'sqlite'
      ? sql<ForeignKey>`SELECT m.name AS child, f."from" AS "column", f."table" AS parent
          FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'`
      : dialect === 'postgres'
        ? sql<ForeignKey>`SELECT c.relname AS child, a.attname AS "column", p.relname AS parent FROM pg_constraint k
            JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
            JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = ANY(k.conkey)
            WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`
        : sql<ForeignKey>`SELECT table_name AS child, column_name AS \`column\`, referenced_table_name AS parent
            FROM information_schema.key_column_usage
            WHERE table_schema = DATABASE() AND referenced_table_name IS NOT NULL`;
  return (await query.execute(db)).rows;
}

/** Kahn's order; ties by name, so every database lists the tables alike. */
function parentsFirst(
  tables: Map<string, CatalogTable>,
  references: { child: string; parent: string }[],
): CatalogTable[] {
  const waitingFor = new Map([...tables.keys()].map((name) => [name, new Set<string>()]));
  for (const { child, parent } of references) {
    if (child !== parent && tables.has(child) && tables.has(parent)) waitingFor.get(child)!.add(parent);
  }
  const ordered: CatalogTable[] = [];
  while (waitingFor.size > 0) {
    const ready = [...waitingFor].filter(([, parents]) => parents.size === 0).map(([name]) => name);
    if (ready.length === 0) throw new Error(`Foreign keys form a cycle among ${[...waitingFor.keys()].join(', ')}`);
    for (const name of ready.sort()) {
      ordered.push(tables.get(name)!);
      waitingFor.delete(name);
      for (const parents of waitingFor.values()) parents.delete(name);
    }
  }
  return ordered;
}
