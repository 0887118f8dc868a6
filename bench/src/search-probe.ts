/**
 * Times the search service straight against a seeded database (no HTTP), per kind, for
 * profiling the SQL of the `search` scenario's queries (or of one given query):
 *   npx tsx bench/src/search-probe.ts sqlite:///tmp/x.db ["two words "] [tickets to seed first]
 */
import { sql } from 'kysely';
import { PermissionSchema, type SearchResults } from '@parley/protocol';
import { openDatabase } from '../../apps/server/src/db/connect';
import { migrateToLatest } from '../../apps/server/src/db/migrate';
import { newId } from '../../apps/server/src/ids';
import { search } from '../../apps/server/src/search/search-service';
import { seedReportDesk } from './systems/report-fixtures';
import { makeVocabulary } from './systems/vocabulary';

const [url = 'sqlite:///tmp/probe.db', q, seedTickets] = process.argv.slice(2);
const { db } = await openDatabase(url, { poolSize: 2 });
await migrateToLatest(db);
const workspaceId = (await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
if (seedTickets) {
  // A desk of its own, as the scenario seeds it (users are not needed: foreign keys off).
  if (url.startsWith('sqlite')) await sql`PRAGMA foreign_keys = OFF`.execute(db);
  else if (url.startsWith('postgres')) await sql`SET session_replication_role = replica`.execute(db);
  else await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(db);
  await seedReportDesk(db, {
    workspaceId,
    requesterId: newId(),
    agentIds: Array.from({ length: 50 }, () => newId()),
    ticketCount: Number(seedTickets),
    messagesPerTicket: 10,
    inTransaction: (write) =>
      db.transaction().execute((trx) =>
        write(async (table, rows) => {
          const per = Math.floor(30_000 / Object.keys(rows[0] ?? { a: 1 }).length);
          for (let i = 0; i < rows.length; i += per) {
            await trx
              .insertInto(table)
              .values(rows.slice(i, i + per) as never)
              .execute();
          }
        }),
      ),
  });
  if (url.startsWith('postgres')) await sql`VACUUM ANALYZE`.execute(db);
}
// An admin of the workspace: sees every ticket, so only the engine and the joins are timed.
const actor = {
  id: '01J0000000000000000000000A',
  workspaceId,
  roleId: 'probe',
  role: 'admin',
  permissions: new Set(PermissionSchema.options),
} as never;
const deps = { db, clock: { now: () => Date.now() } } as never;
const { words } = makeVocabulary(() => 0);
const queries = q
  ? [q]
  : [`${words[300]} ${words[700]} `, `${words[10]} ${words[20]} `, `${words[300]} ${words[700]!.slice(0, 3)}`];
for (const query of queries) {
  for (const kind of ['messages', 'tickets', 'people'] as const) {
    const started = performance.now();
    const results: SearchResults = await search(deps, actor, { q: query, kind });
    const ms = Math.round(performance.now() - started);
    console.log(JSON.stringify(query), kind, `${ms} ms`, `${results[kind]!.items.length} hits`);
  }
}
await db.destroy();
