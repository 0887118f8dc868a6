import {
  CamelCasePlugin,
  DummyDriver,
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Dialect,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from './schema';
import { acrossWorkspaces, WorkspaceScopeCheck } from './workspace-scope-check';

const DIALECTS: Record<string, Dialect> = {
  sqlite: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
  mysql: {
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new MysqlIntrospector(db),
    createQueryCompiler: () => new MysqlQueryCompiler(),
  },
  postgres: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
};

const WS = '01JWWWWWWWWWWWWWWWWWWWWWWW';

describe.each(Object.keys(DIALECTS))('the workspace scope check on %s', (name) => {
  const db = new Kysely<Database>({
    dialect: DIALECTS[name]!,
    plugins: [new CamelCasePlugin(), new WorkspaceScopeCheck()],
  });
  // The check also logs what it refuses; the test says it anyway.
  const quiet = <T>(run: () => T): T => {
    const error = console.error;
    console.error = () => {};
    try {
      return run();
    } finally {
      console.error = error;
    }
  };
  const refuses = (compile: () => unknown, table: string) =>
    expect(() => quiet(compile)).toThrow(`Query of ${table} without its workspace`);

  it('refuses a ticket looked up by id alone, and lets it through with its workspace', () => {
    refuses(() => db.selectFrom('tickets').selectAll().where('id', '=', 'x').compile(), 'tickets');
    expect(
      db.selectFrom('tickets').selectAll().where('workspaceId', '=', WS).where('id', '=', 'x').compile().sql,
    ).toMatch(/workspace_id/);
  });

  it('wants every joined workspace table named, by its alias', () => {
    const joined = db
      .selectFrom('conversations as c')
      .innerJoin('messages as m', 'm.conversationId', 'c.id')
      .select('m.id')
      .where('c.workspaceId', '=', WS);
    refuses(() => joined.compile(), 'messages');
    expect(() => joined.where('m.workspaceId', '=', WS).compile()).not.toThrow();
  });

  it('checks subqueries on their own', () => {
    refuses(
      () =>
        db
          .selectFrom('tickets')
          .select('id')
          .where('workspaceId', '=', WS)
          .where('conversationId', 'in', db.selectFrom('conversationMembers').select('conversationId'))
          .compile(),
      'conversation_members',
    );
  });

  it('checks updates, deletes and inserts', () => {
    refuses(() => db.updateTable('tickets').set({ status: 'closed' }).where('id', '=', 'x').compile(), 'tickets');
    refuses(() => db.deleteFrom('reactions').where('messageId', '=', 'x').compile(), 'reactions');
    refuses(
      () =>
        db
          .insertInto('contacts')
          .values({ userId: 'a', contactId: 'b', createdAt: 1 } as never)
          .compile(),
      'contacts',
    );
    expect(() =>
      db.insertInto('contacts').values({ workspaceId: WS, userId: 'a', contactId: 'b', createdAt: 1 }).compile(),
    ).not.toThrow();
  });

  it('reads raw SQL for the tables it names', () => {
    refuses(() => sql`select * from tickets where id = ${'x'}`.compile(db), 'tickets');
    expect(() => sql`select * from tickets where workspace_id = ${WS}`.compile(db)).not.toThrow();
  });

  it('leaves tables of the installation alone, and lets `acrossWorkspaces` span them on purpose', () => {
    expect(() => db.selectFrom('users').selectAll().where('id', '=', 'x').compile()).not.toThrow();
    expect(() => acrossWorkspaces(db).selectFrom('workspaceMembers').selectAll().compile()).not.toThrow();
  });
});
