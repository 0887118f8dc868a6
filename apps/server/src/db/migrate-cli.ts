import { loadConfig } from '../config';
import { openDatabase } from './connect';
import { migrateDown, migrateToLatest } from './migrate';

// `npm run migrate` (up to latest) and `npm run migrate:down` (revert the latest one).
const direction = process.argv[2];
if (direction !== 'up' && direction !== 'down') {
  console.error('usage: migrate-cli.ts up|down');
  process.exit(2);
}
const config = loadConfig();
const database = await openDatabase(config.databaseUrl);
try {
  const names = direction === 'up' ? await migrateToLatest(database.db) : await migrateDown(database.db);
  const verb = direction === 'up' ? 'applied' : 'reverted';
  console.log(names.length ? names.map((n) => `${verb} ${n}`).join('\n') : `nothing to do (${database.dialect})`);
} finally {
  await database.close();
}
