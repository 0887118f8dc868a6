import os from 'node:os';
import { sql } from 'kysely';
import { openDatabase } from '../../../apps/server/src/db/connect';
import type { Dialect } from '../../../apps/server/src/db/database-url';
import { createTestDatabase } from '../../../apps/server/src/testing/test-database';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  os: string;
  databases: Record<string, string>;
  summary: string;
}

/** What the figures were measured on: they mean little without it. */
export async function describeMachine(dbs: Dialect[]): Promise<Machine> {
  const databases: Record<string, string> = {};
  for (const dialect of dbs) {
    const target = createTestDatabase(dialect);
    const handle = await openDatabase(target.url, { poolSize: 1 });
    const query =
      dialect === 'sqlite'
        ? sql<{ v: string }>`select sqlite_version() as v`
        : sql<{ v: string }>`select version() as v`;
    const { rows } = await query.execute(handle.db);
    databases[dialect] = String(rows[0]?.v).split(' on ')[0]!.replace(/,.*$/, '');
    await handle.close();
    await target.drop();
  }
  const cpus = os.cpus();
  const cpu = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryGiB = Math.round(os.totalmem() / 2 ** 30);
  return {
    cpu,
    cores: cpus.length,
    memoryGiB,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    databases,
    summary: `${cpus.length} × ${cpu}, ${memoryGiB} GiB, Node ${process.version}`,
  };
}
