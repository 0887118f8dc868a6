/**
 * Times the report service straight against a database (no HTTP), for profiling the SQL:
 *   npx tsx bench/src/report-probe.ts sqlite:///tmp/x.db 100000
 */
import { openDatabase } from '../../apps/server/src/db/connect';
import { migrateToLatest } from '../../apps/server/src/db/migrate';
import { seedReportDesk } from './systems/report-fixtures';
import { newId } from '../../apps/server/src/ids';
import { sql } from 'kysely';
import { REPORT_COLUMNS, type ReportName } from '@parley/protocol';
import { buildReport } from '../../apps/server/src/reports/report-service';

const [url = 'sqlite:///tmp/rprobe/r.db', count = '100000', seedIt = 'seed'] = process.argv.slice(2);
const { db } = await openDatabase(url, { poolSize: 4 });
await migrateToLatest(db);
const ws = (await db.selectFrom('workspaces').select('id').executeTakeFirst())?.id;
const workspaceId = ws!;
if (seedIt === 'seed') {
  if (url.startsWith('sqlite')) await sql`PRAGMA foreign_keys = OFF`.execute(db);
  else await sql`SET session_replication_role = replica`.execute(db);
  const t0 = performance.now();
  await seedReportDesk(db, {
    workspaceId,
    requesterId: newId(),
    agentIds: Array.from({ length: 50 }, () => newId()),
    ticketCount: Number(count),
    messagesPerTicket: 0,
    inTransaction: (write) =>
      db.transaction().execute((trx) =>
        write(async (table, rows) => {
          const per = Math.floor(30000 / Object.keys(rows[0] ?? { a: 1 }).length);
          for (let i = 0; i < rows.length; i += per)
            await trx
              .insertInto(table)
              .values(rows.slice(i, i + per) as never)
              .execute();
        }),
      ),
  });
  console.log('seeded', Math.round(performance.now() - t0), 'ms');
  if (url.startsWith('sqlite')) await sql`ANALYZE`.execute(db);
}
if (url.startsWith('postgres')) await sql`VACUUM ANALYZE tickets`.execute(db);
const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
const actor = { workspaceId } as never;
for (const name of (process.env.REPORTS?.split(',') ?? Object.keys(REPORT_COLUMNS)) as ReportName[]) {
  for (const groupBy of ['day', 'team', 'agent', 'priority', 'label'] as const) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await buildReport({ db } as never, actor, name, {
        from: day(364),
        to: day(0),
        timeZone: 'Europe/Berlin',
        groupBy,
      });
      times.push(Math.round(performance.now() - t));
    }
    console.log(name, groupBy, times.join(' '));
  }
}
await db.destroy();
