import { MysqlAdapter, PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Full-text indexes for `GET /search` (decision 0013), each dialect's own, kept current in the
 * same transaction as the write, by the database itself:
 *
 * - SQLite: FTS5 tables over the rows (external content: they hold the index, not a copy of the
 *   text), `unicode61 remove_diacritics 2`, kept by triggers.
 * - PostgreSQL: GIN indexes over a `tsvector` expression (`searchVector`, which queries repeat
 *   word for word so the planner uses them), built with the `parley_search` configuration:
 *   `simple` (no stemming, so names and every language work alike) behind `unaccent`.
 *   Punctuation inside a word becomes a space first, so "sam@example.com" and "v2.5" are
 *   words the way the other engines see them, not one e-mail or version token. An expression
 *   rather than a stored column: `SELECT *` of a message stays as wide as it was.
 * - MariaDB: InnoDB FULLTEXT indexes, without stopwords. FULLTEXT matching follows the
 *   column's collation, so the searched text compares with `utf8mb4_unicode_520_ci` (case and
 *   accents folded): message bodies, ticket texts and file names change collation (they were
 *   `utf8mb4_bin`; nothing compares them for equality); names, which are compared exactly
 *   everywhere, are copied into an invisible stored column `users.search_name` instead.
 */
export const SEARCHED = {
  messages: ['body'],
  tickets: ['subject', 'description'],
  users: ['display_name', 'username'],
  attachments: ['file_name'],
} as const;

type Table = keyof typeof SEARCHED;
const TABLES = Object.keys(SEARCHED) as Table[];

/** Characters that join the parts of one PostgreSQL token (e-mail, host, path, version, URL). */
const JOINERS = `@./:_+=?&#~%\\`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return upPostgres(db);
  if (adapter instanceof MysqlAdapter) return upMysql(db);
  return upSqlite(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const adapter = db.getExecutor().adapter;
  for (const table of TABLES) {
    if (adapter instanceof PostgresAdapter) {
      await sql.raw(`DROP INDEX ${table}_search_idx`).execute(db);
    } else if (adapter instanceof MysqlAdapter) {
      await sql`DROP INDEX ${sql.raw(`${table}_search_idx`)} ON ${sql.table(table)}`.execute(db);
      if (table === 'tickets') await sql`DROP INDEX tickets_subject_search_idx ON tickets`.execute(db);
      if (table === 'users') {
        await sql`ALTER TABLE users DROP COLUMN search_name`.execute(db);
        continue;
      }
      for (const column of await columnsOf(db, table)) {
        await sql.raw(`ALTER TABLE ${table} MODIFY ${column.name} ${column.definition('utf8mb4_bin')}`).execute(db);
      }
    } else {
      for (const event of ['insert', 'update', 'delete']) {
        await sql.raw(`DROP TRIGGER ${table}_fts_${event}`).execute(db);
      }
      await sql.raw(`DROP TABLE ${table}_fts`).execute(db);
    }
  }
  if (adapter instanceof PostgresAdapter) await sql`DROP TEXT SEARCH CONFIGURATION parley_search`.execute(db);
}

async function upSqlite(db: Kysely<unknown>) {
  for (const table of TABLES) {
    const columns = SEARCHED[table].join(', ');
    const fts = `${table}_fts`;
    const values = (row: 'new' | 'old') => SEARCHED[table].map((c) => `${row}.${c}`).join(', ');
    await sql
      .raw(
        `CREATE VIRTUAL TABLE ${fts} USING fts5(${columns}, content='${table}', content_rowid='rowid', ` +
          `tokenize='unicode61 remove_diacritics 2')`,
      )
      .execute(db);
    await sql.raw(`INSERT INTO ${fts}(${fts}) VALUES ('rebuild')`).execute(db);
    const remove = `INSERT INTO ${fts}(${fts}, rowid, ${columns}) VALUES ('delete', old.rowid, ${values('old')});`;
    const add = `INSERT INTO ${fts}(rowid, ${columns}) VALUES (new.rowid, ${values('new')});`;
    await sql.raw(`CREATE TRIGGER ${fts}_insert AFTER INSERT ON ${table} BEGIN ${add} END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${fts}_delete AFTER DELETE ON ${table} BEGIN ${remove} END`).execute(db);
    await sql
      .raw(`CREATE TRIGGER ${fts}_update AFTER UPDATE OF ${columns} ON ${table} BEGIN ${remove} ${add} END`)
      .execute(db);
  }
}

