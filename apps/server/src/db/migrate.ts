import { Migrator, type MigrationResultSet } from 'kysely';
import type { Db } from './connect';
import { migrations } from './migrations';

function createMigrator(db: Db) {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function unwrap({ error, results = [] }: MigrationResultSet): string[] {
  const failed = results.find((r) => r.status === 'Error');
  if (error) {
    const where = failed ? ` in migration ${failed.migrationName}` : '';
    throw new Error(`Migration failed${where}: ${(error as Error).message ?? String(error)}`, { cause: error });
  }
  return results.map((r) => r.migrationName);
}

/** Applies every pending migration; returns the names applied (none when up to date). */
export async function migrateToLatest(db: Db): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateToLatest());
}

/** Reverts the most recent migration; returns its name (none when nothing is applied). */
export async function migrateDown(db: Db): Promise<string[]> {
  return unwrap(await createMigrator(db).migrateDown());
}
