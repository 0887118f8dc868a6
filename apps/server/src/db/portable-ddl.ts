import { MysqlAdapter, PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The few places one migration set must bend per dialect. Everything else in a migration is
 * plain Kysely schema builder and runs unchanged on SQLite, MariaDB and PostgreSQL.
 */
export function createTable(db: Kysely<unknown>, name: string) {
  const builder = db.schema.createTable(name);
  // MariaDB's server default may be latin1 with a case-insensitive collation. Pin UTF-8 with
  // 4-byte characters (emoji) and binary comparison, so equality means the same as elsewhere.
  return db.getExecutor().adapter instanceof MysqlAdapter ? builder.modifyEnd(sqlTableOptions) : builder;
}

/** MariaDB names indexes per table (`DROP INDEX i ON t`); SQLite and PostgreSQL per schema. */
export function dropIndex(db: Kysely<unknown>, name: string, table: string) {
  const builder = db.schema.dropIndex(name);
  return db.getExecutor().adapter instanceof MysqlAdapter ? builder.on(table) : builder;
}

/**
 * Gives a NOT NULL varchar column a new length. MariaDB restates the whole column, PostgreSQL
 * changes its type; SQLite enforces no lengths (and cannot alter a column), so it has nothing to do.
 */
export async function setVarcharLength(db: Kysely<unknown>, table: string, column: string, length: number) {
  const adapter = db.getExecutor().adapter;
  const type = `varchar(${length})` as const;
  if (adapter instanceof MysqlAdapter) {
    await db.schema
      .alterTable(table)
      .modifyColumn(column, type, (c) => c.notNull())
      .execute();
  } else if (adapter instanceof PostgresAdapter) {
    await db.schema
      .alterTable(table)
      .alterColumn(column, (c) => c.setDataType(type))
      .execute();
  }
}

const sqlTableOptions = sql`ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;

/** Column types, named once: ids are ULIDs, times are epoch milliseconds. */
export const ID = 'varchar(26)';
export const TIME = 'bigint';