async function upPostgres(db: Kysely<unknown>) {
  await sql`CREATE EXTENSION IF NOT EXISTS unaccent`.execute(db);
  await sql`CREATE TEXT SEARCH CONFIGURATION parley_search (COPY = simple)`.execute(db);
  await sql`ALTER TEXT SEARCH CONFIGURATION parley_search
    ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart WITH unaccent, simple`.execute(db);
  for (const table of TABLES) {
    await sql.raw(`CREATE INDEX ${table}_search_idx ON ${table} USING gin ((${searchVector(table)}))`).execute(db);
  }
}

/**
 * The indexed `tsvector` of a row of `table`, its columns referred to as `${alias}.column`.
 * Earlier columns weigh more (A, B): a ticket's subject above its description.
 */
export function searchVector(table: Table, alias: string = table): string {
  const spaces = ' '.repeat(JOINERS.length);
  return SEARCHED[table]
    .map(
      (column, i) =>
        `setweight(to_tsvector('parley_search'::regconfig, translate(${alias}.${column}, ` +
        `${quote(JOINERS)}, ${quote(spaces)})), '${'AB'[i]}')`,
    )
    .join(' || ');
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

const FOLDED = 'utf8mb4_unicode_520_ci';

async function upMysql(db: Kysely<unknown>) {
  for (const table of TABLES) {
    let indexed: string[] = [...SEARCHED[table]];
    if (table === 'users') {
      await sql
        .raw(
          `ALTER TABLE users ADD COLUMN search_name varchar(100) CHARACTER SET utf8mb4 COLLATE ${FOLDED} ` +
            `AS (concat(display_name, ' ', username)) STORED INVISIBLE`,
        )
        .execute(db);
      indexed = ['search_name'];
    } else {
      for (const column of await columnsOf(db, table)) {
        await sql.raw(`ALTER TABLE ${table} MODIFY ${column.name} ${column.definition(FOLDED)}`).execute(db);
      }
    }
    // The stopword list is fixed when the index is made: none, so "the who" is searchable.
    await db.connection().execute(async (connection) => {
      await sql`SET SESSION innodb_ft_enable_stopword = OFF`.execute(connection);
      await sql
        .raw(`CREATE FULLTEXT INDEX ${table}_search_idx ON ${table} (${indexed.join(', ')})`)
        .execute(connection);
      // MATCH scores only the columns of one index: this one lets a subject match weigh more.
      if (table === 'tickets') {
        await sql`CREATE FULLTEXT INDEX tickets_subject_search_idx ON tickets (subject)`.execute(connection);
      }
    });
  }
}

/** A searched column's definition, to restate it with another collation. */
async function columnsOf(db: Kysely<unknown>, table: Table) {
  const { rows } = await sql<{ name: string; type: string; nullable: string }>`
    SELECT column_name AS name, column_type AS type, is_nullable AS nullable FROM information_schema.columns
    WHERE table_schema = DATABASE() AND table_name = ${table}`.execute(db);
  return SEARCHED[table].map((name) => {
    const column = rows.find((r) => r.name === name);
    if (!column) throw new Error(`No column ${table}.${name}`);
    return {
      name,
      definition: (collation: string) =>
        `${column.type} CHARACTER SET utf8mb4 COLLATE ${collation}${column.nullable === 'NO' ? ' NOT NULL' : ''}`,
    };
  });
}
